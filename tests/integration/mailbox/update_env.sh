# update_env.sh - sourced by the update scenarios that talk to the loopback
# servers (after switch/common.sh, with SRC and DST set; MAPI_CONFIG may name
# the MAPI server's users): the Autodiscover server answering for DST with
# fixtures/adx/target.example.xml, the MAPI/HTTP server (mapi_env.sh) for
# mail.target.example and mail.source.example, their CAs in $RP_TMP/cas.pem,
# the switch list SRC -> DST, and protect PASSWORD (a protected value for
# the INI). Both servers stop on exit.
. "$RP_SOURCE_DIR/tests/integration/switch/adisc_server.sh"
adisc_server_start
ADX_CA=$CA
T=$RP_TMP/mapi-t
mkdir -p "$T"
fail() { die "$@"; }
MAPI_DIR=$RP_SOURCE_DIR/tests/integration/mailbox
. "$MAPI_DIR/mapi_env.sh"
trap 'kill $MAPI_PID 2>/dev/null; adisc_server_stop' EXIT INT TERM
cat "$ADX_CA" "$MAPI_CA" >"$RP_TMP/cas.pem"
CT="mail.target.example:443:127.0.0.1:$MAPI_PORT mail.source.example:443:127.0.0.1:$MAPI_PORT"
for h in target.example autodiscover.target.example; do
	CT="$CT $h:443:127.0.0.1:$P"
done
export REPROFILE_CONNECT_TO="$CT"
cp "$MAPI_DIR/fixtures/adx/target.example.xml" "$RP_TMP/adx/$DST.xml"
echo "source,target_smtp,target_legacy_dn,target_kind" >"$RP_TMP/switch.csv"
echo "$SRC,$DST,,exchange" >>"$RP_TMP/switch.csv"
protect() { printf '%s\n' "$1" | rp protect-password --mode unrestricted | tr -d '\r'; }
