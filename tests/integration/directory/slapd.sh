# slapd.sh - sourced by directory scenario scripts: a private OpenLDAP slapd
# for this test only, on a free 127.0.0.1 port, in $RP_TMP, stopped at exit.
#
#   . "$RP_SOURCE_DIR/tests/integration/directory/slapd.sh"
#   rp_slapd_start [EXTRA_SOURCE_LDIF...]   # rp_need: slapd, slapadd, ldapsearch
#   (RP_SLAPD_EXTRA_TARGET=FILE adds entries to the target suffix)
#
# Afterwards: RP_LDAP_URI (ldap://127.0.0.1:PORT), RP_SLAPD_PORT, RP_SLAPD_DIR,
# and with RP_SLAPD_TLS=1 also RP_LDAPS_URI and RP_LDAP_CA (a CA made here).
# Fixtures: tests/fixtures/directory/{slapd.conf.in,exchange-test.schema,
# source.ldif,target.ldif,rootdse.ldif}; @PORT@ in LDIF becomes the port.

RP_SLAPD_BIN=${RP_SLAPD_BIN:-/usr/sbin/slapd}
RP_SLAPADD_BIN=${RP_SLAPADD_BIN:-/usr/sbin/slapadd}
RP_SLAPD_PID=
. "$RP_SOURCE_DIR/scripts/tools.sh"

rp_slapd_stop() {
	if [ -n "$RP_SLAPD_PID" ]; then
		kill "$RP_SLAPD_PID" 2>/dev/null
		# slapd flushes and exits on SIGTERM; do not leave it behind
		i=0
		while kill -0 "$RP_SLAPD_PID" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$RP_SLAPD_PID" 2>/dev/null
		RP_SLAPD_PID=
	fi
}

rp_slapd_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

rp_slapd_tls_files() {
	d=$1
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=reprofile test CA" \
		-keyout "$d/ca.key" -out "$d/ca.pem" >/dev/null 2>&1 || return 1
	printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$d/san.ext"
	openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
		-keyout "$d/server.key" -out "$d/server.csr" >/dev/null 2>&1 || return 1
	openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
		-CAcreateserial -days 2 -extfile "$d/san.ext" -out "$d/server.pem" \
		>/dev/null 2>&1 || return 1
	chmod 644 "$d/server.key"
}

# One attempt on one port: config, offline load, start, wait for an answer.
rp_slapd_try() {
	port=$1
	shift
	d=$RP_SLAPD_DIR
	fix=$RP_SOURCE_DIR/tests/fixtures/directory
	rm -rf "$d/db-source" "$d/db-target"
	mkdir -p "$d/db-source" "$d/db-target" || return 1
	tls=""
	urls="ldap://127.0.0.1:$port/"
	if [ "${RP_SLAPD_TLS:-0}" = 1 ]; then
		tls="TLSCACertificateFile $d/ca.pem
TLSCertificateFile $d/server.pem
TLSCertificateKeyFile $d/server.key"
		RP_LDAPS_PORT=$(rp_slapd_free_port)
		urls="$urls ldaps://127.0.0.1:$RP_LDAPS_PORT/"
	fi
	awk -v dir="$d" -v fix="$fix" -v tls="$tls" \
		'{ gsub(/@DIR@/, dir); gsub(/@FIX@/, fix); gsub(/@TLS@/, tls); print }' \
		"$fix/slapd.conf.in" >"$d/slapd.conf" || return 1
	cp "$fix/rootdse.ldif" "$d/rootdse.ldif"
	sed "s/@PORT@/$port/g" "$fix/source.ldif" >"$d/source.ldif"
	for extra in "$@"; do
		{ echo; sed "s/@PORT@/$port/g" "$extra"; } >>"$d/source.ldif"
	done
	"$RP_SLAPADD_BIN" -q -f "$d/slapd.conf" -b dc=source,dc=example -l "$d/source.ldif" \
		>"$d/slapadd.log" 2>&1 || { cat "$d/slapadd.log"; return 2; }
	cp "$fix/target.ldif" "$d/target.ldif"
	if [ -n "${RP_SLAPD_EXTRA_TARGET:-}" ]; then
		{ echo; cat "$RP_SLAPD_EXTRA_TARGET"; } >>"$d/target.ldif"
	fi
	"$RP_SLAPADD_BIN" -q -f "$d/slapd.conf" -b dc=target,dc=example -l "$d/target.ldif" \
		>>"$d/slapadd.log" 2>&1 || { cat "$d/slapadd.log"; return 2; }
	# -d 0 keeps slapd in the foreground, so $! is its pid for the trap
	"$RP_SLAPD_BIN" -f "$d/slapd.conf" -h "$urls" -d 0 >"$d/slapd.log" 2>&1 &
	RP_SLAPD_PID=$!
	i=0
	while [ $i -lt 100 ]; do
		if ! kill -0 "$RP_SLAPD_PID" 2>/dev/null; then
			RP_SLAPD_PID=
			return 1
		fi
		if ldapsearch -x -H "ldap://127.0.0.1:$port" -b "" -s base \
			configurationNamingContext >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	rp_slapd_stop
	return 1
}

rp_slapd_start() {
	rp_need slapd slapadd ldapsearch python3
	RP_SLAPD_DIR=${RP_TMP:?}/slapd
	mkdir -p "$RP_SLAPD_DIR"
	trap rp_slapd_stop EXIT
	trap 'rp_slapd_stop; exit 1' INT TERM
	if [ "${RP_SLAPD_TLS:-0}" = 1 ]; then
		rp_need openssl
		rp_slapd_tls_files "$RP_SLAPD_DIR" || { echo "cannot make test certificates"; exit 1; }
		RP_LDAP_CA=$RP_SLAPD_DIR/ca.pem
	fi
	n=0
	while [ $n -lt 5 ]; do
		RP_SLAPD_PORT=$(rp_slapd_free_port)
		rp_slapd_try "$RP_SLAPD_PORT" "$@"
		rc=$?
		if [ $rc -eq 0 ]; then
			RP_LDAP_URI=ldap://127.0.0.1:$RP_SLAPD_PORT
			[ -n "${RP_LDAPS_PORT:-}" ] && RP_LDAPS_URI=ldaps://127.0.0.1:$RP_LDAPS_PORT
			export RP_LDAP_URI RP_LDAPS_URI RP_SLAPD_PORT RP_SLAPD_DIR RP_LDAP_CA
			return 0
		fi
		[ $rc -eq 2 ] && { echo "slapadd failed (see above)"; exit 1; }
		n=$((n + 1))
	done
	echo "slapd did not start; last log:"
	cat "$RP_SLAPD_DIR/slapd.log"
	exit 1
}
