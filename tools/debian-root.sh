#!/bin/bash
# Assembles a Debian 13 (trixie) riscv64 root from Debian's own packages
# and writes it as an ext2 image: the lower layer of Scarlet's Linux
# environment when the image is attached (see docs/debian-root.md).
#
#   debian-root.sh WORKDIR OUT.img
#
# The package set is minbase-like: every package that is Essential: yes
# or Priority: required in the archive, apt, and the tools listed in
# EXTRA_PKGS below, with their dependencies (tools/debian-fetch.sh
# --deps: verified by apt, cached outside the clone).  Each package is
# unpacked with `dpkg-deb -x`; no maintainer script runs on the host.
# Instead the dpkg database is written from the packages' control data:
# every package is "install ok unpacked", with its .list, md5sums,
# conffiles and maintainer scripts in /var/lib/dpkg/info, so that
# `dpkg --configure -a` inside Scarlet can finish them.
#
# A second run with the same packages and the same script rebuilds
# nothing (WORKDIR/stamp holds the .deb list and the script's hash).
set -eo pipefail

prog=debian-root
work=$1 out=$2
[ -n "$work" ] && [ -n "$out" ] || { echo "usage: $0 WORKDIR OUT.img" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
arch=riscv64
label=scarlet-debian

EXTRA_PKGS=(apt bash coreutils findutils grep sed gawk diffutils patch tar gzip
	xz-utils bzip2 less procps psmisc util-linux file vim-tiny perl python3
	gcc libc6-dev make git dpkg-dev
	${DEBIAN_ROOT_EXTRA:-})

note() { echo "$prog: $*" >&2; }

# Names of the packages that are Essential: yes or Priority: required in
# the index debian-fetch.sh keeps (its private apt configuration).
base_packages() {
	APT_CONFIG=${SCARLET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/scarlet}/debian/trixie-$arch/apt.conf \
		apt-cache dumpavail | awk 'BEGIN { RS = "" }
		/\nEssential: yes/ || /\nPriority: required/ {
			match($0, /^Package: [^\n]+/); print substr($0, 10, RLENGTH - 9)
		}' | sort -u
}

# Makes sure the index exists (a no-op download of one small package).
bash "$here/debian-fetch.sh" -n - base-files >/dev/null
mapfile -t base < <(base_packages)
[ "${#base[@]}" -gt 10 ] || { note "no Essential/required packages in the index"; exit 1; }
note "resolving ${#base[@]} base and ${#EXTRA_PKGS[@]} extra packages"
debs=$(bash "$here/debian-fetch.sh" --deps -n -p - "${base[@]}" "${EXTRA_PKGS[@]}")
stamp=$( (echo "$debs"; sha256sum "$0") | sha256sum | cut -d' ' -f1)
if [ -f "$out" ] && [ "$(cat "$work/stamp" 2>/dev/null)" = "$stamp" ]; then
	note "$out is up to date ($(wc -l <<<"$debs") packages)"
	touch "$out"
	exit 0
fi

tree=$work/tree
rm -rf "$tree" "$work/ctl"
mkdir -p "$tree/var/lib/dpkg/info" "$tree/var/lib/dpkg/updates" "$tree/var/lib/dpkg/triggers"
: >"$tree/var/lib/dpkg/available"
status=$work/status.tmp
: >"$status"
n=0 total=$(wc -l <<<"$debs")

# The dpkg database entry of one .deb: its control paragraph with the
# status "install ok unpacked", its file list and control files.
register() {
	local deb=$1 ctl=$work/ctl pkg ma name f
	rm -rf "$ctl"
	dpkg-deb -e "$deb" "$ctl"
	pkg=$(dpkg-deb -f "$deb" Package)
	ma=$(dpkg-deb -f "$deb" Multi-Arch)
	name=$pkg
	[ "$ma" = same ] && name=$pkg:$arch
	# .list: every path of the data archive, "/." for the root
	dpkg-deb --fsys-tarfile "$deb" | tar -t | sed -e 's|^\./|/|' -e 's|/$||' \
		-e 's|^$|/.|' >"$tree/var/lib/dpkg/info/$name.list"
	for f in "$ctl"/*; do
		case ${f##*/} in
		control) ;;
		*) cp -p "$f" "$tree/var/lib/dpkg/info/$name.${f##*/}" ;;
		esac
	done
	{
		awk -v s="install ok unpacked" '{ print } NR == 1 { print "Status: " s }' "$ctl/control" |
			sed '/^$/d'
		if [ -s "$ctl/conffiles" ]; then
			echo "Conffiles:"
			while read -r f; do
				[ -n "$f" ] || continue
				case $f in remove-on-upgrade*) continue ;; esac
				if [ -f "$tree$f" ]; then
					echo " $f $(md5sum <"$tree$f" | cut -d' ' -f1)"
				else
					echo " $f newconffile"
				fi
			done <"$ctl/conffiles"
		fi
		echo
	} >>"$status"
}

while read -r deb; do
	n=$((n + 1))
	[ $((n % 20)) = 0 ] && note "unpacking $n/$total"
	dpkg-deb -x "$deb" "$tree"
	register "$deb"
done <<<"$debs"
mv "$status" "$tree/var/lib/dpkg/status"
cp "$tree/var/lib/dpkg/status" "$tree/var/lib/dpkg/status-old"
rm -rf "$work/ctl"

# merged /usr (base-files ships the links in trixie; make sure)
for d in bin sbin lib; do
	[ -e "$tree/$d" ] || ln -s "usr/$d" "$tree/$d"
done

# /etc basics, as the base packages' maintainer scripts would leave them
bp=$tree/usr/share/base-passwd
[ -f "$tree/etc/passwd" ] || cp "$bp/passwd.master" "$tree/etc/passwd"
[ -f "$tree/etc/group" ] || cp "$bp/group.master" "$tree/etc/group"
# (no /etc/shadow: passwd's postinst makes it, `shadowconfig on`)
echo scarlet >"$tree/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tscarlet\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' \
	>"$tree/etc/hosts"
echo 'LANG=C.UTF-8' >"$tree/etc/default/locale"
mkdir -p "$tree/etc/profile.d"
cat >"$tree/etc/profile.d/scarlet-locale.sh" <<'EOF'
# Scarlet: no PAM login sets the locale of /etc/default/locale; do it here.
if [ -z "$LANG" ] && [ -r /etc/default/locale ]; then
	. /etc/default/locale
	export LANG
fi
EOF
ln -sfn ../proc/self/mounts "$tree/etc/mtab"
mkdir -p "$tree/root"
chmod 700 "$tree/root"
# base-files' postinst copies these only when missing, so the configure
# run inside Scarlet keeps them
for f in bashrc profile; do
	[ -f "$tree/root/.$f" ] || cp -p "$tree/usr/share/base-files/dot.$f" "$tree/root/.$f"
done
for f in profile motd; do
	[ -f "$tree/etc/$f" ] || cp -p "$tree/usr/share/base-files/$f" "$tree/etc/$f"
done
# what Scarlet's Linux environment mounts over (docs/executor.md)
mkdir -p "$tree"/{dev,tmp,home,scarlet,proc,sys,run,var/tmp}
chmod 1777 "$tree/tmp" "$tree/var/tmp"

# the image: the tree plus a quarter and 64 MiB of headroom
kib=$(du -sk --apparent-size "$tree" | cut -f1)
files=$(find "$tree" | wc -l)
size=$(((kib + kib / 4) / 1024 + 64))
inodes=$((files * 3 / 2 + 8192))
note "$total packages, $((kib / 1024)) MiB in $files files; image ${size} MiB"
rm -f "$out.tmp"
truncate -s "${size}M" "$out.tmp"
mke2fs -q -t ext2 -L "$label" -N "$inodes" -d "$tree" "$out.tmp"
mv "$out.tmp" "$out"
echo "$stamp" >"$work/stamp"
note "wrote $out"
