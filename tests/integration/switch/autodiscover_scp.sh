#!/bin/sh
# The SCP candidate in `reprofile update` (issue 4): the source lookup takes
# its URL from the Autodiscover service connection points of the source
# directory ([Directory] settings, the private slapd of
# tests/integration/directory), and AutodiscoverExclude switches each
# candidate off. The SCP fixture publishes, without a site, ex3 first
# (tests/integration/directory/scp_ldap.sh), then ex1 and ex2.
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/adisc_server.sh"
. "$RP_SOURCE_DIR/tests/integration/directory/slapd.sh"
SRC=bob.nguyen@source.example
DST=bob.nguyen@target.example
rp_slapd_start
adisc_server_start
trap 'adisc_server_stop; rp_slapd_stop' EXIT
trap 'adisc_server_stop; rp_slapd_stop; exit 1' INT TERM

load "$FIX/outlook2016-online.reg"
SRCDN=$(field "x['mailbox_dn']")
sed -e "s#<LegacyDN>[^<]*</LegacyDN>#<LegacyDN>$SRCDN</LegacyDN>#" \
	-e "s/ada@source.example/$SRC/g" "$ADX/onprem-source.xml" >"$RP_TMP/adx/$SRC.xml"
target "$DST"
echo "source,target_smtp,target_legacy_dn,target_kind" >"$RP_TMP/switch.csv"
echo "$SRC,$DST,,exchange" >>"$RP_TMP/switch.csv"
# Only the SCP host and the target are reachable.
export REPROFILE_CONNECT_TO="ex3.source.example:443:127.0.0.1:$P target.example:443:127.0.0.1:$P"
TURL=https://target.example/autodiscover/autodiscover.xml
scpini() { # AutodiscoverExclude value, more [Parameters] lines
	x=$1
	shift
	{
		echo "[Parameters]"
		echo "SwitchList=switch.csv"
		echo "AutodiscoverTargetURL=$TURL"
		echo "AutodiscoverExclude=$x"
		echo "CAFile=$CA"
		for l in "$@"; do printf "%s\n" "$l"; done
		echo "[Directory]"
		echo "DirectorySourceURI=$RP_LDAP_URI"
		echo "DirectorySourceBase=ou=Users,dc=source,dc=example"
		echo "DirectorySourceBindDN=cn=admin,dc=source,dc=example"
		echo "DirectorySourcePassword=source-secret"
	} >"$RP_TMP/reprofile.ini"
}

# 1. No manual source URL, only the SCP candidate: the source lookup goes to
#    the first SCP URL, then the target URL; the profile is switched.
scpini "root autodiscover httpredirect srv"
n0=$(nreq)
run update
expect_rc 1 "SCP candidate"
expect_csv 'Outlook\t10\t0'
[ $(($(nreq) - n0)) -eq 2 ] || die "$(($(nreq) - n0)) requests, want 2"
sed -n "$((n0 + 1))p" "$LOG" | grep -q "\"host\": \"ex3.source.example\".*\"path\": \"/Autodiscover/Autodiscover.xml\"" ||
	sed -n "$((n0 + 1))p" "$LOG" | grep -q "\"path\": \"/Autodiscover/Autodiscover.xml\".*\"host\": \"ex3.source.example\"" ||
	die "the source lookup did not use the SCP URL: $(sed -n "$((n0 + 1))p" "$LOG")"

# 2. AutodiscoverExclude=scp too: no candidate is left for the source, whose
#    lookup SwitchSources=autodiscover asks for.
load "$FIX/outlook2016-online.reg"
scpini "scp root autodiscover httpredirect srv" "SwitchSources=list autodiscover"
n0=$(nreq)
run update
expect_rc 4 "every candidate excluded"
expect_csv 'Outlook\t4\t0'
tr -d '\r' <"$RP_TMP/run.log" | grep -qF "[Error] Cannot get an Autodiscover response on source. See logged errors to resolve the issue. Profile will not be processed." ||
	die "no [Error] line for the source"
[ "$(nreq)" -eq "$n0" ] || die "a request was sent with every candidate excluded"
# Without SwitchSources=autodiscover the source side is not configured any
# more (no URL, SCP excluded): no source check, the switch list decides.
load "$FIX/outlook2016-online.reg"
scpini "scp root autodiscover httpredirect srv"
run update
expect_rc 1 "no source side configured"
[ $(($(nreq) - n0)) -eq 1 ] || die "$(($(nreq) - n0)) requests, want 1 (the target)"

# 3. With the SCP candidate but the root domain allowed: SCP comes first (the
#    root name source.example is unreachable and never asked).
load "$FIX/outlook2016-online.reg"
scpini "httpredirect srv"
n0=$(nreq)
run update
expect_rc 1 "SCP before the root domain"
[ $(($(nreq) - n0)) -eq 2 ] || die "$(($(nreq) - n0)) requests, want 2"
# 4. `reprofile discover --ini`: the same INI gives discover the SCP
#    candidate and the exclusions.
scpini "root autodiscover httpredirect srv"
n0=$(nreq)
(cd "$RP_TMP" && rp discover "$SRC" --net --ini reprofile.ini --ca-file "$CA" \
	--connect-to "ex3.source.example:443:127.0.0.1:$P") >"$RP_TMP/d.out" 2>"$RP_TMP/d.err" ||
	die "discover --ini: $(cat "$RP_TMP/d.err")"
tr -d '\r' <"$RP_TMP/d.out" | grep -qxF "source: https://ex3.source.example/Autodiscover/Autodiscover.xml" ||
	die "discover --ini did not answer from the SCP URL: $(cat "$RP_TMP/d.out")"
[ $(($(nreq) - n0)) -eq 1 ] || die "discover --ini: $(($(nreq) - n0)) requests, want 1"
echo "ok: SCP candidate scenarios passed"
