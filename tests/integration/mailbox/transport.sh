#!/bin/sh
# Scenario: the MAPI/HTTP transport's C tests (test_mbx_http) against the
# loopback server: Connect/Execute/Disconnect/PING, Basic and Bearer, cookies,
# session expiry, compressed and obfuscated responses, error codes.
set -u
T="$RP_TMP"
fail() { echo "FAIL: $*"; [ -f "$T/server.err" ] && sed 's/^/  server: /' "$T/server.err"; exit 1; }
. "$(dirname "$0")/mapi_env.sh"
PROG="$RP_BUILD_DIR/tests/integration/mailbox/test_mbx_http"
[ -f "$PROG" ] || PROG="$PROG.exe"
MBX_TEST_PORT=$MAPI_PORT MBX_TEST_CA=$MAPI_CA MBX_TEST_STATE=$MAPI_STATE \
	$RP_EMULATOR "$PROG" || fail "test_mbx_http"
