#!/bin/sh
# stress-ng-rounds.sh DIR SECONDS: Debian's stress-ng (Linux ABI) in rounds
# of SECONDS each, until DIR/stop exists; the stressors share the machine
# (processes, memory, pipes, futexes, timers, signals, files on DIR's
# filesystem).  Appends each round's verdict to DIR/log: "round N: ..."
# lines with stress-ng's passed/failed/fail/error lines and its status.
# Used by `make stress` (tools/stress.py, workload "stressng").
dir=${1:-/home/stress-ng} round=${2:-60}
mkdir -p "$dir/tmp" || exit 1
n=0
while [ ! -e "$dir/stop" ]; do
	n=$((n + 1))
	/opt/trixie-run.sh /usr/bin/stress-ng -t "${round}s" --temp-path "$dir/tmp" \
		--fork 2 --clone 1 --vm 2 --vm-bytes 32M --mmap 1 --mmap-bytes 32M \
		--brk 1 --pipe 2 --futex 2 --sem 2 --switch 1 --poll 1 --timer 1 \
		--kill 1 --sigsegv 1 --hdd 1 --hdd-bytes 8M --dir 1 --rename 1 \
		--dentry 1 >"$dir/round.out" 2>&1
	status=$?
	grep -E 'passed:|failed:|fail:|error:' "$dir/round.out" | sed "s/^/round $n: /" >>"$dir/log"
	echo "round $n: status $status" >>"$dir/log"
done
echo "stopped after $n rounds" >>"$dir/log"
