#!/bin/sh
# fuzz-unix.sh CALLS SEED: Debian's trinity on the socket calls only, with
# AF_UNIX sockets as its only descriptors (-P PF_UNIX), as root, 4 children,
# in /tmp: a run aimed at the local sockets (kernel/obj/usock*.c).  Not
# part of make fuzz; run by hand (docs/testing.md, "make fuzz").  Prints
# the calls made and the free pages before and after, caches dropped.
calls=${1:-100000} seed=${2:-1}
free_pages() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	echo $(($(sed -n 's/^MemFree: *\([0-9]*\) kB/\1/p' /proc/meminfo) / 4))
}
before=$(free_pages)
cd /tmp || exit 1
set --
for c in socket socketpair bind listen accept accept4 connect getsockname getpeername \
	sendto recvfrom sendmsg recvmsg shutdown setsockopt getsockopt read write readv writev \
	poll ppoll close dup fcntl ioctl; do
	set -- "$@" -c "$c"
done
/opt/trixie-run.sh /usr/bin/trinity -q -l off -C 4 -N "$calls" -s "$seed" -P PF_UNIX \
	--enable-fds=sockets --dangerous "$@" >/tmp/trinity-unix.log 2>&1
status=$?
tail -5 /tmp/trinity-unix.log
n=$(sed -n 's/.*Ran \([0-9]*\) syscalls.*/\1/p' /tmp/trinity-unix.log | tail -1)
echo "fuzz unix: ${n:-0} calls, status $status"
rm -f /tmp/trinity-unix.log
# trinity leaves files (socket names, data written to its descriptors)
cd / && rm -rf /tmp/* /tmp/.[!.]* 2>/dev/null
echo "fuzz unix: free pages before $before after $(free_pages)"
