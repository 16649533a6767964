#!/bin/sh
# fuzz-trinity.sh CALLS SEED: Debian's trinity on the Linux ABI, first as
# the unprivileged user nobody (--dropprivs), then as root (--dangerous is
# trinity's word for "as root"; no destructive device options are given),
# CALLS/2 system calls each, 4 children.  Sockets are not offered
# as descriptors (Scarlet has none yet; trinity would retry forever).
# The data disk is out of its reach (no /dev/vda in its /dev).
# Prints "trinity: N calls" per half and the free pages before and after,
# with clean caches dropped.
calls=${1:-1000000} seed=${2:-1} extra=${3:-} # extra: more trinity options, e.g. "-c mremap"
half=$((calls / 2))
free_pages() {
	sync
	[ -r /proc/meminfo ] || mount -t proc proc /proc
	[ -w /proc/sys/vm/drop_caches ] && echo 3 >/proc/sys/vm/drop_caches
	echo $(($(sed -n 's/^MemFree: *\([0-9]*\) kB/\1/p' /proc/meminfo) / 4))
}
# Trinity opens what it finds in /dev and writes to it; as root that
# would be the data disk.  Its /dev holds the harmless nodes only, in a
# tmpfs of its own for each half (the first half renames and removes
# them).  Its /tmp is a tmpfs of its own for each half too, unmounted
# afterwards: the files it leaves there are a user's, not memory the
# kernel lost.  The calls that set the wall clock are left out: trinity
# set it to 1970, and ext2 then stamped deletions with a dtime of 0,
# which e2fsck reports as damage (Linux's ext2 would do the same).
export TRIXIE_BINDS="proc"
dev=/opt/trixie/dev
no_clock="-x settimeofday -x clock_settime -x adjtimex -x clock_adjtime"
harmless_dev() {
	mount -t tmpfs -o mode=755 tmpfs $dev || return 1
	for n in null zero full random urandom tty; do
		[ ! -e "/dev/$n" ] || cp -a "/dev/$n" "$dev/" || return 1
	done
}
before=$(free_pages)
echo 8 >/proc/sys/vm/drop_caches 2>/dev/null # ALLOC_TRACE kernels: count from here
heap_before=$(sed -n 's/^Slab: *\([0-9]*\) kB/\1/p' /proc/meminfo)
cd /tmp || exit 1
# memory and progress on the console every minute, to tell a leak from a
# hang in a long run.  Two minutes in a row with the CPUs all but idle
# are a hang: the tasks and where they wait go to the console, and the
# harness (tools/fuzz.py) ends the run.
busy_ticks() {
	awk '/^cpu /{print $2 + $3 + $4 + $7 + $8}' /proc/stat
}
(idle_minutes=0 last=$(busy_ticks)
# (its sleep is killed with it: an orphaned sleep still running at the
# count held some 50 pages: its stack, data and page tables)
trap 'kill $nap 2>/dev/null; exit 0' TERM
while sleep 60 & nap=$!; wait $nap; do
	now=$(busy_ticks)
	echo "fuzz linux: $(grep -E '^(MemFree|Cached|Slab):' /proc/meminfo | tr -s ' \n' ' ') /opt/trixie/tmp $(du -sk /opt/trixie/tmp 2>/dev/null | cut -f1) kB, busy $((now - last)) ticks"
	# 200 ticks: under 2% of two CPUs' minute at 100 ticks a second (trinity
	# busy: 900-2200)
	if [ $((now - last)) -lt 200 ]; then idle_minutes=$((idle_minutes + 1)); else idle_minutes=0; fi
	last=$now
	# a kernel built with ALLOC_TRACE=1 says who holds a swollen heap
	slab=$(sed -n 's/^Slab: *\([0-9]*\) kB/\1/p' /proc/meminfo)
	[ "$slab" -gt 300000 ] && echo 9 >/proc/sys/vm/drop_caches 2>/dev/null
	if [ $idle_minutes -ge 2 ]; then
		echo t >/proc/sysrq-trigger
		echo "fuzz linux: stalled: CPUs idle for $idle_minutes minutes"
	fi
done) &
monitor=$!
total=0
for who in nobody root; do
	case $who in
	nobody) opts=--dropprivs ;;
	root) opts=--dangerous ;;
	esac
	mount -t tmpfs tmpfs /opt/trixie/tmp || exit 1
	harmless_dev || exit 1
	# an IPC namespace of its own: the System V and POSIX queues, sets
	# and segments it leaves (a user's, kept until removed) go with it
	unshare -i /opt/trixie-run.sh /usr/bin/trinity -q -l off -C 4 -N "$half" -s "$seed" \
		--disable-fds=sockets $no_clock $extra $opts >/tmp/trinity-$who.log 2>&1
	status=$?
	umount /opt/trixie/tmp || echo "fuzz linux: cannot unmount trinity's /tmp"
	umount $dev || echo "fuzz linux: cannot unmount trinity's /dev"
	tail -3 /tmp/trinity-$who.log
	n=$(sed -n 's/.*Ran \([0-9]*\) syscalls.*/\1/p' /tmp/trinity-$who.log | tail -1)
	echo "trinity: as $who, ${n:-0} calls, status $status"
	total=$((total + ${n:-0}))
done
kill $monitor
rm -f /tmp/trinity-*.log
echo "fuzz linux: done $total calls"
after=$(free_pages)
echo "fuzz linux: kernel heap before $heap_before kB after $(sed -n 's/^Slab: *\([0-9]*\) kB/\1/p' /proc/meminfo) kB"
echo "fuzz linux: free pages before $before after $after"
echo 9 >/proc/sys/vm/drop_caches 2>/dev/null # ALLOC_TRACE kernels: what stayed
