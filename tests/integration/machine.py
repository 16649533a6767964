"""A Scarlet machine under QEMU, driven through its serial console.

Machine(...) boots build/kernel.bin with build/initramfs.cpio; the output
is collected by a reader thread with CRs removed.  Tests wait for text,
type commands at the shell prompt, and read what a command printed.
"""
import os
import re
import subprocess
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.join(ROOT, "build")
PROMPT = "$ "


class TestFailure(Exception):
    pass


class Machine:
    def __init__(self, smp=2, mem="512M", append="", timeout=60, extra_args=(), initrd=None):
        self.timeout = timeout
        args = [
            "qemu-system-riscv64", "-machine", "virt", "-bios", "default",
            "-smp", str(smp), "-m", mem, "-nographic",
            "-kernel", os.path.join(BUILD, "kernel.bin"),
            "-initrd", initrd or os.path.join(BUILD, "initramfs.cpio"),
            "-append", append, *extra_args,
        ]
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.out = ""
        self.pos = 0  # everything before pos has been consumed by expect()
        self.lock = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.deadline = time.monotonic() + timeout

    def _read(self):
        while True:
            data = self.proc.stdout.read1(4096)
            if not data:
                break
            with self.lock:
                self.out += data.decode("utf-8", "replace").replace("\r", "")
                self.lock.notify_all()
        with self.lock:
            self.lock.notify_all()

    def expect(self, pattern, timeout=20):
        """Waits for regex pattern after the last match; returns the match."""
        rx = re.compile(pattern, re.M)
        end = min(time.monotonic() + timeout, self.deadline)
        with self.lock:
            while True:
                m = rx.search(self.out, self.pos)
                if m:
                    self.pos = m.end()
                    return m
                left = end - time.monotonic()
                if left <= 0 or self.proc.poll() is not None and not self.reader.is_alive():
                    raise TestFailure("timed out waiting for %r; output tail:\n%s"
                                      % (pattern, self.out[-1500:]))
                self.lock.wait(min(left, 0.5))

    def send(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def wait_prompt(self, timeout=20):
        self.expect(re.escape(PROMPT) + "$", timeout)

    def boot_to_shell(self, timeout=30):
        self.expect(r"^\$ $", timeout)

    def run(self, command, timeout=20):
        """Types command at the prompt; returns its output (without the echo)."""
        self.send(command + "\r")
        self.expect(re.escape(command) + "\n", timeout)
        start = self.pos
        self.expect(r"^\$ $", timeout)
        return self.out[start:self.pos - len(PROMPT)]

    def status(self):
        """$? of the last command."""
        return int(self.run("echo $?").strip())

    def wait_exit(self, timeout=30):
        try:
            return self.proc.wait(timeout=min(timeout, max(1, self.deadline - time.monotonic())))
        except subprocess.TimeoutExpired:
            raise TestFailure("QEMU did not exit; output tail:\n" + self.out[-1500:])

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def check(cond, message):
    if not cond:
        raise TestFailure(message)
