#!/bin/bash
# Fetches Debian packages of another release and architecture (by default
# Debian 13 "trixie" for riscv64) and unpacks them into a directory,
# through a private apt configuration.  The host's own apt sources, state
# and cache are never touched.  See docs/debian-fetch.md.
#
#   debian-fetch.sh [OPTIONS] DESTDIR PKG[=VERSION]...
#
#     -d, --deps         also fetch what the packages depend on (Depends and
#                        Pre-Depends, recursively, as apt resolves them for
#                        an empty system; no Recommends)
#     -x, --exclude PKG  with --deps: leave PKG out (repeatable)
#     -p, --print        print the cached .deb files, one per line, on stdout
#     -n, --no-unpack    do not unpack (DESTDIR may then be "-")
#     -u, --update       apt-get update first, however fresh the index is
#     -s, --suite NAME   release (default trixie)
#     -a, --arch ARCH    architecture (default riscv64)
#
# DESTDIR gets every package unpacked with `dpkg-deb -x` (files only: no
# maintainer scripts run).  Messages go to stderr.
#
# The .debs and the package index are kept outside the clone, in
# ${SCARLET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/scarlet}/debian/SUITE-ARCH,
# so another clone, or a `make clean`, does not download them again.  The
# index is refreshed when it is older than SCARLET_DEBIAN_MAX_AGE seconds
# (default a week), or when a download fails.  One lock serializes the
# runs that share a cache.
#
# The archive is the one the host already uses: the first URI of its
# configured Debian `deb` entries (deb822 files in /etc/apt/sources.list.d,
# or one-line entries) whose path ends in /debian, and the security
# archive (/debian-security) when the host has one.  SCARLET_DEBIAN_URI
# overrides the first.  No mirror is named here.
set -eo pipefail

prog=debian-fetch
suite=trixie
arch=riscv64
deps=0
print=0
unpack=1
force_update=0
excludes=()
max_age=${SCARLET_DEBIAN_MAX_AGE:-604800}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

die() {
	echo "$prog: $*" >&2
	exit 1
}

note() {
	echo "$prog: $*" >&2
}

usage() {
	sed -n '/^#   debian-fetch.sh/,/^# maintainer/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

# ------------------------------------------------------------ the archive

# URIs of the host's enabled `deb` entries, one per line, in file order.
host_deb_uris() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'BEGIN { RS = "" }
		{
			n = split($0, line, "\n"); isdeb = 0; enabled = 1; uris = ""
			for (i = 1; i <= n; i++) {
				if (line[i] ~ /^Types:/)
					isdeb = (" " substr(line[i], 7) " ") ~ /[ \t]deb[ \t]/
				else if (line[i] ~ /^URIs:/)
					uris = substr(line[i], 6)
				else if (line[i] ~ /^Enabled:[ \t]*no/)
					enabled = 0
			}
			if (isdeb && enabled) {
				m = split(uris, u, /[ \t]+/)
				for (j = 1; j <= m; j++) if (u[j] != "") print u[j]
			}
		}' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		# deb [options] URI suite components
		sed -n -E 's/^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/p' "$f"
	done
}

# The first URI whose path ends in /NAME (with or without a slash).
pick_uri() {
	grep -E "/$1/?\$" | head -1 | sed 's|/*$||'
}

# ------------------------------------------------------------ private apt

setup_config() {
	mkdir -p "$root/sources.list.d" "$root/preferences.d" "$root/lists/partial" \
		"$root/archives/partial" "$root/state" "$root/cache"
	: >"$root/sources.list"
	[ -f "$root/state/status" ] || : >"$root/state/status"
	local uris main security
	uris=$(host_deb_uris)
	main=${SCARLET_DEBIAN_URI:-$(pick_uri debian <<<"$uris")}
	security=$(pick_uri debian-security <<<"$uris")
	[ -n "$main" ] || die "no Debian archive among the host's apt sources (set SCARLET_DEBIAN_URI)"
	[ -f "$keyring" ] || die "no $keyring (package debian-archive-keyring)"
	{
		printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\n' \
			"$main" "$suite" "$suite"
		printf 'Architectures: %s\nSigned-By: %s\n' "$arch" "$keyring"
		if [ -n "$security" ]; then
			printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\n' \
				"$security" "$suite"
			printf 'Architectures: %s\nSigned-By: %s\n' "$arch" "$keyring"
		fi
	} >"$root/sources.list.d/debian.sources.tmp"
	# a changed archive means the index must be fetched again
	if ! cmp -s "$root/sources.list.d/debian.sources.tmp" "$root/sources.list.d/debian.sources"; then
		rm -f "$root/updated"
	fi
	mv "$root/sources.list.d/debian.sources.tmp" "$root/sources.list.d/debian.sources"
	# The host's apt.conf.d stays in force (proxies, timeouts); only the
	# sources, preferences, state, cache and architecture are ours.
	cat >"$root/apt.conf" <<-EOF
		Dir::Etc::SourceList "$root/sources.list";
		Dir::Etc::SourceParts "$root/sources.list.d";
		Dir::Etc::Preferences "$root/preferences";
		Dir::Etc::PreferencesParts "$root/preferences.d";
		Dir::State "$root/state";
		Dir::State::Lists "$root/lists";
		Dir::State::status "$root/state/status";
		Dir::Cache "$root/cache";
		Dir::Cache::archives "$root/archives";
		Dir::Cache::pkgcache "";
		Dir::Cache::srcpkgcache "";
		APT::Architecture "$arch";
		APT::Architectures { "$arch"; };
		APT::Install-Recommends "false";
		APT::Install-Suggests "false";
		APT::Get::List-Cleanup "true";
		Acquire::Languages "none";
	EOF
	export APT_CONFIG=$root/apt.conf
}

update_index() {
	note "apt-get update ($suite, $arch)"
	if apt-get -q update >"$root/update.log" 2>&1; then
		touch "$root/updated"
		return 0
	fi
	tail -5 "$root/update.log" >&2
	return 1
}

index_is_fresh() {
	[ -f "$root/updated" ] || return 1
	local age=$(($(date +%s) - $(stat -c %Y "$root/updated")))
	[ "$age" -lt "$max_age" ]
}

# Updates when asked or when the index is old; an old index that cannot
# be refreshed (no network) is still used.
ensure_index() {
	if [ "$force_update" = 1 ] || ! index_is_fresh; then
		update_index && return 0
		[ -f "$root/updated" ] || die "apt-get update failed (log: $root/update.log)"
		note "apt-get update failed; using the index of $(date -r "$root/updated" +%F)"
	fi
	updated_now=0
}

# ------------------------------------------------------------ packages

# NAME=VERSION of each package to fetch: with --deps everything apt
# would install on an empty system for the packages asked for, else the
# packages as they were asked for.
resolve() {
	if [ "$deps" = 0 ]; then
		printf '%s\n' "$@"
		return 0
	fi
	local out
	out=$(apt-get -s -q install --no-install-recommends -y "$@" 2>&1) || {
		echo "$out" | grep -E '^(E:|W:| )' >&2
		return 1
	}
	# Inst NAME (VERSION SUITE [ARCH])
	echo "$out" | sed -n -E 's/^Inst ([^ ]+) \(([^ ]+) .*/\1=\2/p'
}

is_excluded() {
	local x
	for x in "${excludes[@]}"; do
		[ "$x" = "$1" ] && return 0
	done
	return 1
}

# "NAME VERSION FILENAME SHA256" from the index, one line per argument
# (NAME or NAME=VERSION), in one apt-cache run.
index_records() {
	local out
	out=$(apt-cache show --no-all-versions "$@" 2>"$root/show.log") || {
		grep -E '^(E|N):' "$root/show.log" >&2
		return 1
	}
	echo "$out" | awk '
		/^Package: / { name = $2 }
		/^Version: / { ver = $2 }
		/^Filename: / { file = $2 }
		/^SHA256: / { sha = $2 }
		/^$/ { if (name != "") print name, ver, file, sha; name = "" }
		END { if (name != "") print name, ver, file, sha }'
}

# The cached .deb of NAME VERSION (its pool FILENAME and SHA256 from the
# index), downloaded when missing or damaged; prints its path.
fetch_one() {
	local name=$1 ver=$2 file=$3 sha=$4 deb tmp got
	deb=$root/archives/$(basename "$file")
	if [ -f "$deb" ] && echo "$sha  $deb" | sha256sum -c --status; then
		echo "$deb"
		return 0
	fi
	rm -f "$deb"
	note "downloading $name $ver"
	tmp=$root/archives/partial/dl.$$
	rm -rf "$tmp"
	mkdir -p "$tmp"
	(cd "$tmp" && apt-get -q download "$name=$ver" >"$root/download.log" 2>&1) || {
		tail -3 "$root/download.log" >&2
		rm -rf "$tmp"
		return 1
	}
	# apt-get download names it NAME_VERSION_ARCH.deb (epoch as %3a)
	got=$(find "$tmp" -maxdepth 1 -name '*.deb' | head -1)
	if [ -z "$got" ] || ! echo "$sha  $got" | sha256sum -c --status; then
		note "$name $ver: the download is missing or does not match the index"
		rm -rf "$tmp"
		return 1
	fi
	mv "$got" "$deb"
	rm -rf "$tmp"
	echo "$deb"
}

# Resolves and downloads; prints the .deb paths.
fetch_all() {
	local wanted=() p records name ver file sha deb found=()
	for p in $(resolve "${pkgs[@]}"); do
		is_excluded "${p%%=*}" || wanted+=("$p")
	done
	[ ${#wanted[@]} -gt 0 ] || return 1
	records=$(index_records "${wanted[@]}") || return 1
	[ "$(wc -l <<<"$records")" = ${#wanted[@]} ] || {
		note "the index has no record for some of: ${wanted[*]}"
		return 1
	}
	while read -r name ver file sha; do
		deb=$(fetch_one "$name" "$ver" "$file" "$sha") || return 1
		found+=("$deb")
	done <<<"$records"
	printf '%s\n' "${found[@]}"
}

# ------------------------------------------------------------ main

while [ $# -gt 0 ]; do
	case $1 in
	-d | --deps) deps=1 ;;
	-x | --exclude) excludes+=("$2"); shift ;;
	-p | --print) print=1 ;;
	-n | --no-unpack) unpack=0 ;;
	-u | --update) force_update=1 ;;
	-s | --suite) suite=$2; shift ;;
	-a | --arch) arch=$2; shift ;;
	-h | --help) usage ;;
	--) shift; break ;;
	-?*) echo "$prog: unknown option $1" >&2; usage ;;
	*) break ;;
	esac
	shift
done
[ $# -ge 2 ] || usage
dest=$1
shift
pkgs=("$@")
[ "$unpack" = 0 ] || [ "$dest" != - ] || die "DESTDIR - needs --no-unpack"

root=${SCARLET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/scarlet}/debian/$suite-$arch
mkdir -p "$root"
exec 9>"$root/lock"
flock -w 1800 9 || die "cache $root is locked by another run"

setup_config
updated_now=1
ensure_index
# A package or version gone from the archive since the last update: one
# refresh of the index, and another try.
if ! debs=$(fetch_all); then
	[ "$updated_now" = 0 ] || die "cannot fetch ${pkgs[*]}"
	note "retrying with a fresh index"
	update_index || die "apt-get update failed (log: $root/update.log)"
	debs=$(fetch_all) || die "cannot fetch ${pkgs[*]}"
fi
flock -u 9

if [ "$unpack" = 1 ]; then
	mkdir -p "$dest"
	while read -r deb; do
		dpkg-deb -x "$deb" "$dest"
	done <<<"$debs"
	note "unpacked $(wc -l <<<"$debs") package(s) into $dest"
fi
[ "$print" = 0 ] || echo "$debs"
