#!/usr/bin/env bash
# fresh-check.sh - README's first command on a fresh Debian 12, as a newcomer
# runs it: bootstraps a minimal bookworm root (debootstrap --variant=minbase)
# in build/fresh-root, with apt sources as Debian writes them (deb lines only,
# no deb-src), copies a clean checkout of HEAD into /root/reprofile (git
# archive: no build/, no .deps, no ../shared beside it), runs the first line
# of README.md's first ```sh block there as root (chroot; /proc, /sys, /dev,
# /dev/pts mounted), then checks that every tool of scripts/tools.txt is
# present and that Wine starts headless in the root. Removes the root after.
#
#   scripts/fresh-check.sh [--keep] [--no-base-cache] [--log FILE]
#     --keep           leave the (unmounted) root for inspection
#     --no-base-cache  debootstrap even if this week's base root is cached
#     --log FILE       the run's full output (default build/fresh-check.log);
#                      the screen gets the phase lines and, on failure, the tail
#
# Needs root (or password-less sudo), debootstrap, git and access to the
# Debian mirror (RP_FRESH_MIRROR, default the host's: deb.debian.org). The
# host's /var/cache/apt/archives is shared with the root (debootstrap's
# --cache-dir, then bind-mounted for apt inside), so packages the host has
# already fetched are not downloaded again. The bare debootstrapped root
# (Debian's packages only, before anything of the project runs) is kept as
# /var/cache/reprofile/fresh-base-bookworm-<ISO week>.tar.gz and unpacked
# instead of bootstrapping again within the same week. Nothing of the
# project (build trees, .deps, Wine prefix) is ever shared.
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
ROOTFS="$SRC/build/fresh-root"
LOG="$SRC/build/fresh-check.log"
MIRROR=${RP_FRESH_MIRROR:-http://deb.debian.org/debian}
SECURITY=${RP_FRESH_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
CACHE=/var/cache/apt/archives
KEEP=0
BASE_CACHE=1
BASE_DIR=/var/cache/reprofile
BASE="$BASE_DIR/fresh-base-bookworm-$(date -u +%G-W%V).tar.gz"
ARGS=("$@")

while [ $# -gt 0 ]; do
	case "$1" in
	--keep) KEEP=1 ;;
	--no-base-cache) BASE_CACHE=0 ;;
	--log)
		LOG=$2
		shift
		;;
	-h | --help)
		sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "fresh-check.sh: unknown option '$1' (try --help)" >&2
		exit 2
		;;
	esac
	shift
done

die() {
	printf 'fresh-check.sh: %s\n' "$*" >&2
	exit 1
}

if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null && sudo -n true 2>/dev/null ||
		die "needs root (chroot, mount, debootstrap): run it as root or with password-less sudo"
	exec sudo -n "$0" "${ARGS[@]}"
fi
RP_TOOLS_FILE="$SRC/scripts/tools.txt"
# shellcheck source=tools.sh
. "$SRC/scripts/tools.sh"
for t in debootstrap git; do
	command -v $t >/dev/null || [ -x /usr/sbin/$t ] ||
		die "$t is missing (Debian package $(rp_tool_package $t 2>/dev/null || echo $t); scripts/setup.sh installs it)"
done
PATH=$PATH:/usr/sbin:/sbin
git -c safe.directory="*" -C "$SRC" rev-parse --verify -q HEAD >/dev/null || die "$SRC is not a git checkout"
[ -d "$CACHE" ] || die "no apt package cache at $CACHE"

# The first line of README.md's first ```sh block, exactly as a newcomer
# pastes it (its trailing comment is harmless to bash).
FIRST=$(awk '/^```sh[[:space:]]*$/ {inblock = 1; next} inblock && NF {print; exit}' "$SRC/README.md")
[ -n "$FIRST" ] || die "README.md has no \`\`\`sh block with a command"

mkdir -p "$(dirname "$LOG")"
: >"$LOG"
T0=$SECONDS
phase() { printf '== %s (%ds)\n' "$*" $((SECONDS - T0)) | tee -a "$LOG"; }

MOUNTS=()
BG=
# run_bg COMMAND...: runs it in its own process group and waits, so that a
# signal is handled at once and cleanup can stop the whole group.
run_bg() {
	setsid "$@" &
	BG=$!
	wait $BG
	local rc=$?
	BG=
	return $rc
}
# Mount points under the root that are still mounted (deepest first).
mounted_under() {
	awk -v r="$ROOTFS/" 'index($5 "/", r) == 1 {print $5}' /proc/self/mountinfo | sort -r
}
# Processes left inside the root (wineserver, a stuck build...): ours, stopped.
stop_root_processes() {
	local p pids=() sig
	for sig in TERM KILL; do
		pids=()
		for p in /proc/[0-9]*; do
			# -ef: same directory, without a fork per process
			[[ $p/root -ef $ROOTFS ]] && pids+=("${p#/proc/}")
		done
		[ ${#pids[@]} -gt 0 ] || return 0
		kill -s $sig "${pids[@]}" 2>/dev/null || true
		sleep 1
	done
}
# Stops what runs in the root, then unmounts ours (in reverse) and anything
# else under it (left by the command inside, or by a run killed with -9).
unmount_all() {
	local i m
	if [ -n "$BG" ]; then
		kill -TERM -- -"$BG" 2>/dev/null && sleep 2
		kill -KILL -- -"$BG" 2>/dev/null || true
	fi
	[ -d "$ROOTFS" ] && stop_root_processes
	for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
		umount "${MOUNTS[i]}" 2>/dev/null || umount -l "${MOUNTS[i]}" 2>/dev/null || true
	done
	for m in $(mounted_under); do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
	done
}
cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	unmount_all
	if [ -n "$(mounted_under)" ]; then
		echo "fresh-check.sh: still mounted under $ROOTFS, not removed: $(mounted_under | tr '\n' ' ')" >&2
		rc=1
	elif [ "$KEEP" -eq 0 ] && [ -d "$ROOTFS" ]; then
		rm -rf --one-file-system "$ROOTFS"
	fi
	[ $rc -eq 0 ] || { [ "$KEEP" -eq 1 ] && echo "fresh-check.sh: root kept in $ROOTFS" >&2; }
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# mnt TARGET ARGS...: mount, and remember it for cleanup.
mnt() {
	local target=$1
	shift
	mkdir -p "$target"
	mount "$@" "$target"
	MOUNTS+=("$target")
	mount --make-private "$target"
}

# on_fail TEXT: the log's tail and TEXT, then exit 1.
on_fail() {
	echo "---- last lines of $LOG" >&2
	tail -n 40 "$LOG" >&2
	die "$*"
}

# A leftover root from an interrupted (or killed) run: unmounted, removed.
if [ -e "$ROOTFS" ]; then
	unmount_all
	[ -z "$(mounted_under)" ] || die "$ROOTFS still has mounts: $(mounted_under | tr '\n' ' ')"
	rm -rf --one-file-system "$ROOTFS"
fi
mkdir -p "$ROOTFS"

if [ "$BASE_CACHE" -eq 1 ] && [ -f "$BASE" ] &&
	run_bg tar -C "$ROOTFS" --numeric-owner --xattrs -xzpf "$BASE" >>"$LOG" 2>&1; then
	phase "unpacked this week's bare bookworm root from $BASE"
else
	# No base this week (or it did not unpack): bootstrap, then keep it.
	rm -rf --one-file-system "$ROOTFS"
	mkdir -p "$ROOTFS"
	phase "debootstrap bookworm (minbase) into $ROOTFS"
	run_bg debootstrap --variant=minbase --cache-dir="$CACHE" bookworm "$ROOTFS" "$MIRROR" >>"$LOG" 2>&1 ||
		on_fail "debootstrap failed"
	if [ "$BASE_CACHE" -eq 1 ] && [ -z "$(mounted_under)" ]; then
		mkdir -p "$BASE_DIR"
		rm -f "$BASE_DIR"/fresh-base-bookworm-*.tar.gz
		if run_bg tar -C "$ROOTFS" --numeric-owner --xattrs -czf "$BASE.tmp" . &&
			mv "$BASE.tmp" "$BASE"; then
			phase "kept the bare root as $BASE"
		else
			rm -f "$BASE.tmp" # a cache only: go on without it
		fi
	fi
fi

# Apt sources as Debian 12 writes them: deb only, main, with updates and
# security; no deb-src (the case set-up once failed on).
rm -f "$ROOTFS/etc/apt/sources.list"
cat >"$ROOTFS/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
# A throwaway root: dpkg need not fsync every file (outcome unchanged).
echo force-unsafe-io >"$ROOTFS/etc/dpkg/dpkg.cfg.d/fresh-check-unsafe-io"

mnt "$ROOTFS/proc" -t proc proc
mnt "$ROOTFS/sys" -t sysfs sysfs
mnt "$ROOTFS/dev" --bind /dev
mnt "$ROOTFS/dev/pts" --bind /dev/pts
mnt "$ROOTFS/var/cache/apt/archives" --bind "$CACHE"

REV=$(git -c safe.directory="*" -C "$SRC" rev-parse --short HEAD)
[ -z "$(git -c safe.directory="*" -C "$SRC" status --porcelain --untracked-files=no)" ] ||
	echo "note: uncommitted changes in $SRC are not part of the check (HEAD $REV is)" | tee -a "$LOG"
phase "clean checkout of HEAD ($REV) into /root/reprofile"
mkdir -p "$ROOTFS/root/reprofile"
git -c safe.directory="*" -C "$SRC" archive --format=tar HEAD | tar -x -C "$ROOTFS/root/reprofile"

# in_root COMMAND: bash -c COMMAND as root in the checkout, with a login's
# clean environment (no CI, no host PATH or HOME). Its output goes to the
# log, each line after the seconds since the start; its "== " lines (the
# steps of setup.sh and example.sh) to the screen too. In the background:
# a signal to this script is handled at once (wait returns), not after it.
in_root() {
	chroot "$ROOTFS" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb USER=root LOGNAME=root \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/bash -c "cd /root/reprofile && $1" </dev/null 2>&1 |
		while IFS= read -r line; do
			printf '%5d %s\n' $((SECONDS - T0)) "$line" >>"$LOG"
			case $line in "== "*) printf '   %s (%ds)\n' "$line" $((SECONDS - T0)) ;; esac
		done &
	wait $!
}

phase "README's first command: $FIRST"
in_root "$FIRST" || on_fail "README's first command failed in the fresh root (exit $?)"

phase "every tool of scripts/tools.txt present"
in_root '. scripts/tools.sh && m=$(rp_tools_missing) && [ -z "$m" ] || { printf "missing: %s\n" $m; exit 1; }' ||
	on_fail "tools missing in the fresh root"

# The Windows tests' runner: Wine must start headless (no X) in the chroot.
phase "Wine starts headless (build/win64/wine-run reprofile.exe --version)"
in_root 'build/win64/wine-run build/win64/reprofile.exe --version' ||
	on_fail "wine-run could not start reprofile.exe in the fresh root"

phase "done: set-up and example pass on a fresh Debian 12"
