# Mount propagation with BusyBox's mount and unshare (as root).  All of it
# runs in a mount namespace of its own (unshare -m, which makes every
# mount private first, as util-linux's does), so nothing leaks out.
unshare -m sh -c '
d=$(pwd)
seen() { grep -q " $d/$1 " /proc/self/mountinfo && echo "$2: $1 mounted" || echo "$2: $1 not mounted"; }
fields() { awk -v mp="$d/$1" "\$5 == mp { f = \"\"; for (i = 7; \$i != \"-\"; i++) f = f \" \" \$i; print \"$1:\" (f == \"\" ? \" private\" : f) }" /proc/self/mountinfo | sed -E "s/:[0-9]+/:N/g"; }
mkdir a b
mount -t tmpfs src a
fields a
mount --make-shared a
mount --bind a b
fields a
fields b
mkdir a/x a/y a/z
mount -t tmpfs x a/x
seen b/x peer
umount b/x
seen a/x "umount via peer"
mount --make-slave b
fields b
mount -t tmpfs y a/y
seen b/y slave
mount -t tmpfs z b/z
seen a/z "slave to master"
mount --make-private b
umount b/y b/z
mount -t tmpfs x a/x
seen b/x private
umount a/x a/y
# a namespace made with --propagation shared keeps a as a peer
unshare -m --propagation shared sh -c "mount -t tmpfs inner $d/a/x"
seen a/x "from a peer namespace"
seen b/x "from a peer namespace (b private)"
mount --make-rprivate a
fields a
fields a/x
'
echo "exit: $?"
