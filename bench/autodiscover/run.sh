#!/bin/sh
# bench/autodiscover/run.sh BUILD_DIR [N] [DOMAINS] [DELAY_MS]
#
# Autodiscover round trips and wall time of `reprofile update` for N profiles
# (default 100) of users in DOMAINS source domains (default 4), over a link
# with DELAY_MS added each way (default 150: a 300 ms round trip), native
# build only. The Autodiscover server (tests/unit/discover/adisc_server.py,
# "files" mode) runs in a network namespace behind a veth pair with netem on
# both ends. Where the kernel has no netem qdisc (or there is no root / ip /
# tc), delay_proxy.py stands in: a loopback TCP proxy delaying every chunk
# by DELAY_MS each way and charging one round trip per new connection. Every source address answers redirectAddr to its target
# (SwitchSources=autodiscover: the Autodiscover switch detection), every
# target address the project's Office 365 fixture. The server demands HTTP
# Basic of the INI's account (ADISC_BASIC); the table counts the POSTs sent
# without credentials (401 round trips) and the TLS connections (distinct
# client ports in the server's log). Candidate discovery is on
# (no manual URLs): https://<domain> is refused (nothing listens: one round
# trip lost), https://autodiscover.<domain> answers.
#
#   cached : one process over one .reg store holding the N profiles
#            (the per-run caches: the URL that answered per domain, the
#            connection kept open);
#   cold   : one process per profile (-Profiles Pnnn), so every profile
#            starts with empty caches, as N separate logons would.
#
# Needs openssl and python3 (root, ip and tc from Debian iproute2 and a
# kernel with sch_netem for the netem variant); prints a note and exits 0
# without measuring when openssl or python3 is missing.
set -eu
BUILD=$(cd "${1:?usage: run.sh BUILD_DIR [N] [DOMAINS] [DELAY_MS]}" && pwd)
N=${2:-100}
ND=${3:-4}
DELAY=${4:-150}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RP=$BUILD/reprofile
note() {
	echo "note: $*; Autodiscover benchmark not run"
	exit 0
}
for t in openssl python3; do
	command -v $t >/dev/null 2>&1 || note "$t is missing"
done
[ -x "$RP" ] || note "$RP not built"
W=$BUILD/tmp/bench-autodiscover
rm -rf "$W"
mkdir -p "$W/adx"
NS=rpbench$$
A=rpb$$a
B=rpb$$b
SERVER=
PROXY=
cleanup() {
	[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
	[ -n "$PROXY" ] && kill "$PROXY" 2>/dev/null || true
	ip netns del "$NS" 2>/dev/null || true
	ip link del "$A" 2>/dev/null || true
}
trap cleanup EXIT INT TERM
METHOD=proxy
if [ "$(id -u)" = 0 ] && command -v ip >/dev/null 2>&1 && command -v tc >/dev/null 2>&1 &&
	ip netns add "$NS" 2>/dev/null; then
	ip link add "$A" type veth peer name "$B"
	ip link set "$B" netns "$NS"
	ip addr add 10.77.0.1/24 dev "$A"
	ip link set "$A" up
	ip netns exec "$NS" ip addr add 10.77.0.2/24 dev "$B"
	ip netns exec "$NS" ip link set "$B" up
	ip netns exec "$NS" ip link set lo up
	if tc qdisc add dev "$A" root netem delay "${DELAY}ms" 2>"$W/tc.err" &&
		ip netns exec "$NS" tc qdisc add dev "$B" root netem delay "${DELAY}ms"; then
		METHOD=netem
	else
		echo "note: tc netem: $(cat "$W/tc.err") (kernel without sch_netem); using delay_proxy.py"
		ip netns del "$NS"
	fi
else
	echo "note: no network namespace (needs root, ip, tc); using delay_proxy.py"
fi

# Certificates, profiles, answers.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=bench CA" \
	-keyout "$W/ca.key" -out "$W/ca.pem" >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -subj "/CN=bench" -keyout "$W/srv.key" \
	-out "$W/srv.csr" >/dev/null 2>&1
san="DNS:target.example,DNS:autodiscover.target.example"
d=1
while [ $d -le "$ND" ]; do
	san="$san,DNS:sour${d}e.example,DNS:autodiscover.sour${d}e.example"
	d=$((d + 1))
done
echo "subjectAltName=$san" >"$W/san.ext"
openssl x509 -req -in "$W/srv.csr" -CA "$W/ca.pem" -CAkey "$W/ca.key" -CAcreateserial \
	-days 2 -extfile "$W/san.ext" -out "$W/srv.pem" >/dev/null 2>&1
python3 "$(dirname "$0")/gen_profiles.py" "$ROOT/tests/fixtures/profiles/outlook2016-online.reg" \
	"$N" "$ND" "$W/store.reg" "$W/addresses.txt"
NS_A="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
NS_B="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
while read -r a; do
	printf '<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="%s"><Response xmlns="%s"><Account><Action>redirectAddr</Action><RedirectAddr>%s@target.example</RedirectAddr></Account></Response></Autodiscover>\n' \
		"$NS_A" "$NS_B" "${a%@*}" >"$W/adx/$a.xml"
done <"$W/addresses.txt"
cp "$ROOT/tests/fixtures/autodiscover/o365-target.xml" "$W/adx/target.example.xml"
# The server demands HTTP Basic (ADISC_BASIC) of the INI's account, as
# on-premises Exchange or gromox do.
BASIC_USER=svc-bench
BASIC_PASS='bench-password'
export ADISC_BASIC="$BASIC_USER:$BASIC_PASS"
{
	echo "[Parameters]"
	echo "SwitchSources=autodiscover"
	echo "AutodiscoverExclude=httpredirect srv"
	echo "CAFile=$W/ca.pem"
	echo "Admin=$BASIC_USER"
	echo "Password=$(printf '%s\n' "$BASIC_PASS" | "$RP" protect-password --mode unrestricted)"
} >"$W/reprofile.ini"

wait_file() {
	i=0
	while [ ! -f "$1" ]; do
		i=$((i + 1))
		[ $i -gt 100 ] && { cat "$W/server.err"; exit 1; }
		sleep 0.1
	done
}
if [ $METHOD = netem ]; then
	ip netns exec "$NS" env ADISC_BIND=10.77.0.2 python3 "$ROOT/tests/unit/discover/adisc_server.py" \
		"$W/srv.pem" "$W/srv.key" "$W/adx" "$W" files 2>"$W/server.err" &
	SERVER=$!
	wait_file "$W/https.port"
	RTT=$(ping -c 3 -q 10.77.0.2 2>/dev/null | awk -F/ '/^rtt/ {print $5}')
	UP=10.77.0.2:$(cat "$W/https.port")
	REFUSED=10.77.0.2:1
else
	python3 "$ROOT/tests/unit/discover/adisc_server.py" \
		"$W/srv.pem" "$W/srv.key" "$W/adx" "$W" files 2>"$W/server.err" &
	SERVER=$!
	wait_file "$W/https.port"
	python3 "$(dirname "$0")/delay_proxy.py" "$W" "$DELAY" "$(cat "$W/https.port")" \
		2>"$W/proxy.err" &
	PROXY=$!
	wait_file "$W/refuse.port"
	RTT="$((2 * DELAY)) (emulated)"
	UP=127.0.0.1:$(cat "$W/proxy.port")
	REFUSED=127.0.0.1:$(cat "$W/refuse.port")
fi
CT="autodiscover.target.example:443:$UP target.example:443:$REFUSED"
d=1
while [ $d -le "$ND" ]; do
	CT="$CT autodiscover.sour${d}e.example:443:$UP sour${d}e.example:443:$REFUSED"
	d=$((d + 1))
done
export REPROFILE_CONNECT_TO="$CT"
nreq() { [ -f "$W/requests.log" ] && wc -l <"$W/requests.log" | tr -d ' ' || echo 0; }
# stats FROM: after line FROM of the request log, "<401 round trips> <TLS
# connections> <max requests for one domain in one process>" (a process's
# requests are those between two of its runs: the caller passes the line).
stats() {
	python3 - "$W/requests.log" "$1" <<'PY'
import json, sys, collections
r = [json.loads(l) for l in open(sys.argv[1])][int(sys.argv[2]):]
unauth = sum(1 for x in r if x.get("auth") == "")
conns = len(set(x["peer"] for x in r))
dom = collections.Counter(x["address"].partition("@")[2] for x in r)
print(unauth, conns, max(dom.values()) if dom else 0)
PY
}
now_ms() { python3 -c 'import time; print(int(time.time() * 1000))'; }

# cached: one run over the store of N profiles.
cp "$W/store.reg" "$W/cached.reg"
r0=$(nreq)
t0=$(now_ms)
(cd "$W" && "$RP" update --reg cached.reg -INI reprofile.ini -Log cached.log >/dev/null 2>&1) || true
t1=$(now_ms)
c_req=$(($(nreq) - r0))
c_ref=$(grep -c "Failed to get Autodiscover response" "$W/cached.log" || true)
c_ok=$(grep -c "': 10 PROFILE_MODIFYING_OK" "$W/cached.log" || true)
c_ms=$((t1 - t0))
set -- $(stats "$r0")
c_401=$1
c_conn=$2

# cold: one process per profile.
cp "$W/store.reg" "$W/cold.reg"
r0=$(nreq)
t0=$(now_ms)
k_ref=0
k_ok=0
i=0
while [ $i -lt "$N" ]; do
	p=$(printf 'P%03d' $i)
	(cd "$W" && "$RP" update --reg cold.reg -Profiles "$p" -INI reprofile.ini -Log "cold-$p.log" \
		>/dev/null 2>&1) || true
	k_ref=$((k_ref + $(grep -c "Failed to get Autodiscover response" "$W/cold-$p.log" || true)))
	k_ok=$((k_ok + $(grep -c "': 10 PROFILE_MODIFYING_OK" "$W/cold-$p.log" || true)))
	i=$((i + 1))
done
t1=$(now_ms)
k_req=$(($(nreq) - r0))
k_ms=$((t1 - t0))
set -- $(stats "$r0")
k_401=$1
k_conn=$2

echo "Autodiscover, $N profiles, $ND source domains, $METHOD ${DELAY} ms each way (RTT ${RTT:-?} ms)"
echo "| mode | profiles switched | POSTs answered | of them 401 (no credentials sent) | TLS connections | candidates failed | round trips (POST + failed) | wall time |"
echo "|---|---|---|---|---|---|---|---|"
printf '| cached: one process, %s profiles | %s | %s | %s | %s | %s | %s | %s.%03d s |\n' "$N" "$c_ok" \
	"$c_req" "$c_401" "$c_conn" "$c_ref" $((c_req + c_ref)) $((c_ms / 1000)) $((c_ms % 1000))
printf '| cold: one process per profile | %s | %s | %s | %s | %s | %s | %s.%03d s |\n' "$k_ok" "$k_req" \
	"$k_401" "$k_conn" "$k_ref" $((k_req + k_ref)) $((k_ms / 1000)) $((k_ms % 1000))
echo "requests per profile (cold, one process each): $(python3 -c "print(round($k_req / max($N, 1), 2))"), of them 401: $(python3 -c "print(round($k_401 / max($N, 1), 2))")"
