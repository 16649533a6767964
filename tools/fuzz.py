#!/usr/bin/env python3
"""`make fuzz`: system-call fuzzing of the three ABIs, one QEMU boot each.

  native  our fuzzer (user/bin/fuzz.c), native workers
  xv6     the same with xv6 workers (user-xv6/bin/fuzz6.c)
  linux   Debian's trinity, as nobody and as root (tools/in-image/)

Each boot runs the fuzzer as the whole system on build/tools.cpio
(tools/tools-image.sh) with a fresh ext2 data disk, the fuzzers' work
directories on it.  A boot fails on a panic, on a hang (no console output
for WATCHDOG seconds), on fewer calls than asked, on free pages not back to
where they were (more than LEAK_PAGES missing once the fuzzer ended and
caches were dropped), or when e2fsck -fn finds the disk damaged.

Usage: fuzz.py [--calls N] [--seed S] [--smp N] [abi...]
Prints one summary line per ABI and ends "fuzz: N passed, M failed".
"""
import argparse
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
from machine import BUILD, Machine  # noqa: E402

WATCHDOG = 120      # seconds without console output: a hang
LIMIT = 7200        # seconds for one ABI at most (trinity: ~1M calls an hour)
LEAK_PAGES = 64     # free pages that may stay taken (kernel bookkeeping)
PANIC = re.compile(r"panic|assertion failed|unexpected exception", re.I)
STALLED = re.compile(r"fuzz \w+: stalled.*")


def command(abi, calls, seed):
    if abi == "linux":
        return "/system/scarlet/bin/linux /opt/fuzz-trinity.sh %d %d" % (calls, seed)
    return "/system/scarlet/bin/fuzz -a %s -p 4 -n %d -s %d -d /home/fuzz" % (abi, calls, seed)


def make_disk(name):
    img = os.path.join(BUILD, "fuzz-%s.img" % name)
    subprocess.run(["bash", os.path.join(HERE, "mkdisk.sh"), img, "256M"], check=True,
                   stdout=subprocess.DEVNULL)
    return img


def watch(m, log):
    """Waits for QEMU to end, copying the console to log as it comes (a
    long run can be followed with tail -f); returns None, or why the run
    is a failure.  A fuzzer that reports itself stalled (no CPU busy for
    minutes) has dumped its tasks: a little later the run is ended."""
    start = last = time.monotonic()
    seen = 0
    stalled = None
    with open(log, "w") as f:
        while m.proc.poll() is None:
            time.sleep(1)
            with m.lock:
                text = m.out[seen:]
            now = time.monotonic()
            if text:
                f.write(text)
                f.flush()
                seen, last = seen + len(text), now
            if stalled is None and STALLED.search(m.out):
                stalled = now
            if stalled is not None and now - stalled > 20:
                return "hang: " + STALLED.search(m.out).group(0)
            if now - last > WATCHDOG:
                return "hang: no output for %d s" % WATCHDOG
            if now - start > LIMIT:
                return "still running after %d s" % LIMIT
        m.reader.join(5)
        f.write(m.out[seen:])
    return None


def judge(abi, out, calls, status):
    problems = []
    if PANIC.search(out):
        problems.append("kernel panic: " + PANIC.search(out).group(0))
    done = re.search(r"fuzz %s: done (\d+) calls" % abi, out)
    made = int(done.group(1)) if done else 0
    if made < calls:
        problems.append("%d calls made, %d asked" % (made, calls))
    pages = re.search(r"fuzz %s: free pages before (\d+) after (\d+)" % abi, out)
    if not pages:
        problems.append("no free-page count")
    elif int(pages.group(2)) + LEAK_PAGES < int(pages.group(1)):
        problems.append("%d pages not given back" % (int(pages.group(1)) - int(pages.group(2))))
    if status != 0:
        problems.append("exit status %s" % status)
    return made, pages, problems


def run_abi(abi, args):
    img = make_disk(abi)
    t0 = time.monotonic()
    m = Machine(smp=args.smp, mem="1G", timeout=LIMIT + 60,
                append="-- " + command(abi, args.calls, args.seed),
                initrd=os.path.join(BUILD, "tools.cpio"),
                extra_args=["-drive", "file=%s,format=raw,if=none,id=d" % img,
                            "-device", "virtio-blk-device,drive=d"])
    log = os.path.join(BUILD, "fuzz-%s.log" % abi)
    try:
        why = watch(m, log)
        status = m.proc.returncode if why is None else None
    finally:
        m.close()
    with open(log, "w") as f:
        f.write(m.out)
    made, pages, problems = judge(abi, m.out, args.calls, status)
    if why:
        problems.insert(0, why)
    fsck = subprocess.run(["/sbin/e2fsck", "-fn", img], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT)
    if fsck.returncode != 0:
        problems.append("e2fsck -fn: status %d (image kept: %s)\n    %s" % (
            fsck.returncode, os.path.relpath(img, ROOT),
            "\n    ".join(fsck.stdout.decode(errors="replace").splitlines()[-20:])))
    else:
        os.remove(img)
    mins = (time.monotonic() - t0) / 60
    free = "free pages %s -> %s" % pages.groups() if pages else "free pages ?"
    print("fuzz %s: %s, %d calls in %.1f min, %s, log %s%s" % (
        abi, "ok" if not problems else "FAIL", made, mins, free, os.path.relpath(log, ROOT),
        "".join("\n  " + p for p in problems)), flush=True)
    return not problems


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--calls", type=int, default=1000000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--smp", type=int, default=2)
    p.add_argument("abis", nargs="*", default=["native", "xv6", "linux"])
    args = p.parse_args()
    ok = sum(run_abi(abi, args) for abi in args.abis)
    print("fuzz: %d passed, %d failed" % (ok, len(args.abis) - ok))
    return 0 if ok == len(args.abis) else 1


if __name__ == "__main__":
    sys.exit(main())
