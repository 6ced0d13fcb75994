#!/bin/sh
# Every malformed fixture in tests/fixtures/bad/registry/ fails with exactly
# one line on stderr naming the file (and the line, for .reg), the text listed
# in EXPECT, a non-zero exit, and leaves the target store byte-for-byte as it
# was.
. "$(dirname "$0")/common.sh"

T=$RP_TMP
sum() {
	cksum <"$1"
}

# expect_fail LABEL FILE-NAME TEXT CMD...
expect_fail() {
	label=$1 fname=$2 text=$3
	shift 3
	if rp "$@" >"$T/out" 2>"$T/err"; then
		die "$label: accepted"
	fi
	[ "$(wc -l <"$T/err")" -eq 1 ] || { cat "$T/err" >&2; die "$label: not one line"; }
	grep -qF "$fname" "$T/err" || { cat "$T/err" >&2; die "$label: file not named"; }
	grep -qF -- "$text" "$T/err" || { cat "$T/err" >&2; die "$label: lacks '$text'"; }
}

hive=no
have_hive && hive=yes
# Target stores that a failed import must leave untouched.
rp reg import --reg "$T/target.reg" "$FIX/all_types.reg" 2>/dev/null
if [ $hive = yes ]; then
	rp reg import --hive "$T/target.hiv" "$FIX/all_types.reg" 2>/dev/null
fi

n=0
tab=$(printf '\t')
while IFS="$tab" read -r f text; do
	case $f in '#'* | '') continue ;; esac
	[ -f "$BAD/$f" ] || die "EXPECT lists missing fixture $f"
	case $f in
	*.hiv)
		[ $hive = yes ] || continue
		cp "$BAD/$f" "$T/$f"
		before=$(sum "$T/$f")
		expect_fail "$f export" "$f" "$text" reg export --hive "$T/$f"
		expect_fail "$f import" "$f" "$text" reg import --hive "$T/$f" "$FIX/all_types.reg"
		[ "$(sum "$T/$f")" = "$before" ] || die "$f: hive changed by a failed import"
		;;
	*.reg)
		expect_fail "$f export" "$f" "$text" reg export --reg "$BAD/$f"
		before=$(sum "$T/target.reg")
		expect_fail "$f import" "$f" "$text" reg import --reg "$T/target.reg" "$BAD/$f"
		[ "$(sum "$T/target.reg")" = "$before" ] || die "$f: .reg target changed"
		expect_fail "$f new" "$f" "$text" reg import --reg "$T/new.reg" "$BAD/$f"
		[ ! -e "$T/new.reg" ] || die "$f: failed import created its target"
		if [ $hive = yes ]; then
			expect_fail "$f new" "$f" "$text" reg import --hive "$T/new.hiv" "$BAD/$f"
			[ ! -e "$T/new.hiv" ] || die "$f: failed import created a hive"
			before=$(sum "$T/target.hiv")
			expect_fail "$f import" "$f" "$text" reg import --hive "$T/target.hiv" "$BAD/$f"
			[ "$(sum "$T/target.hiv")" = "$before" ] || die "$f: hive target changed"
		fi
		;;
	esac
	n=$((n + 1))
done <"$BAD/EXPECT"

# No fixture may be left out of EXPECT.
for f in "$BAD"/*; do
	b=$(basename "$f")
	[ "$b" = EXPECT ] && continue
	grep -q "^$b$tab" "$BAD/EXPECT" || die "$b has no EXPECT line"
done
ls "$T" | grep -q 'rp-tmp' && die "temporary files left behind"
# mkhive never overwrites.
if [ $hive = yes ]; then
	before=$(sum "$T/target.hiv")
	expect_fail "mkhive over a file" "target.hiv" "file exists" reg mkhive "$T/target.hiv"
	[ "$(sum "$T/target.hiv")" = "$before" ] || die "mkhive replaced an existing file"
fi
echo "registry bad fixtures: $n refused cleanly"
