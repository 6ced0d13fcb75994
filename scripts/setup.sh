#!/usr/bin/env bash
# setup.sh - install everything reprofile needs on Debian 12 (bookworm), build
# the Windows dependencies from Debian source packages, then configure and build
# the native, ASan+UBSan and win64 trees.
#
#   scripts/setup.sh                 everything (packages need root: run it as
#                                    root, or as a user with sudo)
#   scripts/setup.sh --no-build      packages + Windows deps only
#   scripts/setup.sh --rebuild-deps  force a rebuild of .deps/win64
#
# Idempotent: packages already installed are not touched (no apt-get update),
# the deps prefix is reused while its stamp matches, and the build trees are
# only configured once. Under sudo, everything written inside the repository is
# written as the invoking user ($SUDO_USER) so later runs need no root.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEPS_PREFIX="$ROOT/.deps/win64"
DEPS_SRC="$ROOT/.deps/src"
STAMP="$DEPS_PREFIX/.stamp"
# Bump when the way the deps are built changes, so old prefixes are rebuilt.
DEPS_RECIPE=2
JOBS=${RP_JOBS:-2}

BUILD=1
REBUILD_DEPS=0
for arg in "$@"; do
	case "$arg" in
	--no-build) BUILD=0 ;;
	--rebuild-deps) REBUILD_DEPS=1 ;;
	-h | --help)
		sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "setup.sh: unknown option '$arg' (try --help)" >&2
		exit 2
		;;
	esac
done

log() { printf '== %s\n' "$*"; }
die() {
	printf 'setup.sh: %s\n' "$*" >&2
	exit 1
}

# Every program the build, tests and benchmarks run, with its package, is in
# scripts/tools.txt (the one list; tests ask for theirs with rp_need). Here
# only the libraries the build links against.
PACKAGES=(
	libhivex-dev libcmocka-dev libxml2-dev libcurl4-openssl-dev libldap2-dev libsodium-dev
	libjansson-dev
)
RP_TOOLS_FILE="$ROOT/scripts/tools.txt"
# shellcheck source=tools.sh
. "$ROOT/scripts/tools.sh"
mapfile -t TOOL_PACKAGES < <(rp_tools_packages)
[ ${#TOOL_PACKAGES[@]} -gt 0 ] || die "no package in $RP_TOOLS_FILE"

# Commands run as root go through $AS_ROOT ("" when we are root).
AS_ROOT=""
need_root() {
	if [ "$(id -u)" -eq 0 ]; then
		AS_ROOT=""
	elif command -v sudo >/dev/null && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then
		AS_ROOT="sudo" # asks for a password only on a terminal
	else
		die "$1 needs root: run scripts/setup.sh as root (or with sudo)"
	fi
}

apt_updated=0
apt_update() {
	if [ "$apt_updated" -eq 0 ]; then
		log "apt-get update"
		$AS_ROOT env DEBIAN_FRONTEND=noninteractive apt-get update -q
		apt_updated=1
	fi
}

has_deb_src() {
	grep -qsE '^[[:space:]]*deb-src[[:space:]]|^Types:.*deb-src' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources
}

ensure_deb_src() {
	has_deb_src && return 0
	need_root "adding a deb-src entry"
	log "adding deb-src entries (/etc/apt/sources.list.d/reprofile-src.sources)"
	$AS_ROOT tee /etc/apt/sources.list.d/reprofile-src.sources >/dev/null <<'EOF'
# Added by reprofile's scripts/setup.sh: source packages for the Windows deps.
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
	apt_updated=0
}

install_packages() {
	local missing=() p all=("${PACKAGES[@]}" "${TOOL_PACKAGES[@]}")
	for p in "${all[@]}"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
			missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		log "packages: all ${#all[@]} installed"
		return 0
	fi
	need_root "installing ${missing[*]}"
	apt_update
	log "apt-get install ${missing[*]}"
	$AS_ROOT env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}

# A package that stopped bringing its tool (or a wrong name in the list)
# shows here, not as a skipped test.
check_tools() {
	local missing
	missing=$(rp_tools_missing)
	[ -z "$missing" ] || die "installed, but these tools of scripts/tools.txt are missing (tool package):
$missing"
}

# Highest version of a source package known to apt ("" if none).
# apt-cache exits 100 when no deb-src entry exists yet: that is "none" here,
# not an error (under pipefail it would end the script before ensure_deb_src).
src_version() {
	{ apt-cache showsrc --only-source "$1" 2>/dev/null || true; } |
		awk '/^Version:/ {print $2}' | sort -V | tail -n 1
}

# The stamp says which recipe, compiler and Debian source versions built .deps.
wanted_stamp() {
	printf 'recipe %s\ncompiler %s\n' "$DEPS_RECIPE" "$(x86_64-w64-mingw32-gcc -dumpversion)"
	printf '%s %s\n' curl "$1" libxml2 "$2" cmocka "$3"
}

# cmake_dep NAME SRCDIR [cmake args...]: configure, build, install into the prefix.
cmake_dep() {
	local name=$1 src=$2
	shift 2
	log "building $name for Windows x64"
	cmake -S "$src" -B "$DEPS_SRC/build-$name" -G Ninja \
		-DCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/mingw-w64-x86_64.cmake" \
		-DREPROFILE_DEPS_PREFIX="$DEPS_PREFIX" \
		-DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$DEPS_PREFIX" \
		-DCMAKE_INSTALL_LIBDIR=lib "$@" >"$DEPS_SRC/$name.configure.log" 2>&1 ||
		{
			tail -n 30 "$DEPS_SRC/$name.configure.log"
			die "configuring $name failed (log: $DEPS_SRC/$name.configure.log)"
		}
	cmake --build "$DEPS_SRC/build-$name" -j "$JOBS" >"$DEPS_SRC/$name.build.log" 2>&1 ||
		{
			tail -n 30 "$DEPS_SRC/$name.build.log"
			die "building $name failed (log: $DEPS_SRC/$name.build.log)"
		}
	cmake --install "$DEPS_SRC/build-$name" >/dev/null
}

# Runs as the repository's user.
build_deps() {
	local vcurl=$1 vxml=$2 vcmocka=$3
	rm -rf "$DEPS_PREFIX" "$DEPS_SRC"
	mkdir -p "$DEPS_SRC" "$DEPS_PREFIX"
	cd "$DEPS_SRC"
	log "apt-get source curl=$vcurl libxml2=$vxml cmocka=$vcmocka"
	# apt-get source unpacks with dpkg-source, i.e. with Debian's patches applied.
	apt-get source -q "curl=$vcurl" "libxml2=$vxml" "cmocka=$vcmocka" >apt-source.log 2>&1 ||
		{
			cat apt-source.log
			die "apt-get source failed"
		}

	# HTTP(S) and SMTP only; TLS and Negotiate/NTLM through Windows (Schannel, SSPI).
	cmake_dep curl "$(echo curl-*/)" -DBUILD_SHARED_LIBS=OFF -DBUILD_CURL_EXE=OFF \
		-DBUILD_TESTING=OFF -DENABLE_MANUAL=OFF \
		-DCURL_USE_SCHANNEL=ON -DCURL_WINDOWS_SSPI=ON -DCURL_USE_OPENSSL=OFF \
		-DCURL_USE_LIBSSH2=OFF -DCURL_USE_LIBPSL=OFF -DUSE_LIBIDN2=OFF -DCURL_ZLIB=OFF \
		-DCURL_DISABLE_LDAP=ON -DCURL_DISABLE_LDAPS=ON -DCURL_DISABLE_RTSP=ON \
		-DCURL_DISABLE_DICT=ON -DCURL_DISABLE_TELNET=ON -DCURL_DISABLE_TFTP=ON \
		-DCURL_DISABLE_GOPHER=ON -DCURL_DISABLE_MQTT=ON -DCURL_DISABLE_POP3=ON \
		-DCURL_DISABLE_IMAP=ON -DCURL_DISABLE_SMB=ON -DCURL_DISABLE_FTP=ON \
		-DCURL_DISABLE_FILE=ON
	# curl's CMake leaves CURL_STATICLIB out of libcurl.pc (a TODO in 7.88.1);
	# without it curl.h declares every function dllimport.
	sed -i 's|^Cflags: \(.*\)$|Cflags: \1 -DCURL_STATICLIB|' "$DEPS_PREFIX/lib/pkgconfig/libcurl.pc"

	# The reader and tree APIs only: no network, no iconv/zlib/lzma.
	cmake_dep libxml2 "$(echo libxml2-*/)" -DBUILD_SHARED_LIBS=OFF \
		-DLIBXML2_WITH_ICONV=OFF -DLIBXML2_WITH_ICU=OFF -DLIBXML2_WITH_ZLIB=OFF \
		-DLIBXML2_WITH_LZMA=OFF -DLIBXML2_WITH_HTTP=OFF -DLIBXML2_WITH_FTP=OFF \
		-DLIBXML2_WITH_PYTHON=OFF -DLIBXML2_WITH_PROGRAMS=OFF -DLIBXML2_WITH_TESTS=OFF \
		-DLIBXML2_WITH_MODULES=OFF -DLIBXML2_WITH_CATALOG=OFF

	cmake_dep cmocka "$(echo cmocka-*/)" -DWITH_STATIC_LIB=ON -DWITH_EXAMPLES=OFF \
		-DUNIT_TESTING=OFF
	# cmocka always builds a DLL too and names its static archive
	# libcmocka-static.a; keep only the static one under the name cmocka.pc uses.
	rm -f "$DEPS_PREFIX"/lib/libcmocka.dll.a "$DEPS_PREFIX"/bin/*cmocka*.dll
	mv "$DEPS_PREFIX/lib/libcmocka-static.a" "$DEPS_PREFIX/lib/libcmocka.a"

	# Relocatable .pc files: the prefix may move with the checkout.
	sed -i "s|$DEPS_PREFIX|\${pcfiledir}/../..|g" "$DEPS_PREFIX"/lib/pkgconfig/*.pc
	# Documentation and the host-side config scripts are of no use here.
	rm -rf "$DEPS_PREFIX/share" "$DEPS_PREFIX/bin"
	cd "$ROOT"
	rm -rf "$DEPS_SRC"
	wanted_stamp "$vcurl" "$vxml" "$vcmocka" >"$STAMP"
	log "Windows deps installed in $DEPS_PREFIX"
}

deps_versions() {
	vcurl=$(src_version curl)
	vxml=$(src_version libxml2)
	vcmocka=$(src_version cmocka)
}

deps_current() {
	[ "$REBUILD_DEPS" -eq 0 ] && [ -f "$STAMP" ] || return 1
	# Offline or without source lists, a complete prefix is still good.
	[ -z "$vcurl" ] || [ -z "$vxml" ] || [ -z "$vcmocka" ] ||
		[ "$(wanted_stamp "$vcurl" "$vxml" "$vcmocka")" = "$(cat "$STAMP")" ]
}

# Root part: make sure apt knows the source packages if the deps must be built.
prepare_sources() {
	deps_versions
	deps_current && return 0
	if [ -z "$vcurl" ] || [ -z "$vxml" ] || [ -z "$vcmocka" ] || ! has_deb_src; then
		ensure_deb_src
		need_root "apt-get update (source package lists)"
		apt_update
	fi
}

ensure_deps() {
	deps_versions
	if deps_current; then
		log "Windows deps: reusing $DEPS_PREFIX ($(grep -E '^(curl|libxml2|cmocka) ' "$STAMP" | tr '\n' ' '))"
		return 0
	fi
	[ -n "$vcurl" ] && [ -n "$vxml" ] && [ -n "$vcmocka" ] ||
		die "apt knows no source package for curl/libxml2/cmocka (run as root to add deb-src entries)"
	build_deps "$vcurl" "$vxml" "$vcmocka"
}

# build_tree DIR [cmake args...]: configure once, then build.
build_tree() {
	local dir=$1
	shift
	if [ ! -f "$ROOT/$dir/CMakeCache.txt" ]; then
		log "configuring $dir"
		cmake -S "$ROOT" -B "$ROOT/$dir" -G Ninja "$@" >/dev/null
	fi
	log "building $dir"
	cmake --build "$ROOT/$dir" -j "$JOBS" >"$ROOT/$dir/setup-build.log" 2>&1 || {
		grep -E 'error|FAILED' "$ROOT/$dir/setup-build.log" | head -n 40
		die "building $dir failed (log: $dir/setup-build.log)"
	}
}

if [ "${RP_SETUP_USER_PHASE:-0}" != 1 ]; then
	install_packages
	check_tools
	prepare_sources
	# Everything inside the repository is written as the user who ran sudo.
	if [ "$(id -u)" -eq 0 ] && [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ]; then
		exec runuser -u "$SUDO_USER" -- env RP_SETUP_USER_PHASE=1 \
			HOME="$(getent passwd "$SUDO_USER" | cut -d: -f6)" "$0" "$@"
	fi
fi
ensure_deps
if [ "$BUILD" -eq 1 ]; then
	# The native tree includes build/win64's tests, so win64 is configured first.
	build_tree build/win64 -DCMAKE_BUILD_TYPE=Debug \
		-DCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/mingw-w64-x86_64.cmake"
	build_tree build/native -DCMAKE_BUILD_TYPE=Debug \
		-DREPROFILE_WIN64_BUILD_DIR="$ROOT/build/win64"
	build_tree build/asan -DCMAKE_BUILD_TYPE=Debug -DREPROFILE_SANITIZE=ON
fi
log "setup done"
