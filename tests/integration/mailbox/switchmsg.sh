#!/bin/sh
# Scenario: the switch and recreate messages (mbx_swm_write / mbx_swm_read)
# written into and read from the source mailbox with Full Access, against
# the ROP server side mbx_rops.py over rops_pipe.py's FIFOs.
set -u
. "$RP_SOURCE_DIR/scripts/tools.sh"
rp_need python3
PROG="$RP_BUILD_DIR/tests/integration/mailbox/test_mbx_switchmsg_io"
exec python3 "$(dirname "$0")/rops_pipe.py" "$RP_TMP" "$PROG"
