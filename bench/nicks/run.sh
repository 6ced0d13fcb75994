#!/bin/sh
# bench/nicks/run.sh BUILD_DIR [ROWS] [RUNS]
# The Nicks feature on a ROWS-row (default 2,000) autocomplete stream written
# by tests/fixtures/nicks/gen_nicks.py (a quarter EX rows that migrate, a
# quarter EX rows that do not, SMTP and contact rows), with a CSV recipient
# map of the migrated ones: in-process time and peak RSS (nicks_inproc).
# Results: docs/performance.md, section "Nicks". WORK is $RP_TMP or
# BUILD_DIR/tmp/bench-nicks.
set -eu
BUILD=$(cd "${1:?usage: run.sh BUILD_DIR [ROWS] [RUNS]}" && pwd)
ROWS=${2:-2000}
RUNS=${3:-50}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
W=${RP_TMP:-$BUILD/tmp/bench-nicks}
B=$BUILD/bench/nicks/nicks_inproc
[ -x "$B" ] || {
	echo "run.sh: build nicks_inproc in $BUILD first" >&2
	exit 2
}
rm -rf "$W"
mkdir -p "$W"
python3 "$SRC/tests/fixtures/nicks/gen_nicks.py" "$W" --rows "$ROWS"
"$B" "$W/Stream_Autocomplete_0_BENCH.dat" "$W/bench-map.csv" "$RUNS" | tee "$W/summary.txt"
