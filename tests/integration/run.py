"""Runs the integration tests: every test_* function of every test_*.py
module here.  Prints one line per test and ends with
"integration: N passed, M failed".  Usage: run.py [name-filter]"""
import importlib
import os
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(__file__))

from machine import TestFailure  # noqa: E402


def main():
    pattern = sys.argv[1] if len(sys.argv) > 1 else ""
    here = os.path.dirname(__file__)
    passed = failed = 0
    for fname in sorted(os.listdir(here)):
        if not (fname.startswith("test_") and fname.endswith(".py")):
            continue
        mod = importlib.import_module(fname[:-3])
        for name in sorted(dir(mod)):
            fn = getattr(mod, name)
            if not name.startswith("test_") or not callable(fn) or pattern not in name:
                continue
            t0 = time.monotonic()
            try:
                fn()
                passed += 1
                print("ok   %-40s %5.1fs" % (name, time.monotonic() - t0), flush=True)
            except Exception as e:  # report and go on with the next test
                failed += 1
                print("FAIL %-40s %5.1fs" % (name, time.monotonic() - t0), flush=True)
                detail = str(e) if isinstance(e, TestFailure) else traceback.format_exc()
                print("     " + detail.replace("\n", "\n     "), flush=True)
    print("integration: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
