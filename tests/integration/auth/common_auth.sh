# Sourced by the authentication scenarios: the switch scenarios' helpers
# (store, run, expect_rc), a test CA, and the loopback auth_server.py.
# shellcheck source=../switch/common.sh
. "$RP_SOURCE_DIR/tests/integration/switch/common.sh"
. "$RP_SOURCE_DIR/scripts/tools.sh"
rp_need openssl python3
HERE=$RP_SOURCE_DIR/tests/integration/auth
CRED_USER='CORP\svc-reprofile'
CRED_PASS='Corr3ct h0rse!'
# Never the real machine's identity or user key: natively the "host" is this
# file and the user key folder is under RP_TMP (docs/authentication.md).
printf 'a1b2c3d4e5f60718293a4b5c6d7e8f90\n' >"$RP_TMP/machine-id"
export REPROFILE_MACHINE_ID_FILE="$RP_TMP/machine-id"
export XDG_CONFIG_HOME="$RP_TMP/config"

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=reprofile auth test CA" \
	-keyout "$RP_TMP/ca.key" -out "$RP_TMP/ca.pem" >/dev/null 2>&1 || die "CA"
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
	-keyout "$RP_TMP/srv.key" -out "$RP_TMP/srv.csr" >/dev/null 2>&1 || die "CSR"
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$RP_TMP/san.ext"
openssl x509 -req -in "$RP_TMP/srv.csr" -CA "$RP_TMP/ca.pem" -CAkey "$RP_TMP/ca.key" \
	-CAcreateserial -days 2 -extfile "$RP_TMP/san.ext" -out "$RP_TMP/srv.pem" >/dev/null 2>&1 ||
	die "cert"
python3 "$HERE/auth_server.py" "$RP_TMP/srv.pem" "$RP_TMP/srv.key" "$RP_TMP/adx" "$RP_TMP" \
	"$CRED_USER:$CRED_PASS" 2>"$RP_TMP/server.err" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null' EXIT INT TERM
i=0
while [ ! -f "$RP_TMP/https.port" ]; do
	i=$((i + 1))
	[ $i -gt 100 ] && die "server did not start: $(cat "$RP_TMP/server.err")"
	sleep 0.1
done
PORT=$(cat "$RP_TMP/https.port")
# The Microsoft 365 answers name outlook.office365.com's MAPI/HTTP endpoint,
# which the target sign-in check would contact with the mock token: a
# closed local port instead (no answer: the check is skipped with a
# Warning, and nothing reaches Microsoft).
export REPROFILE_CONNECT_TO="outlook.office365.com:443:127.0.0.1:9"
# A name, not an IP: Schannel (Windows build) matches only DNS names.
BASE=https://localhost:$PORT
REQ=$RP_TMP/requests.log
SRC=bob.nguyen@source.example
DST=bob.nguyen@target.example

# protect MODE PASSWORD: the INI value (through a pipe, as a script would).
protect() {
	printf '%s\n' "$2" | rp protect-password --mode "$1"
}

# auth_ini KIND LINE...: a fresh store with one online profile, a switch list
# naming the target as KIND (exchange | o365), the target's Autodiscover
# answer in adx/, and reprofile.ini with the loopback URLs and the test CA.
# AuthorityURL always points at the mock, never at Microsoft.
auth_ini() {
	kind=$1
	shift
	load "$FIX/outlook2016-online.reg"
	echo "source,target_smtp,target_legacy_dn,target_kind" >"$RP_TMP/switch.csv"
	echo "$SRC,$DST,,$kind" >>"$RP_TMP/switch.csv"
	target "$DST"
	{
		echo "[Parameters]"
		echo "SwitchList=switch.csv"
		echo "CAFile=ca.pem"
		echo "AuthorityURL=$BASE/ok"
		for l in "$@"; do printf "%s\n" "$l"; done
	} >"$RP_TMP/reprofile.ini"
	: >"$REQ"
}

# log_has TEXT: run.log has a line ending with TEXT (after "[Level] ").
log_has() {
	tr -d '\r' <"$RP_TMP/run.log" | grep -qF -- "$1" || {
		tr -d '\r' <"$RP_TMP/run.log" | sed 's/^/  log: /' >&2
		die "run.log lacks: $1"
	}
}

# requests EXPR: a Python expression over r (the list of recorded requests).
requests() {
	python3 -c "
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
print($1)" "$REQ"
}
