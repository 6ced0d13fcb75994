# mapi_env.sh - sourced by the mailbox scenarios: makes a CA and a server
# certificate for the test names, starts mapi_server.py on loopback and stops
# it on exit. Needs T (scratch folder) and fail(). Sets MAPI_PORT, MAPI_CA,
# MAPI_STATE and MAPI_LOG, and RP (reprofile under RP_EMULATOR, output with
# Windows line ends made plain).
. "$RP_SOURCE_DIR/scripts/tools.sh"
rp_need openssl python3
MAPI_DIR=${MAPI_DIR:-$(cd "$(dirname "$0")" && pwd)}
MAPI_STATE="$T/mapi"
mkdir -p "$MAPI_STATE"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=reprofile mailbox test CA" \
	-keyout "$T/ca.key" -out "$T/ca.pem" >/dev/null 2>&1 || fail "CA"
openssl req -newkey rsa:2048 -nodes -subj "/CN=mapi test" \
	-keyout "$T/srv.key" -out "$T/srv.csr" >/dev/null 2>&1 || fail "CSR"
printf 'subjectAltName=DNS:mail.target.example,DNS:mail.source.example,DNS:localhost,IP:127.0.0.1\n' >"$T/san.ext"
openssl x509 -req -in "$T/srv.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial \
	-days 2 -extfile "$T/san.ext" -out "$T/srv.pem" >/dev/null 2>&1 || fail "cert"
python3 "$MAPI_DIR/mapi_server.py" "$T/srv.pem" "$T/srv.key" \
	"${MAPI_CONFIG:-$MAPI_DIR/fixtures/server.json}" "$MAPI_STATE" 2>"$T/server.err" &
MAPI_PID=$!
trap 'kill $MAPI_PID 2>/dev/null' EXIT INT TERM
i=0
while [ ! -f "$MAPI_STATE/https.port" ]; do
	i=$((i + 1))
	[ $i -gt 100 ] && fail "server did not start: $(cat "$T/server.err")"
	sleep 0.1
done
MAPI_PORT=$(cat "$MAPI_STATE/https.port")
MAPI_CA="$T/ca.pem"
MAPI_LOG="$MAPI_STATE/requests.log"
RP() {
	$RP_EMULATOR "$REPROFILE" "$@" >"$T/.rp-out" 2>"$T/.rp-err"
	rp_rc=$?
	tr -d '\r' <"$T/.rp-out"
	tr -d '\r' <"$T/.rp-err" >&2
	return $rp_rc
}
