#!/bin/sh
# Scenario: the address-book client (test_mbx_ab) against the loopback
# server's NSPI endpoint over the target organisation's address book.
set -u
T="$RP_TMP"
fail() { echo "FAIL: $*"; [ -f "$T/server.err" ] && sed 's/^/  server: /' "$T/server.err"; exit 1; }
MAPI_ADDRESSBOOK="$RP_SOURCE_DIR/tests/fixtures/mailbox/addressbook-target.json"
export MAPI_ADDRESSBOOK
. "$(dirname "$0")/mapi_env.sh"
PROG="$RP_BUILD_DIR/tests/integration/mailbox/test_mbx_ab"
[ -f "$PROG" ] || PROG="$PROG.exe"
MBX_TEST_PORT=$MAPI_PORT MBX_TEST_CA=$MAPI_CA MBX_TEST_STATE=$MAPI_STATE \
	$RP_EMULATOR "$PROG" || fail "test_mbx_ab"
