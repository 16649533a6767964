#!/bin/sh
# trixie-run.sh CMD [ARGS...]: runs CMD inside /opt/trixie (Debian 13's
# trinity and stress-ng with their libraries, see tools/tools-image.sh),
# with /proc, /sys, /dev, /tmp and /home of this environment bound in
# (TRIXIE_BINDS, e.g. without dev; a missing one is left out).  The binds
# stay for the next run.
root=/opt/trixie
for d in ${TRIXIE_BINDS:-proc sys dev tmp home}; do
	[ -d "/$d" ] || continue
	grep -q " $root/$d " /proc/mounts || mount --bind "/$d" "$root/$d" || exit 1
done
exec chroot "$root" "$@"
