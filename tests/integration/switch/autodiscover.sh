#!/bin/sh
# Network Autodiscover in `reprofile update` (issue 4): the source check, the
# manual URLs and their domain check, SwitchSources=autodiscover, and every
# row of the guide's troubleshooting table ("Dealing with Autodiscover
# service issues"), asserted line for line, with libcurl's wording where the
# guide quotes WinHTTP codes (docs/autodiscover.md). The Autodiscover server
# is tests/unit/discover/adisc_server.py on loopback, in "files" mode: each
# answer is a file this script writes. Natively on a hive, in the Windows
# build on Wine's registry (libcurl with Schannel, the test CA from
# the INI's CAFile).
. "$(dirname "$0")/common.sh"
SRC=bob.nguyen@source.example
DST=bob.nguyen@target.example
# The profile's legacyExchangeDN (from the fixture, read by `show`).
load "$FIX/outlook2016-online.reg"
SRCDN=$(field "x['mailbox_dn']")
[ -n "$SRCDN" ] || die "no source DN in the fixture"

. "$(dirname "$0")/adisc_server.sh"
adisc_server_start
trap adisc_server_stop EXIT INT TERM
CT=""
for h in source.example autodiscover.source.example target.example autodiscover.target.example; do
	CT="$CT $h:443:127.0.0.1:$P"
done
export REPROFILE_CONNECT_TO="$CT"
SURL=https://source.example/autodiscover/autodiscover.xml
TURL=https://target.example/autodiscover/autodiscover.xml

# Answers: the target (the project's Office 365 fixture) and the source with
# the profile's own legacyExchangeDN.
target "$DST"
source_answer() { # DN
	sed -e "s#<LegacyDN>[^<]*</LegacyDN>#<LegacyDN>$1</LegacyDN>#" \
		-e "s/ada@source.example/$SRC/g" "$ADX/onprem-source.xml" >"$RP_TMP/adx/$SRC.xml"
}
redirect_answer() { # TO
	cat >"$RP_TMP/adx/$SRC.xml" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
<Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
<Account><Action>redirectAddr</Action><RedirectAddr>$1</RedirectAddr></Account></Response></Autodiscover>
EOF
}
source_answer "$SRCDN"

# netini [LINE...]: network Autodiscover, the switch list SRC=DST.
netini() {
	{
		echo "[Parameters]"
		echo "SwitchList=switch.csv"
		echo "AutodiscoverExclude=srv httpredirect"
		echo "CAFile=$CA"
		for l in "$@"; do printf "%s\n" "$l"; done
	} >"$RP_TMP/reprofile.ini"
}
echo "source,target_smtp,target_legacy_dn,target_kind" >"$RP_TMP/switch.csv"
echo "$SRC,$DST,,exchange" >>"$RP_TMP/switch.csv"

# log_has LINE...: each line is in run.log, verbatim ("[Level] text" after the
# time stamp), and in this order.
log_has() {
	tr -d '\r' <"$RP_TMP/run.log" >"$RP_TMP/run.txt"
	last=0
	for l in "$@"; do
		n=$(grep -nF -- "$l" "$RP_TMP/run.txt" | head -n 1 | cut -d: -f1)
		[ -n "$n" ] || {
			sed 's/^/  log: /' "$RP_TMP/run.txt" >&2
			die "log line missing: $l"
		}
		[ "$n" -gt "$last" ] || die "log line out of order: $l"
		last=$n
	done
}
ESRC="[Error] Cannot get an Autodiscover response on source. See logged errors to resolve the issue. Profile will not be processed."
ETRG="[Error] Cannot get an Autodiscover response on target. See logged errors to resolve the issue. Profile will not be processed."
fresh() {
	load "$FIX/outlook2016-online.reg"
}

# 1. Both manual URLs, the source answers with the profile's DN: switched.
#    One request per side, each to its URL.
netini "AutodiscoverSourceURL=$SURL" "AutodiscoverTargetURL=$TURL"
n0=$(nreq)
run update
expect_rc 1 "manual URLs, matching DN"
expect_csv 'Outlook\t10\t0'
[ "$(field "x['smtp']")" = "$DST" ] || die "not switched"
[ $(($(nreq) - n0)) -eq 2 ] || die "$(($(nreq) - n0)) requests, want 2"
tail -n 2 "$LOG" | head -n 1 | grep -q "\"host\": \"source.example\".*\"address\": \"$SRC\"" ||
	die "the first request is not the source lookup"

# 2. Guide row "Autodiscover URL points to wrong Exchange server for source":
#    the source answer carries another legacyExchangeDN.
fresh
WRONG="/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=bob.nguyen"
source_answer "$WRONG"
run update
expect_rc 4 "DN mismatch"
expect_csv 'Outlook\t4\t0'
log_has "[Warning] User LegacyExchangeDN properties are different: from the source Autodiscover response: '$WRONG', from the profile: '$SRCDN'." "$ESRC"
[ "$(field "x['smtp']")" = "$SRC" ] || die "switched despite the DN mismatch"
source_answer "$SRCDN"

# 3. Guide row "Incorrect Autodiscover URL was specified for source": a name
#    that does not resolve (.example is reserved, RFC 2606).
fresh
BAD=https://nohost.source.example/autodiscover/autodiscover.xml
netini "AutodiscoverSourceURL=$BAD" "AutodiscoverTargetURL=$TURL"
run update
expect_rc 4 "unresolvable source URL"
expect_csv 'Outlook\t4\t0'
log_has "[TraceW] Failed to get Autodiscover response for email '$SRC'. Autodiscover URL: '$BAD'." \
	"[TraceW] WinHTTP result: 0x00002ee7, Description: The server name or address could not be resolved" \
	"[TraceW] libcurl result: 6, Description: Couldn't resolve host name" \
	"[Warning] Cannot get an Autodiscover response for the user '$SRC' from the URL: '$BAD'." \
	"$ESRC"

# 4. Guide row "Cannot connect to the Autodiscover service": nothing listens
#    (source.example:443 is sent to port 1 of loopback).
fresh
netini "AutodiscoverSourceURL=$SURL" "AutodiscoverTargetURL=$TURL"
REPROFILE_CONNECT_TO="source.example:443:127.0.0.1:1" run update
expect_rc 4 "connection refused"
log_has "[TraceW] Failed to get Autodiscover response for email '$SRC'. Autodiscover URL: '$SURL'." \
	"[TraceW] WinHTTP result: 0x00002efd, Description: A connection with the server could not be established" \
	"[TraceW] libcurl result: 7, Description: Couldn't connect to server" \
	"[Warning] Cannot get an Autodiscover response for the user '$SRC' from the URL: '$SURL'." \
	"$ESRC"

# 5. Guide row "Incorrect credentials were specified for target": 401.
fresh
AURL=https://target.example/auth401/autodiscover.xml
netini "AutodiscoverSourceURL=$SURL" "AutodiscoverTargetURL=$AURL"
run update
expect_rc 4 "401 on target"
expect_csv 'Outlook\t4\t0'
log_has "[TraceW] Failed to get Autodiscover response for email '$DST'. Autodiscover URL: '$AURL'." \
	"[TraceW] Custom result: 0xc01000cf, Description: HTTP status code 401 (Unauthorized) received. This response indicates that authorization has been refused for the account used to access destination, or specified credentials are invalid." \
	"$ETRG" \
	"[Error] Cannot get the target mailbox settings for profile 'Outlook': target '$DST': no Autodiscover response for '$DST' (1 URL tried). Profile will not be processed."

# 5b. An Autodiscover ErrorCode answer on the target gets its [TraceW] line,
#     as on the source side.
fresh
netini "AutodiscoverSourceURL=$SURL" "AutodiscoverTargetURL=$TURL"
cp "$RP_TMP/adx/$DST.xml" "$RP_TMP/dst-settings.xml"
cat >"$RP_TMP/adx/$DST.xml" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
<Response><Error Time="10:00:00.0000000" Id="2761035329"><ErrorCode>500</ErrorCode>
<Message>The email address can't be found.</Message><DebugData /></Error></Response></Autodiscover>
EOF
run update
expect_rc 4 "ErrorCode 500 on target"
expect_csv 'Outlook\t4\t0'
log_has "[TraceW] $TURL: Autodiscover error 500 for '$DST': The email address can't be found." "$ETRG"
mv "$RP_TMP/dst-settings.xml" "$RP_TMP/adx/$DST.xml"

# 6. The URL check: a source URL on the target's domain is refused before any
#    request, unless -SkipAutodiscoverChecking.
fresh
netini "AutodiscoverSourceURL=$TURL" "AutodiscoverTargetURL=$TURL"
n0=$(nreq)
run update
expect_rc 4 "source URL on the target domain"
log_has "[Warning] The Autodiscover URL '$TURL' is not on the source domain 'source.example' of '$SRC' (-SkipAutodiscoverChecking allows it)." "$ESRC"
[ "$(nreq)" -eq "$n0" ] || die "a request was sent for a refused URL"
run update -SkipAutodiscoverChecking
expect_rc 1 "-SkipAutodiscoverChecking"
expect_csv 'Outlook\t10\t0'
fresh
netini "AutodiscoverSourceURL=$SURL" "AutodiscoverTargetURL=$SURL"
run update
expect_rc 4 "target URL on the source domain"
log_has "[Warning] The Autodiscover URL '$SURL' is not on the target domain 'target.example' of '$DST' (-SkipAutodiscoverChecking allows it)." "$ETRG"

# 7. Same source and target SMTP domain (the guide's "Dealing with Same Source
#    and Target SMTP Addresses"): ProcessedDomainsFQDNs and both URLs. The
#    source URL answers with the source DN, the target URL with the target.
fresh
SAME=bob.nguyen@target.example
echo "source,target_smtp,target_legacy_dn,target_kind" >"$RP_TMP/switch.csv"
echo "$SRC,$SAME,,exchange" >>"$RP_TMP/switch.csv"
netini "ProcessedDomainsFQDNs=source.example target.example" \
	"AutodiscoverSourceURL=$SURL" "AutodiscoverTargetURL=$TURL"
run update
expect_rc 1 "ProcessedDomainsFQDNs + both URLs"
expect_csv 'Outlook\t10\t0'

# 8. SwitchSources: the source Autodiscover answers redirectAddr to another
#    domain (a moved mailbox). Not a switch source by default; with
#    SwitchSources=autodiscover it is, with the target from the redirect and
#    no switch list at all.
fresh
redirect_answer "$DST"
rm -f "$RP_TMP/switch.csv"
{
	echo "[Parameters]"
	echo "AutodiscoverExclude=srv httpredirect"
	echo "CAFile=$CA"
	echo "AutodiscoverSourceURL=$SURL"
	echo "AutodiscoverTargetURL=$TURL"
} >"$RP_TMP/reprofile.ini"
run update
expect_rc 2 "redirect, default SwitchSources"
expect_csv 'Outlook\t0\t0'
echo "SwitchSources=autodiscover" >>"$RP_TMP/reprofile.ini"
n0=$(nreq)
run update
expect_rc 1 "SwitchSources=autodiscover"
expect_csv 'Outlook\t10\t0'
log_has "[Info] Autodiscover redirects '$SRC' to '$DST' ($SURL): the mailbox is switched"
[ "$(field "x['smtp']")" = "$DST" ] || die "not switched to the redirect's target"
# The source lookup stopped at the redirect: the source URL was not asked
# about the target address.
[ $(($(nreq) - n0)) -eq 2 ] || die "$(($(nreq) - n0)) requests, want 2"
# 9. Local XML files (UseLocalAutodiscoverXMLs=1) answer both sides: the
#    source file's redirectAddr is followed to the target's file and counts as
#    the switch; a source file with another DN fails the source check; no
#    source file, no check (the other switch scenarios rely on that).
local_ini() {
	{
		echo "[Parameters]"
		echo "UseLocalAutodiscoverXMLs=1"
		echo "LocalAutodiscoverXMLPath=adx"
		for l in "$@"; do printf "%s\n" "$l"; done
	} >"$RP_TMP/reprofile.ini"
}
fresh
local_ini "SwitchSources=autodiscover"
n0=$(nreq)
run update
expect_rc 1 "local files, SwitchSources=autodiscover"
expect_csv 'Outlook\t10\t0'
[ "$(nreq)" -eq "$n0" ] || die "local files: a network request was sent"
fresh
source_answer "$WRONG"
echo "source,target_smtp,target_legacy_dn,target_kind" >"$RP_TMP/switch.csv"
echo "$SRC,$DST,,exchange" >>"$RP_TMP/switch.csv"
local_ini "SwitchList=switch.csv"
run update
expect_rc 4 "local files, DN mismatch"
log_has "[Warning] User LegacyExchangeDN properties are different: from the source Autodiscover response: '$WRONG', from the profile: '$SRCDN'." "$ESRC"
fresh
rm -f "$RP_TMP/adx/$SRC.xml"
run update
expect_rc 1 "local files, no source file"
log_has "[TraceW] No local Autodiscover XML file for the source '$SRC'; the source check is skipped."
# 10. A switch-list alias (issue 7, 2.6): the target's Autodiscover names the
#     primary address (AutoDiscoverSMTPAddress); that is what the account
#     gets, and the log names both.
fresh
ALIAS=bob.n@target.example
target "$DST"
cp "$RP_TMP/adx/$DST.xml" "$RP_TMP/adx/$ALIAS.xml"
rm -f "$RP_TMP/adx/$SRC.xml"
echo "source,target_smtp,target_legacy_dn,target_kind" >"$RP_TMP/switch.csv"
echo "$SRC,$ALIAS,,exchange" >>"$RP_TMP/switch.csv"
local_ini "SwitchList=switch.csv"
run update
expect_rc 1 "alias in the switch list"
[ "$(field "x['smtp']")" = "$DST" ] || die "the alias became the account's address: $(field "x['smtp']")"
[ "$(field "st['smtp']")" = "$DST" ] || die "the store's SMTP is not the primary address"
json | grep -qi "$ALIAS" && die "the alias is written in the profile"
log_has "[Info] The switch list names '$ALIAS' for '$SRC'; the target's Autodiscover names its primary address '$DST', which is written."
# 11. `reprofile discover ADDRESS --url <source URL>` on a moved mailbox
#     (issue 7, 2.4): the source answers redirectAddr for every address, as
#     gromox does; discover reports the redirect and goes on with the new
#     address's own candidates (as update does), or with --no-follow stops
#     at "moved to".
target "$DST"
MURL=https://source.example/movedorg/autodiscover.xml
DOPT="--ca-file $CA --no-srv --no-http-redirect"
for h in source.example target.example autodiscover.source.example autodiscover.target.example; do
	DOPT="$DOPT --connect-to $h:443:127.0.0.1:$P"
done
n0=$(nreq)
# shellcheck disable=SC2086
rp discover "$SRC" --url "$MURL" $DOPT >"$RP_TMP/d.out" 2>"$RP_TMP/d.err" ||
	die "discover of a moved mailbox: $(cat "$RP_TMP/d.err")"
tr -d '\r' <"$RP_TMP/d.out" >"$RP_TMP/d.txt"
grep -qxF "redirect: addr:$DST" "$RP_TMP/d.txt" || die "discover: no redirect line"
grep -qxF "final_address: $DST" "$RP_TMP/d.txt" || die "discover: final address"
grep -qxF "source: $TURL" "$RP_TMP/d.txt" || die "discover: not answered by the target's candidate"
grep -qF "[Info] '$SRC' moved to '$DST' ($MURL); looking '$DST' up with its own candidates" \
	"$RP_TMP/d.err" || die "discover: the move is not reported"
[ $(($(nreq) - n0)) -eq 2 ] || die "discover moved: $(($(nreq) - n0)) requests, want 2"
n0=$(nreq)
# shellcheck disable=SC2086
rp discover "$SRC" --url "$MURL" --no-follow $DOPT >"$RP_TMP/d.out" 2>"$RP_TMP/d.err" ||
	die "discover --no-follow: $(cat "$RP_TMP/d.err")"
tr -d '\r' <"$RP_TMP/d.out" | grep -qxF "moved_to: $DST" || die "discover --no-follow: no moved_to line"
[ $(($(nreq) - n0)) -eq 1 ] || die "discover --no-follow: $(($(nreq) - n0)) requests, want 1"

# Switched already by another tool (no state, no switch-list row names it):
# the target organisation's Autodiscover (AutodiscoverTargetURL) answers for
# the account's address with its own DN: 2 PROFILE_ALREADY_UPDATED, no
# CPUU_NO_SWITCH_MSG (issue 7, section 3 item 5).
export_key "$PROFILES" "$RP_TMP/switched.reg"
load "$RP_TMP/switched.reg"
[ "$(field "x['smtp']")" = "$DST" ] || die "the switched copy does not name the target"
echo "source,target_smtp,target_legacy_dn,target_kind" >"$RP_TMP/switch.csv"
echo "someone.else@source.example,someone.else@target.example,,exchange" >>"$RP_TMP/switch.csv"
netini "AutodiscoverTargetURL=$TURL"
run update
expect_rc 0 "switched by another tool, the target Autodiscover says home"
expect_csv 'Outlook\t2\t0'
log_has "already names the target mailbox '$DST' (the target Autodiscover $TURL answers for it)"
echo "ok: Autodiscover update scenarios passed"
