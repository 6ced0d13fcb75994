#!/bin/sh
# Defects found by an item-by-item audit against the admin guide (issue 7,
# section 3): each step drives the real binary and checks what an
# administrator replacing the old tool in a logon script would notice.
. "$(dirname "$0")/common.sh"
P="HKEY_CURRENT_USER\\$PROFILES\\Outlook"

# 1. KeepOST=1 keeps the OST even when it is named after the SMTP address
# (Outlook's default name): a path is never rewritten by address.
load "$FIX/outlook2016-cached.reg"
SRC=$(field "x['smtp']")
DST=${SRC%@*}@target.example
SECT=$(field "x['section']")
OST="$RP_TMP/$SRC.ost"
echo "offline folder file" >"$OST"
snippet "$RP_TMP/ost.reg" "[$P\\$SECT]" "\"001f6610\"=hex:$(hexw "$OST")"
load "$FIX/outlook2016-cached.reg" "$RP_TMP/ost.reg"
switches "$SRC=$DST"
ini "ProcessOfflineProfiles=1" "KeepOST=1"
run update
expect_rc 1 "KeepOST with <smtp>.ost"
[ "$(field "x['smtp']")" = "$DST" ] || die "not switched"
[ "$(field "x['ost_path']")" = "$OST" ] ||
	die "KeepOST: the OST path became '$(field "x['ost_path']")'"
echo "ok: 1 KeepOST keeps <smtp>.ost"
