#!/bin/sh
# Self-test of the ROP server side (mbx_rops.py) against the spec vectors
# and the mailbox fixture: test_mbx_rops.py (Python standard library only).
command -v python3 >/dev/null || { echo "note: python3 absent, skipped"; exit 77; }
exec python3 "$(dirname "$0")/test_mbx_rops.py"
