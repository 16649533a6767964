#!/usr/bin/env python3
"""`make stress` (tools/run-stress.sh): long stress workloads under a
watchdog, one fresh machine per workload and configuration, with a report.

Configurations: every -smp in STRESS_SMP ("2 4"), each with the disk
setups of STRESS_DISK ("disk": a fresh ext2 data disk, so the xv6 and
Linux roots are overlays on ext2; "nodisk": everything in memory).  Each
runs every workload of STRESS_WORKLOADS ("grind stressng") for
STRESS_MINUTES (10), on a machine with 1 GiB.

The watchdog (tests/integration/workloads.py): the shell must echo a token
every STRESS_PROBE_SECONDS (15) within STRESS_ANSWER_SECONDS (60), the
workload's progress counter must move within STRESS_STALL_SECONDS (180),
and no panic report may appear.  Afterwards the machine must still answer
and power off cleanly, e2fsck must find the data disk clean and, for
stressng, the free pages (caches dropped) must be within
STRESS_LEAK_PAGES (256) of the count before.

A workload is one function below, registered in WORKLOADS:
    def workload_NAME(m, seconds, cfg) -> list of note strings
It starts its programs at the native shell prompt of Machine m, calls
watch() for seconds, stops them, and returns notes for the report (or
raises WorkloadFailure / TestFailure).  Console logs are kept in
build/stress-logs/."""
import os
import re
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

from machine import BUILD, Machine, TestFailure  # noqa: E402
from workloads import Grind, StressNg, WorkloadFailure, free_pages, shell_output, watch  # noqa: E402


def env_int(name, default):
    return int(os.environ.get(name, default))


CFG = {
    "minutes": float(os.environ.get("STRESS_MINUTES", "10")),
    "smp": os.environ.get("STRESS_SMP", "2 4").split(),
    "disk": os.environ.get("STRESS_DISK", "disk").split(),
    "workloads": os.environ.get("STRESS_WORKLOADS", "grind stressng").split(),
    "probe": env_int("STRESS_PROBE_SECONDS", 15),
    "answer": env_int("STRESS_ANSWER_SECONDS", 60),
    "stall": env_int("STRESS_STALL_SECONDS", 180),
    "leak_pages": env_int("STRESS_LEAK_PAGES", 256),
}
LOGS = os.path.join(BUILD, "stress-logs")


# ---------------------------------------------------------------- workloads

# grind's messages (user/grind.c), longest first; xv6's printf writes byte
# by byte, so two processes' lines can interleave beyond recognition
GRIND_COMPLAINTS = ["fstat reports crazy i-number", "fstat reports wrong size",
                    "exec pipeline failed", "chdir grindir failed", "pipe write failed",
                    "pipe read failed", "create c failed", "write c failed", "fstat failed",
                    "chdir failed", "fork failed", "pipe failed", "dup failed",
                    "echo: not found", "cat: not found"]


def workload_grind(m, seconds, cfg):
    """Upstream xv6-riscv's grind, in the xv6 environment."""
    grind = Grind()
    grind.start(m)
    probes = watch(m, seconds, grind.progress, every=cfg["probe"], answer_timeout=cfg["answer"],
                   stall_seconds=cfg["stall"])
    marks, complaints = grind.stop(m)
    notes = ["%d shell probes answered; ~%d grind operations (%d progress marks)"
             % (probes, marks * 500, marks)]
    counts = {}
    for line in complaints:
        key = next((k for k in GRIND_COMPLAINTS if k in line), "(garbled: two processes' lines)")
        counts[key] = counts.get(key, 0) + 1
    notes += ["grind reported %dx: grind: %s" % (n, k) for k, n in sorted(counts.items())]
    return notes


def workload_stressng(m, seconds, cfg):
    """Debian's stress-ng on the Linux ABI (21 stressors at once, 60 s
    rounds), with the free pages compared before and after."""
    before = free_pages(m)
    sng = StressNg()
    sng.start(m)
    probes = watch(m, seconds, sng.progress, every=cfg["probe"], answer_timeout=cfg["answer"],
                   stall_seconds=cfg["stall"])
    log = sng.stop(m)
    after = free_pages(m)
    rounds = [l for l in log if re.match(r"round \d+: status", l)]
    bad = [l for l in rounds if not l.endswith("status 0")]
    notes = ["%d shell probes answered; %d stress-ng rounds, %d with a non-zero status"
             % (probes, len(rounds), len(bad)),
             "free pages (caches dropped) before %d, after %d" % (before, after)]
    # what stress-ng itself reported, once per distinct message
    seen = {}
    for l in log:
        msg = re.sub(r"^round \d+: ", "", l)
        if re.search(r"\b(fail|error):|failed: [1-9]", msg):
            msg = re.sub(r"\[\d+\]", "[N]", re.sub(r"PID \d+", "PID N", msg))
            seen[msg] = seen.get(msg, 0) + 1
    notes += ["stress-ng %dx: %s" % (n, msg) for msg, n in sorted(seen.items())]
    if before - after > cfg["leak_pages"]:
        raise TestFailure("%d pages not given back after stress-ng (before %d, after %d)"
                          % (before - after, before, after))
    return notes


WORKLOADS = {
    "grind": workload_grind,
    "stressng": workload_stressng,
}
# workloads that need build/tools.cpio (Debian's programs) instead of the default image
NEEDS_TOOLS_IMAGE = {"stressng"}


# ---------------------------------------------------------------- runner

def fresh_disk(name):
    img = os.path.join(LOGS, "%s.img" % name)
    subprocess.run(["bash", os.path.join(ROOT, "tools", "mkdisk.sh"), img, "256M"], check=True,
                   stdout=subprocess.DEVNULL)
    return img


def disk_args(img):
    return ["-drive", "file=%s,format=raw,if=none,id=data" % img,
            "-device", "virtio-blk-device,drive=data"]


def finish(m, img):
    """The machine must answer and power off; the disk must be clean."""
    if "alive" not in shell_output(m, "echo alive", timeout=60):
        raise TestFailure("no answer after the workload")
    m.send("poweroff\r")
    if m.wait_exit(120) != 0:
        raise TestFailure("poweroff failed")
    if img:
        fsck = subprocess.run(["/sbin/e2fsck", "-fn", img], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
        if fsck.returncode != 0:
            raise TestFailure("e2fsck -fn: " + fsck.stdout.decode()[-1500:])


def run_one(name, smp, disk, cfg):
    """Returns (passed, summary line, notes)."""
    seconds = cfg["minutes"] * 60
    tag = "%s-smp%s-%s" % (name, smp, disk)
    img = fresh_disk(tag) if disk == "disk" else None
    initrd = os.path.join(BUILD, "tools.cpio") if name in NEEDS_TOOLS_IMAGE else None
    m = Machine(smp=int(smp), mem="1G", timeout=seconds + 900, initrd=initrd,
                extra_args=disk_args(img) if img else ())
    start = time.monotonic()
    try:
        m.boot_to_shell(60)
        notes = WORKLOADS[name](m, seconds, cfg)
        ran = (time.monotonic() - start) / 60
        finish(m, img)
        return True, "PASS %s: %.1f min, no hang, no panic" % (tag, ran), notes
    except WorkloadFailure as e:
        return False, "FAIL %s: %s after %.1f min" % (tag, e.kind.upper(), e.seconds / 60), \
            [str(e).splitlines()[0]] + tail(m.out)
    except TestFailure as e:
        ran = (time.monotonic() - start) / 60
        return False, "FAIL %s: after %.1f min: %s" % (tag, ran, str(e).splitlines()[0]), \
            tail(m.out)
    finally:
        m.close()
        with open(os.path.join(LOGS, tag + ".log"), "w") as f:
            f.write(m.out)
        if img:
            os.remove(img)


def tail(out, lines=25):
    return ["console: " + l for l in out.splitlines()[-lines:]]


def main():
    os.makedirs(LOGS, exist_ok=True)
    unknown = [w for w in CFG["workloads"] if w not in WORKLOADS]
    if unknown:
        print("stress: unknown workload(s) %s; known: %s" % (unknown, " ".join(WORKLOADS)))
        return 2
    print("stress: %s for %g min each on -smp %s, %s (logs in %s)"
          % (" ".join(CFG["workloads"]), CFG["minutes"], "/".join(CFG["smp"]),
             "/".join(CFG["disk"]), LOGS), flush=True)
    passed = failed = 0
    for name in CFG["workloads"]:
        for smp in CFG["smp"]:
            for disk in CFG["disk"]:
                ok, line, notes = run_one(name, smp, disk, CFG)
                print(line, flush=True)
                for n in notes:
                    print("     " + n, flush=True)
                passed += ok
                failed += not ok
    print("stress: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
