#!/bin/sh
# Scenario: `reprofile discover --url/--net` against a loopback HTTPS
# Autodiscover server (adisc_server.py) with a CA and server certificate made
# here with openssl. Expected settings come from the fixtures via xmllint.
set -u
fail() { echo "FAIL: $*"; [ -f "$E" ] && sed 's/^/  stderr: /' "$E"; exit 1; }
. "$RP_SOURCE_DIR/scripts/tools.sh"
rp_need openssl python3 xmllint
# The Windows build writes CRLF through Wine: compare text without CRs.
RP() {
	$RP_EMULATOR "$REPROFILE" "$@" >"$RP_TMP/.rp-out" 2>"$RP_TMP/.rp-err"
	rp_rc=$?
	tr -d '\r' <"$RP_TMP/.rp-out"
	tr -d '\r' <"$RP_TMP/.rp-err" >&2
	return $rp_rc
}
HERE=$(dirname "$0")
FIX="$RP_SOURCE_DIR/tests/fixtures/autodiscover"
T="$RP_TMP"; rm -rf "$T"; mkdir -p "$T"
O="$T/out"; E="$T/err"; LOG="$T/requests.log"
xp() { xmllint --nonet --xpath "string($2)" "$1" 2>/dev/null; }
L="/*[local-name()='Autodiscover']/*[local-name()='Response']"

# CA + server certificate for every name the scenarios use.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=reprofile test CA" \
	-keyout "$T/ca.key" -out "$T/ca.pem" >/dev/null 2>&1 || fail "CA"
openssl req -newkey rsa:2048 -nodes -subj "/CN=autodiscover test" \
	-keyout "$T/srv.key" -out "$T/srv.csr" >/dev/null 2>&1 || fail "CSR"
printf 'subjectAltName=DNS:source.example,DNS:autodiscover.source.example,DNS:target.example,DNS:autodiscover.target.example,DNS:redir.example,DNS:autodiscover.redir.example,DNS:localhost,IP:127.0.0.1\n' >"$T/san.ext"
openssl x509 -req -in "$T/srv.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial \
	-days 2 -extfile "$T/san.ext" -out "$T/srv.pem" >/dev/null 2>&1 || fail "cert"

python3 "$HERE/adisc_server.py" "$T/srv.pem" "$T/srv.key" "$FIX" "$T" 2>"$T/server.err" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null' EXIT INT TERM
i=0
while [ ! -f "$T/https.port" ] || [ ! -f "$T/http.port" ]; do
	i=$((i + 1)); [ $i -gt 100 ] && fail "server did not start: $(cat "$T/server.err")"
	sleep 0.1
done
P=$(cat "$T/https.port"); HP=$(cat "$T/http.port")
MAP="--ca-file $T/ca.pem --timeout 10 --no-srv"
for h in source.example autodiscover.source.example target.example autodiscover.target.example; do
	MAP="$MAP --connect-to $h:443:127.0.0.1:$P"
done
URL=https://source.example/autodiscover/autodiscover.xml
nreq() { [ -f "$LOG" ] && wc -l <"$LOG" | tr -d ' ' || echo 0; }

# 1. manual URL, settings; values equal the fixture's.
RP discover carl@source.example --url $URL $MAP >"$O" 2>"$E" || fail "carl rc"
want=$(xp "$FIX/onprem-source.xml" "$L/*[local-name()='User']/*[local-name()='LegacyDN']")
grep -qxF "legacy_dn: $want" "$O" || fail "carl legacy_dn"
grep -qxF "source: $URL" "$O" || fail "carl source"
# The request was a POST with the headers MS-OXDSCLI asks for.
python3 - "$LOG" <<'PY' || fail "request headers"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])][-1]
assert r["method"] == "POST" and r["scheme"] == "https", r
assert r["content_type"] == "text/xml; charset=utf-8", r
assert r["mapihttp"] == "1" and r["anchor"] == "carl@source.example", r
assert r["address"] == "carl@source.example" and r["host"] == "source.example", r
PY

# 2. candidates: https://source.example answers redirectAddr, the list
#    restarts for target.example and https://target.example answers.
n0=$(nreq)
RP discover ada@source.example --net $MAP >"$O" 2>"$E" || fail "ada --net rc"
grep -qx "redirect: addr:ada@target.example" "$O" || fail "ada hop"
srv=$(xp "$FIX/o365-target.xml" "$L/*[local-name()='Account']/*[local-name()='Protocol'][*[local-name()='Type']='EXCH']/*[local-name()='Server']")
grep -qxF "mailbox_guid: ${srv%@*}" "$O" || fail "ada guid"
grep -qxF "source: https://target.example/autodiscover/autodiscover.xml" "$O" || fail "ada origin"
[ $(($(nreq) - n0)) -eq 2 ] || fail "ada: $(($(nreq) - n0)) requests, want 2"

# 3. per-run caches: same address again = no request; another address of a
#    known domain = one request to the URL that answered before.
n0=$(nreq)
RP discover ada@target.example ada@target.example bob@target.example --net $MAP >"$O" 2>"$E" ||
	fail "cache rc"
[ $(($(nreq) - n0)) -eq 2 ] || fail "cache: $(($(nreq) - n0)) requests, want 2"
[ "$(grep -c '^action: settings' "$O")" = 3 ] || fail "cache: three answers"

# 3b. candidates are switchable: without the root domain the first (and only)
#     request goes to autodiscover.<domain>; without both, nothing is asked.
n0=$(nreq)
RP discover carl@source.example --net $MAP --no-root --no-http-redirect >"$O" 2>"$E" ||
	fail "--no-root rc"
grep -qxF "source: https://autodiscover.source.example/autodiscover/autodiscover.xml" "$O" ||
	fail "--no-root: not autodiscover.<domain>"
[ $(($(nreq) - n0)) -eq 1 ] || fail "--no-root: $(($(nreq) - n0)) requests, want 1"
n0=$(nreq)
RP discover carl@source.example --net $MAP --no-root --no-autodiscover --no-http-redirect \
	>"$O" 2>"$E" && fail "no candidate: rc 0"
grep -q "no Autodiscover response for 'carl@source.example' (0 URLs tried)" "$E" ||
	fail "no candidate: message"
[ "$(nreq)" -eq "$n0" ] || fail "no candidate: a request was sent"

# 4. redirectUrl is followed (https, POST).
RP discover url@source.example --url $URL $MAP >"$O" 2>"$E" || fail "url rc"
grep -qx "redirect: url:https://autodiscover.target.example/redir/autodiscover.xml" "$O" ||
	fail "url hop"

# 5. an HTTP 302 keeps the POST (CURLOPT_POSTREDIR): /moved answers only POST.
RP discover post302@source.example --url $URL $MAP >"$O" 2>"$E" || fail "post302 rc"
tail -1 "$LOG" | grep -q '"method": "POST", "path": "/moved/autodiscover.xml"' || fail "post302 method"

# 6. Autodiscover errors are surfaced with their code.
for code in 500 600 603; do
	RP discover err$code@source.example --url $URL $MAP --json >"$O" 2>"$E" && fail "err$code rc 0"
	grep -q "Autodiscover error $code for 'err$code@source.example': Test error $code" "$E" ||
		fail "err$code message"
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['response']['error']['code']==$code" "$O" ||
		fail "err$code json"
done

# 7. 401: the guide's TraceW lines and the final [Error] for the side.
RP discover auth@source.example --url $URL $MAP --side target >"$O" 2>"$E" && fail "auth rc 0"
grep -qxF "[TraceW] Failed to get Autodiscover response for email 'auth@source.example'. Autodiscover URL: '$URL'." "$E" || fail "auth TraceW"
grep -qxF "[TraceW] Custom result: 0xc01000cf, Description: HTTP status code 401 (Unauthorized) received. This response indicates that authorization has been refused for the account used to access destination, or specified credentials are invalid." "$E" || fail "auth 401 line"
grep -qxF "[Error] Cannot get an Autodiscover response on target. See logged errors to resolve the issue. Profile will not be processed." "$E" || fail "auth Error line"

# 8. an HTTP redirect loop stops after 10 redirects.
RP discover loop@source.example --url $URL $MAP >"$O" 2>"$E" && fail "loop rc 0"
grep -q "^\[TraceW\] libcurl result: 47, " "$E" || fail "loop: no too-many-redirects"
grep -q "^\[TraceW\] WinHTTP result: 0x00002f7c, " "$E" || fail "loop: no WinHTTP line"
grep -qxF "[Warning] Cannot get an Autodiscover response for the user 'loop@source.example' from the URL: '$URL'." "$E" || fail "loop Warning"

# 9. redirectAddr: 10 followed, the 11th refused; loops refused.
RP discover chain1@source.example --url $URL $MAP >"$O" 2>"$E" || fail "chain1 rc"
[ "$(grep -c '^redirect: addr:' "$O")" = 10 ] || fail "chain1 hops"
RP discover chain0@source.example --url $URL $MAP >"$O" 2>"$E" && fail "chain0 rc 0"
grep -q "more than 10 Autodiscover redirects for 'chain0@source.example'" "$E" || fail "chain0 msg"
RP discover aloop@source.example --url $URL $MAP >"$O" 2>"$E" && fail "aloop rc 0"
grep -q "redirectAddr loop at 'aloop@source.example'" "$E" || fail "aloop msg"

# 10. TLS is verified: a CA file naming another CA refuses the server (on
#     Windows libcurl then validates through its own chain engine). Without
#     any CA file the system store decides: natively it lacks the test CA;
#     Wine's Schannel does not validate on its own (real Windows does), so
#     that half is native only.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=some other CA" \
	-keyout "$T/other.key" -out "$T/other.pem" >/dev/null 2>&1 || fail "other CA"
RP discover carl@source.example --url $URL --no-srv --ca-file "$T/other.pem" \
	--connect-to source.example:443:127.0.0.1:$P >"$O" 2>"$E" && fail "cert of another CA accepted"
grep -q "^\[TraceW\] libcurl result: 60, " "$E" || fail "no TLS verification failure (other CA)"
grep -qxF "[TraceW] WinHTTP result: 0x00002f8f, Description: A security error occurred" "$E" ||
	fail "no WinHTTP line for the TLS failure"
if [ "${RP_PLATFORM:-posix}" = windows ]; then
	echo "note: no-CA-file refusal not checked under Wine (Wine's Schannel does not validate)"
else
	RP discover carl@source.example --url $URL --no-srv --connect-to source.example:443:127.0.0.1:$P \
		>"$O" 2>"$E" && fail "untrusted cert accepted"
	grep -q "^\[TraceW\] libcurl result: 60, " "$E" || fail "no TLS verification failure"
fi

# 11. the unauthenticated HTTP GET candidate: redir.example's HTTPS names are
#     unreachable, http://autodiscover.redir.example redirects to the target.
RP discover dave@redir.example --net $MAP --connect-to redir.example:443:127.0.0.1:1 \
	--connect-to autodiscover.redir.example:443:127.0.0.1:1 \
	--connect-to autodiscover.redir.example:80:127.0.0.1:$HP >"$O" 2>"$E" || fail "http redirect rc"
grep -qxF "source: https://autodiscover.target.example/autodiscover/autodiscover.xml" "$O" ||
	fail "http redirect origin"
grep -q '"scheme": "http", "method": "GET"' "$LOG" || fail "no GET on the http endpoint"

# 12. a non-Autodiscover 200 body is reported, not trusted.
RP discover html@source.example --url $URL $MAP >"$O" 2>"$E" && fail "html rc 0"
grep -q "root element is 'html', not Autodiscover" "$E" || fail "html msg"
# 13. local folder first, network only for addresses without a local file.
n0=$(nreq)
RP discover carl@source.example dave@redir.example --dir "$FIX/local" --url $URL $MAP \
	>"$O" 2>"$E" || fail "chain rc"
grep -qxF "source: $FIX/local/source.example.xml" "$O" || fail "chain: carl not local"
grep -qxF "source: $URL" "$O" || fail "chain: dave not from the network"
[ $(($(nreq) - n0)) -eq 1 ] || fail "chain: $(($(nreq) - n0)) requests, want 1"
echo "ok: network scenarios passed"
