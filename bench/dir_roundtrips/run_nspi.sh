#!/bin/sh
# bench/dir_roundtrips/run_nspi.sh BUILD_DIR [N] [DELAY_MS]
# The address-book directory (DirectorySource=nspi): N (default 200)
# migrated users in a source and a target address book served by two
# loopback MAPI/HTTP servers (tests/integration/mailbox/mapi_server.py +
# nspi_handler.py), each behind the delay proxy of bench/autodiscover
# (DELAY_MS each way, default 25: a 50 ms round trip). Three quarters of the
# targets carry the source DN as an X500 proxy, the rest only the source SMTP
# address as a secondary address. Keys alternate SMTP address and
# legacyExchangeDN, as a profile holds them.
set -eu
BUILD=${1:?usage: run_nspi.sh BUILD_DIR [N] [DELAY_MS]}
BUILD=$(cd "$BUILD" && pwd)
N=${2:-200}
DELAY=${3:-25}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=${RP_TMP:-$BUILD/tmp/bench-nspi}
rm -rf "$T"
mkdir -p "$T"
fail() { echo "run_nspi: $*" >&2; exit 1; }

python3 - "$N" "$T" <<'PY'
import json, sys, uuid
n, t = int(sys.argv[1]), sys.argv[2]
S = "/o=Source/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn="
G = "/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn="
cont = [{"id": 0, "name": "Global Address List", "depth": 0, "flags": 3}]
src, tgt, keys = [], [], []
for i in range(n):
    src.append({"dn": S + "bench%d" % i, "display_name": "Bench User %d" % i,
                "account": "bench%d" % i, "smtp": "bench%d@source.example" % i,
                "display_type": 0, "proxies": ["SMTP:bench%d@source.example" % i]})
    prox = ["SMTP:bench%d@target.example" % i, "smtp:bench%d@source.example" % i]
    if i % 4:
        prox.append("X500:" + S + "bench%d" % i)
    tgt.append({"dn": G + "%032x-bench%d" % (i, i), "display_name": "Bench User %d" % i,
                "account": "bench%d" % i, "smtp": "bench%d@target.example" % i,
                "display_type": 0, "proxies": prox})
    keys.append("bench%d@source.example" % i if i % 2 == 0 else S + "bench%d" % i)
for name, entries in (("source", src), ("target", tgt)):
    json.dump({"server_guid": str(uuid.uuid4()), "containers": cont, "entries": entries},
              open("%s/ab-%s.json" % (t, name), "w"))
open(t + "/keys.txt", "w").write("\n".join(keys) + "\n")
PY

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=bench CA" \
	-keyout "$T/ca.key" -out "$T/ca.pem" >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -subj "/CN=bench" -keyout "$T/srv.key" \
	-out "$T/srv.csr" >/dev/null 2>&1
printf 'subjectAltName=DNS:mail.source.example,DNS:mail.target.example\n' >"$T/san.ext"
openssl x509 -req -in "$T/srv.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial \
	-days 2 -extfile "$T/san.ext" -out "$T/srv.pem" >/dev/null 2>&1
PIDS=""
trap 'kill $PIDS 2>/dev/null' EXIT INT TERM
wait_file() {
	i=0
	while [ ! -f "$1" ]; do
		i=$((i + 1))
		[ $i -gt 100 ] && fail "$1 did not appear"
		sleep 0.1
	done
}
for side in source target; do
	mkdir -p "$T/$side" "$T/$side-proxy"
	MAPI_ADDRESSBOOK="$T/ab-$side.json" python3 "$ROOT/tests/integration/mailbox/mapi_server.py" \
		"$T/srv.pem" "$T/srv.key" "$ROOT/tests/integration/mailbox/fixtures/server.json" \
		"$T/$side" 2>"$T/$side.err" &
	PIDS="$PIDS $!"
	wait_file "$T/$side/https.port"
	python3 "$ROOT/bench/autodiscover/delay_proxy.py" "$T/$side-proxy" "$DELAY" \
		"$(cat "$T/$side/https.port")" 2>"$T/$side-proxy.err" &
	PIDS="$PIDS $!"
	wait_file "$T/$side-proxy/proxy.port"
done
REPROFILE_CONNECT_TO="mail.source.example:443:127.0.0.1:$(cat "$T/source-proxy/proxy.port") mail.target.example:443:127.0.0.1:$(cat "$T/target-proxy/proxy.port")"
export REPROFILE_CONNECT_TO
"$BUILD/bench/dir_roundtrips/dir_roundtrips" "$T/keys.txt" DirectorySource=nspi \
	"DirectorySourceURI=https://mail.source.example/mapi/nspi/?MailboxId=b@source.example" \
	DirectorySourceUser=user1 DirectorySourcePassword=Pa55-word \
	"DirectoryTargetURI=https://mail.target.example/mapi/nspi/?MailboxId=b@target.example" \
	DirectoryTargetUser=user1 DirectoryTargetPassword=Pa55-word \
	"DirectoryCAFile=$T/ca.pem" DirectoryTimeout=120
