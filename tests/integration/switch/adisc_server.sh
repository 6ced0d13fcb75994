# adisc_server.sh - sourced by the Autodiscover update scenarios (after
# common.sh): the loopback Autodiscover server of tests/unit/discover in
# "files" mode, answering from $RP_TMP/adx (<address>.xml, else <domain>.xml),
# behind a CA made here.
#   adisc_server_start   -> T (its folder), P (HTTPS port), LOG (request log);
#                           CA (the CA file, for CAFile=); needs openssl and
#                           python3 (rp_need)
#   adisc_server_stop
. "$RP_SOURCE_DIR/scripts/tools.sh"
rp_need openssl python3
SERVER=

adisc_server_start() {
	T=$RP_TMP/srv
	LOG=$T/requests.log
	mkdir -p "$T" "$RP_TMP/adx"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=reprofile test CA" \
		-keyout "$T/ca.key" -out "$T/ca.pem" >/dev/null 2>&1 || die "CA"
	openssl req -newkey rsa:2048 -nodes -subj "/CN=autodiscover test" \
		-keyout "$T/srv.key" -out "$T/srv.csr" >/dev/null 2>&1 || die "CSR"
	printf 'subjectAltName=DNS:source.example,DNS:autodiscover.source.example,DNS:target.example,DNS:autodiscover.target.example,DNS:ex1.source.example,DNS:ex3.source.example\n' >"$T/san.ext"
	openssl x509 -req -in "$T/srv.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial \
		-days 2 -extfile "$T/san.ext" -out "$T/srv.pem" >/dev/null 2>&1 || die "cert"
	python3 "$RP_SOURCE_DIR/tests/unit/discover/adisc_server.py" "$T/srv.pem" "$T/srv.key" \
		"$RP_TMP/adx" "$T" files 2>"$T/server.err" &
	SERVER=$!
	i=0
	while [ ! -f "$T/https.port" ]; do
		i=$((i + 1))
		[ $i -gt 100 ] && die "server did not start: $(cat "$T/server.err")"
		sleep 0.1
	done
	P=$(cat "$T/https.port")
	CA=$T/ca.pem
}

adisc_server_stop() {
	[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
	SERVER=
}

# nreq: requests the server has answered so far.
nreq() { [ -f "$LOG" ] && wc -l <"$LOG" | tr -d ' ' || echo 0; }
