#!/bin/bash
# `make stress`: long stress workloads on several harts, each under a
# watchdog that tells a hang or a panic from progress, with a report (one
# PASS/FAIL line per workload and configuration, then
# "stress: N passed, M failed").  Not part of `make test`.
#
# Environment (defaults): STRESS_MINUTES (10) per workload and
# configuration; STRESS_SMP ("2 4"); STRESS_DISK ("disk"; "nodisk" runs
# with everything in memory, "disk nodisk" both); STRESS_WORKLOADS
# ("grind stressng"); STRESS_LEAK_PAGES (256); STRESS_PROBE_SECONDS (15), STRESS_ANSWER_SECONDS (60),
# STRESS_STALL_SECONDS (180) for the watchdog.  The workloads and the
# runner are in tools/stress.py; console logs go to build/stress-logs/.
set -e
cd "$(dirname "$0")/.."
exec python3 tools/stress.py "$@"
