#!/bin/bash
# BusyBox for Scarlet's Linux tree, from Debian's `busybox` source package,
# as one riscv64 glibc binary (static or dynamic, as the fragment says).
#
#   busybox.sh build OUTDIR CONFIG_FRAGMENT [FROM]
#     leaves OUTDIR/busybox (log in OUTDIR/build.log).  The unpacked source
#     stays in OUTDIR/src, so a later run (after a change of the fragment)
#     only reconfigures and rebuilds what changed; the Makefile runs this
#     only when the binary is older than this script or the fragment.
#     FROM is the OUTDIR of another build whose source tree is copied
#     (with its objects, which Kbuild rebuilds where the configuration
#     differs) instead of fetching the source again.
#   busybox.sh install BINARY LINUXROOT
#     copies BINARY to LINUXROOT/bin/busybox and makes a relative symlink
#     for every applet at the path the binary itself names
#     (`busybox --list-full`, run under qemu-riscv64-static).
#
# The source comes from the Debian archive the machine already uses: a
# `deb-src` entry is derived from the configured `deb` entries (deb822
# files in /etc/apt/sources.list.d or one-line /etc/apt/sources.list), so
# no mirror is named here.
set -eo pipefail
cross=riscv64-linux-gnu-
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo

have_source_index() {
	apt-cache showsrc busybox >/dev/null 2>&1
}

# deb822 stanzas of a Debian archive (a URI path with /debian) whose Types
# include "deb", copied with Types: deb-src.
deb822_to_src() {
	awk 'BEGIN { RS = "" }
	{
		n = split($0, line, "\n"); isdeb = 0; debian = 0
		for (i = 1; i <= n; i++)
			if (line[i] ~ /^Types:/) {
				m = split(substr(line[i], 7), t, /[ \t]+/)
				for (j = 1; j <= m; j++) if (t[j] == "deb") isdeb = 1
				line[i] = "Types: deb-src"
			} else if (line[i] ~ /^URIs:.*\/debian/)
				debian = 1
		if (!isdeb || !debian) next
		for (i = 1; i <= n; i++) printf "%s\n", line[i]
		printf "\n"
	}' "$@"
}

# One-line "deb [opts] URI suite comps" entries of a Debian archive, as deb-src.
oneline_to_src() {
	sed -n '/\/debian/s/^[[:space:]]*deb[[:space:]]/deb-src /p' "$@"
}

ensure_deb_src() {
	have_source_index && return 0
	local list=/etc/apt/sources.list.d/scarlet-deb-src.sources
	local oneline=/etc/apt/sources.list.d/scarlet-deb-src.list
	if ! grep -qs '^Types:.*deb-src' /etc/apt/sources.list.d/*.sources &&
		! grep -qs '^[[:space:]]*deb-src[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list; then
		local src822 srcline
		src822=$(deb822_to_src /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
		srcline=$(oneline_to_src /etc/apt/sources.list 2>/dev/null || true)
		[ -n "$src822$srcline" ] || {
			echo "busybox: no Debian 'deb' entry in /etc/apt to derive a deb-src one from" >&2
			exit 1
		}
		echo "busybox: adding deb-src entries derived from the configured Debian sources"
		[ -n "$src822" ] && printf '%s\n' "$src822" | $SUDO tee "$list" >/dev/null
		[ -n "$srcline" ] && printf '%s\n' "$srcline" | $SUDO tee "$oneline" >/dev/null
	fi
	echo "busybox: apt-get update (source index)"
	# a third-party list may fail to update; what matters is busybox's index
	$SUDO apt-get update -q >"$out/update.log" 2>&1 || true
	have_source_index || {
		echo "busybox: apt has no source index for busybox after update" >&2
		exit 1
	}
}

fetch_source() {
	[ -f "$out/src/Makefile" ] && return 0
	if [ -n "$from" ] && [ -f "$from/src/Makefile" ]; then
		echo "busybox: source copied from $from"
		rm -rf "$out/src"
		cp -a "$from/src" "$out/src"
		cp "$from/version" "$out/version"
		return 0
	fi
	ensure_deb_src
	local dl="$out/download"
	rm -rf "$dl" "$out/src"
	mkdir -p "$dl"
	echo "busybox: apt-get source busybox"
	(cd "$dl" && apt-get source -q busybox >"$out/fetch.log" 2>&1) || {
		tail -20 "$out/fetch.log" >&2
		exit 1
	}
	local dir
	dir=$(find "$dl" -mindepth 1 -maxdepth 1 -type d -name 'busybox-*' | head -1)
	[ -n "$dir" ] || { echo "busybox: no source directory unpacked" >&2; exit 1; }
	mv "$dir" "$out/src"
	basename "$dir" >"$out/version"
	rm -rf "$dl"
}

# defconfig, then each CONFIG_X=... / "# CONFIG_X is not set" line of the
# fragment replaces the one defconfig wrote; oldconfig settles dependencies.
configure() {
	local src=$out/src
	make -C "$src" -s defconfig >"$out/build.log" 2>&1
	local key
	grep -E '^(CONFIG_[A-Za-z0-9_]+=|# CONFIG_[A-Za-z0-9_]+ is not set)' "$fragment" |
		while IFS= read -r line; do
			key=$(echo "$line" | grep -oE 'CONFIG_[A-Za-z0-9_]+' | head -1)
			sed -i -E "/^($key=|# $key is not set)/d" "$src/.config"
			echo "$line" >>"$src/.config"
		done
	# new options take their defaults (yes would die of SIGPIPE under pipefail)
	make -C "$src" oldconfig < <(yes "") >>"$out/build.log" 2>&1
	# a line of the fragment that oldconfig dropped or changed is an error
	grep -E '^(CONFIG_[A-Za-z0-9_]+=|# CONFIG_[A-Za-z0-9_]+ is not set)' "$fragment" |
		while IFS= read -r line; do
			grep -qxF "$line" "$src/.config" || {
				echo "busybox: config line not kept by oldconfig: $line" >&2
				exit 1
			}
		done
}

build() {
	local src=$out/src
	echo "busybox: building $(cat "$out/version") (log: $out/build.log)"
	local t0=$SECONDS
	if ! make -C "$src" -j2 CROSS_COMPILE=$cross busybox >>"$out/build.log" 2>&1; then
		tail -40 "$out/build.log" >&2
		echo "busybox: build failed (full log: $out/build.log)" >&2
		exit 1
	fi
	cp "$src/busybox" "$out/busybox.tmp"
	mv "$out/busybox.tmp" "$out/busybox"
	echo "busybox: built in $((SECONDS - t0)) s"
}

# Links from an earlier install that the new applet list no longer has go
# away with the old tree: every link to busybox is made anew.
install_applets() {
	local bin=$1 root=$2 applets
	# a dynamic binary needs QEMU_LD_PREFIX (a tree with its libraries)
	applets=$(qemu-riscv64-static "$bin" --list-full) || {
		echo "busybox: $bin --list-full failed" >&2
		exit 1
	}
	# (not the dynamic twin's own tree under opt/)
	find "$root" -type l -lname '*busybox' ! -path "$root/opt/*" -delete 2>/dev/null || true
	mkdir -p "$root/bin"
	cp "$bin" "$root/bin/busybox.tmp"
	mv "$root/bin/busybox.tmp" "$root/bin/busybox"
	local path dir up
	while IFS= read -r path; do
		[ "$path" = bin/busybox ] && continue
		dir=$(dirname "$path")
		mkdir -p "$root/$dir"
		if [ "$dir" = bin ]; then
			ln -sfn busybox "$root/$path"
		else # ../ per level below the root: usr/bin -> ../../bin/busybox
			up=$(echo "$dir/" | sed -E 's|^\./||; s|[^/]+/|../|g')
			ln -sfn "${up}bin/busybox" "$root/$path"
		fi
	done <<<"$applets"
	echo "busybox: installed with $(echo "$applets" | wc -l) applet links in $root"
}

case $1 in
build)
	out=$(realpath -m "$2")
	fragment=$(realpath "$3")
	from=${4:+$(realpath -m "$4")}
	mkdir -p "$out"
	fetch_source
	configure
	build
	;;
install)
	install_applets "$2" "$3"
	;;
*)
	echo "usage: busybox.sh build OUTDIR FRAGMENT [FROM] | install BINARY LINUXROOT" >&2
	exit 2
	;;
esac
