# tools.sh - sourced by scripts (POSIX sh and bash): the programs of
# scripts/tools.txt, the one list of what the build, tests and benchmarks run.
#
#   rp_need NAME...        a test runs these: returns when all are present
#                          (adding /usr/sbin to PATH if one is only there);
#                          otherwise prints one line naming the tool and its
#                          Debian package and exits 77 (skip), or 1 (fail)
#                          under CI=true, where a listed tool is never a skip.
#                          A NAME the list lacks always fails (add it there).
#   rp_tool_package NAME   prints NAME's package; status 1 if not listed
#   rp_tool_present NAME   status 0 if NAME is present (a command in PATH,
#                          /usr/sbin or /sbin; or an existing file for /...)
#   rp_tools_missing       prints "NAME PACKAGE" for each listed tool missing
#   rp_tools_packages      prints each package of the list once
#
# The list is $RP_TOOLS_FILE, else $RP_SOURCE_DIR/scripts/tools.txt (the
# scenario harness sets RP_SOURCE_DIR). RP_TOOLS_SBIN (default
# "/usr/sbin /sbin") are the folders searched after PATH: root's tools are
# found from a user's PATH too.

rp_tools_file() {
	printf '%s\n' "${RP_TOOLS_FILE:-${RP_SOURCE_DIR:-.}/scripts/tools.txt}"
}

# rp_tools_read: the list's "NAME PACKAGE" lines, without comments.
rp_tools_read() {
	_rp_f=$(rp_tools_file)
	[ -r "$_rp_f" ] || {
		echo "tools.sh: cannot read the tool list $_rp_f" >&2
		return 2
	}
	while read -r _rp_n _rp_p _rp_rest || [ -n "$_rp_n" ]; do
		case $_rp_n in '' | '#'*) continue ;; esac
		printf '%s %s\n' "$_rp_n" "$_rp_p"
	done <"$_rp_f"
}

rp_tool_package() {
	_rp_list=$(rp_tools_read) || return 2
	_rp_pkg=$(printf '%s\n' "$_rp_list" | while read -r _rp_n _rp_p; do
		[ "$_rp_n" = "$1" ] && printf '%s\n' "$_rp_p" && break
	done)
	[ -n "$_rp_pkg" ] || return 1
	printf '%s\n' "$_rp_pkg"
}

# Sets _rp_sbin to the folder it was found in outside PATH ("" otherwise).
rp_tool_present() {
	_rp_sbin=
	case $1 in
	/*) [ -e "$1" ] ;;
	*)
		command -v "$1" >/dev/null 2>&1 && return 0
		for _rp_d in ${RP_TOOLS_SBIN-/usr/sbin /sbin}; do
			[ -x "$_rp_d/$1" ] && _rp_sbin=$_rp_d && return 0
		done
		return 1
		;;
	esac
}

rp_tools_missing() {
	_rp_list=$(rp_tools_read) || return 2
	printf '%s\n' "$_rp_list" | while read -r _rp_n _rp_p; do
		rp_tool_present "$_rp_n" || printf '%s %s\n' "$_rp_n" "$_rp_p"
	done
}

rp_tools_packages() {
	_rp_list=$(rp_tools_read) || return 2
	_rp_seen=' '
	for _rp_p in $(printf '%s\n' "$_rp_list" | while read -r _rp_n _rp_q; do echo "$_rp_q"; done); do
		case $_rp_seen in *" $_rp_p "*) continue ;; esac
		_rp_seen="$_rp_seen$_rp_p "
		printf '%s\n' "$_rp_p"
	done
}

rp_need() {
	for _rp_t in "$@"; do
		if rp_tool_present "$_rp_t"; then
			# found in /usr/sbin from a user's PATH: the test runs it by name
			[ -z "$_rp_sbin" ] || PATH=$PATH:$_rp_sbin
			continue
		fi
		_rp_who=${RP_TEST_NAME:-${0##*/}}
		if ! _rp_pkg=$(rp_tool_package "$_rp_t"); then
			echo "FAIL: $_rp_who needs $_rp_t, which $(rp_tools_file) does not list (add \"$_rp_t <Debian package>\")"
			exit 1
		fi
		case ${CI:-} in
		true | 1)
			echo "FAIL: $_rp_who needs $_rp_t (Debian package $_rp_pkg); under CI=true a listed tool is never skipped"
			exit 1
			;;
		esac
		echo "skipped: $_rp_who needs $_rp_t (Debian package $_rp_pkg; scripts/setup.sh installs it)"
		exit 77
	done
}
