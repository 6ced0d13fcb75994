#!/bin/sh
# .reg -> hive -> .reg keeps every key, value name, type and data; the hive
# reads back the same in reglookup and regfexport; the .reg store round-trips;
# exporting is stable; and the comparison itself catches a changed value.
. "$(dirname "$0")/common.sh"

rp_need python3
T=$RP_TMP
checked=0

for src in "$FIX"/*.reg; do
	name=$(basename "$src" .reg)
	$REGVIEW reg "$src" >"$T/$name.src"

	# .reg store: import into a new .reg file, compare.
	rp reg import --reg "$T/$name.store.reg" "$src" 2>/dev/null
	$REGVIEW reg "$T/$name.store.reg" >"$T/$name.store"
	cmp -s "$T/$name.src" "$T/$name.store" || {
		diff "$T/$name.src" "$T/$name.store" >&2 || true
		die "$name: .reg store round trip differs"
	}
	checked=$((checked + 1))

	have_hive || continue
	rp reg import --hive "$T/$name.hiv" "$src" 2>/dev/null
	rp reg export --hive "$T/$name.hiv" -o "$T/$name.out.reg"
	$REGVIEW reg "$T/$name.out.reg" >"$T/$name.out"
	cmp -s "$T/$name.src" "$T/$name.out" || {
		diff "$T/$name.src" "$T/$name.out" >&2 || true
		die "$name: .reg -> hive -> .reg differs"
	}
	# Second generation is byte-identical (stable export).
	rp reg import --hive "$T/$name.2.hiv" "$T/$name.out.reg"
	rp reg export --hive "$T/$name.2.hiv" -o "$T/$name.out2.reg"
	cmp -s "$T/$name.out.reg" "$T/$name.out2.reg" || die "$name: export not stable"

	if have hivexsh; then
		# hivexsh opens what we wrote and finds the same top-level keys.
		echo ls | hivexsh "$T/$name.hiv" >"$T/$name.hx" || die "$name: hivexsh cannot open the hive"
		grep -qx Software "$T/$name.hx" || die "$name: hivexsh does not list Software"
	fi
	if have reglookup; then
		$REGVIEW reglookup "$T/$name.hiv" >"$T/$name.rl"
		cmp -s "$T/$name.src" "$T/$name.rl" || {
			diff "$T/$name.src" "$T/$name.rl" >&2 || true
			die "$name: reglookup's view of the hive differs from the source"
		}
		checked=$((checked + 1))
	fi
	if have regfexport; then
		$REGVIEW --inline-quirk reg "$src" >"$T/$name.srcq"
		$REGVIEW --inline-quirk regfexport "$T/$name.hiv" >"$T/$name.rf"
		cmp -s "$T/$name.srcq" "$T/$name.rf" || {
			diff "$T/$name.srcq" "$T/$name.rf" >&2 || true
			die "$name: regfexport's view of the hive differs from the source"
		}
		checked=$((checked + 1))
	fi
done

# Negative control: a hive with one altered value must NOT compare equal,
# through either independent reader.
if have_hive; then
	cp "$T/all_types.hiv" "$T/altered.hiv"
	printf 'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\reprofile-fixture]\r\n"Dword"=dword:0000012d\r\n' >"$T/alter.reg"
	rp reg import --hive "$T/altered.hiv" "$T/alter.reg"
	if have reglookup; then
		$REGVIEW reglookup "$T/altered.hiv" >"$T/altered.rl"
		if cmp -s "$T/all_types.src" "$T/altered.rl"; then
			die "comparison via reglookup missed an altered value"
		fi
	fi
	if have regfexport; then
		$REGVIEW --inline-quirk regfexport "$T/altered.hiv" >"$T/altered.rf"
		if cmp -s "$T/all_types.srcq" "$T/altered.rf"; then
			die "comparison via regfexport missed an altered value"
		fi
	fi
	# And an empty hive made by mkhive opens in both readers.
	rp reg mkhive "$T/empty.hiv"
	if have reglookup; then
		reglookup -H "$T/empty.hiv" >/dev/null || die "reglookup cannot read mkhive output"
	fi
	if have regfexport; then
		regfexport "$T/empty.hiv" >/dev/null || die "regfexport cannot read mkhive output"
	fi
	if have hivexsh; then
		echo ls | hivexsh "$T/empty.hiv" >/dev/null || die "hivexsh cannot read mkhive output"
	fi
else
	echo "note: no hive support in this build; hive checks skipped"
fi
# Windows build: the live registry (Wine's) through the same fixtures, and
# Wine's own reg.exe as the independent reader. Only keys the fixtures own
# (Software\reprofile-*) are touched, and they are removed again.
if have_live; then
	cleanup="$T/cleanup.reg"
	printf 'Windows Registry Editor Version 5.00\r\n\r\n[-HKEY_CURRENT_USER\\Software\\reprofile-fixture]\r\n\r\n[-HKEY_CURRENT_USER\\Software\\reprofile-r4]\r\n' >"$cleanup"
	rp reg import --live "$cleanup"
	for pair in all_types:reprofile-fixture regedit4:reprofile-r4; do
		name=${pair%%:*} key=${pair#*:}
		rp reg import --live "$FIX/$name.reg" 2>/dev/null
		rp reg export --live --key "Software\\$key" -o "$T/$name.live.reg"
		$REGVIEW reg "$T/$name.live.reg" >"$T/$name.live"
		cmp -s "$T/$name.src" "$T/$name.live" || {
			diff "$T/$name.src" "$T/$name.live" >&2 || true
			die "$name: .reg -> live registry -> .reg differs"
		}
		checked=$((checked + 1))
		wine_tool=${RP_WINE:-$RP_EMULATOR}
		# shellcheck disable=SC2086
		if $wine_tool reg export "HKCU\\Software\\$key" "$T/$name.wine.reg" /y >/dev/null 2>&1; then
			$REGVIEW reg "$T/$name.wine.reg" >"$T/$name.wine"
			cmp -s "$T/$name.src" "$T/$name.wine" || {
				diff "$T/$name.src" "$T/$name.wine" >&2 || true
				die "$name: Wine's reg export differs from the source"
			}
			checked=$((checked + 1))
		else
			echo "note: '$wine_tool reg export' unavailable; Wine reg.exe check skipped"
		fi
	done
	rp reg import --live "$cleanup"
	if rp reg export --live --key "Software\\reprofile-fixture" >/dev/null 2>&1; then
		die "cleanup left Software\\reprofile-fixture behind"
	fi
fi
echo "registry round trip: $checked comparisons passed"
