#!/bin/bash
# Builds and runs the FAT32 host tests (tests/host/fat_test.c) under
# ASan/UBSan on images made by the real tools: mkfs.fat makes them,
# mcopy fills them, the driver reads and rewrites them, and fsck.fat -n
# and mcopy/mdir check the result.  Corrupt images must be refused or
# give EIO without crashing.  Ends with "fat: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C.UTF-8 MTOOLS_SKIP_CHECK=1

out=build/host
mkdir -p "$out"
if ! gcc -std=gnu17 -Wall -Wextra -Werror -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined -g -O1 -I. -Iinclude -Ikernel -o "$out/fat_test" \
	tests/host/fat_test.c tests/host/fat_host.c tests/host/vfs_stubs.c \
	kernel/fs/vnode.c kernel/fs/mount.c kernel/fs/walk.c kernel/fs/namei.c kernel/fs/attr.c kernel/fs/fs_view.c \
	kernel/fs/notify.c kernel/fs/xattr.c \
	kernel/fs/permission.c kernel/proc/cred.c \
	kernel/fs/file.c kernel/fs/chrdev.c kernel/fs/tmpfs.c kernel/fs/tmpfs_opts.c kernel/fs/bcache.c kernel/fs/ns.c kernel/fs/propagate.c \
	kernel/fs/fat/*.c; then
	echo "fat: 0 passed, 1 failed"
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { echo "ok $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
check() { # NAME COMMAND...: one result from a command's exit status
	local name=$1
	shift
	if "$@" >"$tmp/check.log" 2>&1; then ok "$name"; else cat "$tmp/check.log"; bad "$name"; fi
}
run_c() { # runs fat_test, counting its ok/FAIL lines
	local log="$tmp/c.log"
	ASAN_OPTIONS=detect_leaks=1 "$out/fat_test" "$@" 2>&1 | tee "$log"
	local rc=${PIPESTATUS[0]}
	pass=$((pass + $(grep -c '^ok ' "$log")))
	fail=$((fail + $(grep -c '^FAIL ' "$log")))
	if [ "$rc" -ne 0 ] && ! grep -q '^FAIL ' "$log"; then bad "fat_test $1 exited with $rc"; fi
}
# Extracts the whole image with mtools and compares it with a host tree.
# mtools shows a character outside the BMP (a UTF-16 surrogate pair, as
# the driver stores it) as "__", so the expected names are changed alike.
same_as_mtools() { # IMG DIR
	rm -rf "$tmp/x" "$tmp/want" && mkdir "$tmp/x" && cp -a "$2" "$tmp/want" &&
		python3 -c 'import os, sys, re
for top, dirs, files in os.walk(sys.argv[1], topdown=False):
    for n in dirs + files:
        m = re.sub("[\U00010000-\U0010ffff]", "__", n)
        if m != n: os.rename(os.path.join(top, n), os.path.join(top, m))' "$tmp/want" &&
		mcopy -s -n -i "$1" '::/*' "$tmp/x/" 2>/dev/null
	diff -r "$tmp/want" "$tmp/x"
}

# --- a tree put in by mcopy, read by the driver
src="$tmp/src"
mkdir -p "$src/Sub Dir/deeper/deepest" "$src/UPPER" "$src/lower"
printf 'hello world\n' > "$src/hello.txt"
printf 'UPPER\n' > "$src/UPPER/README.TXT"
printf 'lower\n' > "$src/lower/readme.txt"
printf 'deep\n' > "$src/Sub Dir/deeper/deepest/A file with a rather long name.text"
printf 'unicode\n' > "$src/Sub Dir/"$'na\xc3\xafve caf\xc3\xa9 r\xc3\xa9sum\xc3\xa9.txt'
: > "$src/empty"
head -c 3000000 /dev/urandom > "$src/Sub Dir/random blob.bin"
for i in $(seq 1 150); do printf 'file %d\n' "$i" > "$src/lower/many files number $i.dat"; done
img="$tmp/a.img"
mkfs.fat -F 32 -C "$img" 131072 >/dev/null
mcopy -s -i "$img" "$src"/* ::/
run_c read "$img" "$src"
check "fsck.fat after reading" fsck.fat -n "$img"

# --- heavy writing on the same image; the mirror must match afterwards
mirror="$tmp/mirror"
cp -a "$src" "$mirror"
run_c write "$img" "$mirror" "${FAT_OPS:-3000}"
check "fsck.fat -n after writing (512-byte sectors, default clusters)" fsck.fat -n "$img"
check "mcopy extracts what the driver wrote" same_as_mtools "$img" "$mirror"
check "mdir shows long names" bash -c "mdir -i '$img' ::/crowd | grep -q 'Long File Name 1 of the crowd.txt'"
check "mtype shows content" bash -c "[ \"\$(mtype -i '$img' '::/doomed')\" = new ]"

# --- small clusters (512 bytes): long chains, directories over many
# clusters, and a full disk
img2="$tmp/b.img"
mkfs.fat -F 32 -s 1 -C "$img2" 40000 >/dev/null 2>&1
mirror2="$tmp/mirror2"
mkdir "$mirror2"
run_c write "$img2" "$mirror2" "${FAT_OPS2:-1500}" full
check "fsck.fat -n after writing (512-byte clusters, disk filled)" fsck.fat -n "$img2"
check "mcopy extracts what the driver wrote (small clusters)" same_as_mtools "$img2" "$mirror2"

# --- corrupt images
# patch.py IMG KIND: breaks one thing in a FAT32 image holding BIG.BIN
# (several clusters) and the directory DIR in its root.
cat > "$tmp/patch.py" <<'EOF'
import struct, sys
img, kind = sys.argv[1], sys.argv[2]
f = open(img, 'r+b')
bs = bytearray(f.read(512))
bps, spc, rsv, nf = struct.unpack_from('<HBHB', bs, 11)
fatsz, = struct.unpack_from('<I', bs, 36)
root, = struct.unpack_from('<I', bs, 44)
fat = rsv * bps
data = (rsv + nf * fatsz) * bps
cs = bps * spc
def put_bs(off, fmt, v):
    struct.pack_into(fmt, bs, off, v); f.seek(0); f.write(bs)
def set_fat(c, v):
    for i in range(nf):
        f.seek(fat + i * fatsz * bps + 4 * c); f.write(struct.pack('<I', v))
def entry(name):
    f.seek(data + (root - 2) * cs); d = f.read(cs)
    for i in range(0, cs, 32):
        if d[i:i+11] == name:
            return data + (root - 2) * cs + i, struct.unpack_from('<H', d, i + 20)[0] << 16 | struct.unpack_from('<H', d, i + 26)[0]
    sys.exit('no entry ' + name.decode())
if kind == 'bps': put_bs(11, '<H', 100)
elif kind == 'sig': put_bs(510, '<H', 0)
elif kind == 'spc': put_bs(13, '<B', 3)
elif kind == 'root': put_bs(44, '<I', 0x0ffffff0)
elif kind == 'size': put_bs(32, '<I', 0x7fffffff)
elif kind == 'nfats': put_bs(16, '<B', 0)
elif kind == 'rootloop': set_fat(root, root)
else:
    off, c = entry(b'BIG     BIN')
    if kind == 'loop': set_fat(c + 1, c)
    elif kind == 'range': set_fat(c + 1, 0x0ffffff0)
    elif kind == 'free': set_fat(c + 1, 0)
    elif kind == 'first': f.seek(off + 26); f.write(struct.pack('<H', 0xfff0)); f.seek(off + 20); f.write(struct.pack('<H', 0x0fff))
    elif kind == 'dirloop':
        doff, dc = entry(b'DIR        ')
        set_fat(dc, dc)
    else: sys.exit('unknown kind')
EOF
base="$tmp/base.img"
mkfs.fat -F 32 -s 1 -C "$base" 40000 >/dev/null 2>&1
head -c 5000 /dev/urandom > "$tmp/big.bin"
mcopy -i "$base" "$tmp/big.bin" ::/BIG.BIN
mmd -i "$base" ::/DIR
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17; do
	printf 'x' | mcopy -i "$base" - "::/DIR/file with a long name $i"
done
for kind in bps sig spc root size nfats rootloop; do
	cp "$base" "$tmp/$kind.img"
	python3 "$tmp/patch.py" "$tmp/$kind.img" "$kind"
	run_c corrupt "$tmp/$kind.img" refuse
done
for kind in loop range free first dirloop; do
	cp "$base" "$tmp/$kind.img"
	python3 "$tmp/patch.py" "$tmp/$kind.img" "$kind"
	run_c corrupt "$tmp/$kind.img" eio
done
mkfs.fat -F 16 -C "$tmp/fat16.img" 40000 >/dev/null
run_c corrupt "$tmp/fat16.img" refuse
head -c 1048576 /dev/zero > "$tmp/zero.img"
run_c corrupt "$tmp/zero.img" refuse

echo "fat: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
