#!/bin/sh
# Scenario: the switch and recreate messages (mbx_swm_write / mbx_swm_read)
# written into and read from the source mailbox with Full Access, against
# the ROP server side mbx_rops.py over rops_pipe.py's FIFOs.
set -u
command -v python3 >/dev/null || { echo "note: python3 absent, skipped"; exit 77; }
PROG="$RP_BUILD_DIR/tests/integration/mailbox/test_mbx_switchmsg_io"
exec python3 "$(dirname "$0")/rops_pipe.py" "$RP_TMP" "$PROG"
