#!/bin/sh
# Scenario: mbx_folders (hierarchy read with roles, entry IDs and long-term
# IDs; paging; refused logon; the folder map of a source and a target
# mailbox) against the ROP server side mbx_rops.py over rops_pipe.py's FIFOs.
set -u
. "$RP_SOURCE_DIR/scripts/tools.sh"
rp_need python3
PROG="$RP_BUILD_DIR/tests/integration/mailbox/test_mbx_folders"
exec python3 "$(dirname "$0")/rops_pipe.py" "$RP_TMP" "$PROG"
