#!/bin/sh
# fuzz-trinity.sh CALLS SEED: Debian's trinity on the Linux ABI, first as
# the unprivileged user nobody (--dropprivs), then as root (--dangerous is
# trinity's word for "as root"; no destructive device options are given),
# CALLS/2 system calls each, 4 children, in /tmp.  Sockets are not offered
# as descriptors (Scarlet has none yet; trinity would retry forever).
# Prints "trinity: N calls" per half and the free pages before and after,
# with clean caches dropped.
calls=${1:-1000000} seed=${2:-1}
half=$((calls / 2))
free_pages() {
	sync
	[ -w /proc/sys/vm/drop_caches ] && echo 3 >/proc/sys/vm/drop_caches
	echo $(($(sed -n 's/^MemFree: *\([0-9]*\) kB/\1/p' /proc/meminfo) / 4))
}
before=$(free_pages)
cd /tmp || exit 1
total=0
for who in nobody root; do
	case $who in
	nobody) opts=--dropprivs ;;
	root) opts=--dangerous ;;
	esac
	/opt/trixie-run.sh /usr/bin/trinity -q -l off -C 4 -N "$half" -s "$seed" \
		--disable-fds=sockets $opts >/tmp/trinity-$who.log 2>&1
	status=$?
	tail -3 /tmp/trinity-$who.log
	n=$(sed -n 's/.*Ran \([0-9]*\) syscalls.*/\1/p' /tmp/trinity-$who.log | tail -1)
	echo "trinity: as $who, ${n:-0} calls, status $status"
	total=$((total + ${n:-0}))
done
rm -f /tmp/trinity-*.log
echo "fuzz linux: done $total calls"
echo "fuzz linux: free pages before $before after $(free_pages)"
