#!/bin/sh
# Self-test of the ROP server side (mbx_rops.py) against the spec vectors
# and the mailbox fixture: test_mbx_rops.py (Python standard library only).
. "$RP_SOURCE_DIR/scripts/tools.sh"
rp_need python3
exec python3 "$(dirname "$0")/test_mbx_rops.py"
