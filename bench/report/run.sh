#!/bin/sh
# bench/report/run.sh BUILD_DIR [RECORDS] [RUNS]: `reprofile report` over a
# share of RECORDS generated run records (gen_records.py; default 100,000),
# RUNS times (default 3): wall-clock and peak RSS of each run from GNU time,
# the page and the JSON written. The share is kept in $RP_TMP (default
# /tmp/report-bench) and reused when it already holds RECORDS records.
set -eu
BUILD=${1:?usage: run.sh BUILD_DIR [RECORDS] [RUNS]}
N=${2:-100000}
RUNS=${3:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
RP_SOURCE_DIR=$(cd "$HERE/../.." && pwd)
. "$RP_SOURCE_DIR/scripts/tools.sh"
rp_need python3 /usr/bin/time
T=${RP_TMP:-/tmp/report-bench}
RP=$BUILD/reprofile
[ -x "$RP" ] || { echo "no $RP: build the tree first" >&2; exit 1; }
mkdir -p "$T"
if [ "$(cat "$T/share.n" 2>/dev/null)" != "$N" ]; then
	rm -rf "$T/share"
	python3 "$HERE/gen_records.py" "$N" "$T/share"
	echo "$N" >"$T/share.n"
fi
echo "share: $(du -sh "$T/share" | cut -f1), $(find "$T/share" -name '*.record.json' | wc -l) records"
i=0
while [ $i -lt "$RUNS" ]; do
	i=$((i + 1))
	/usr/bin/time -f "run $i: %e s wall, %U s user, %S s system, peak RSS %M KB" \
		"$RP" report "$T/share" --out "$T/report.html" 2>&1 | grep -v '^reprofile report: not used'
done
"$RP" report "$T/share" --json >"$T/report.json" 2>/dev/null
ls -l "$T/report.html" "$T/report.json" | awk '{print $5, $9}'
