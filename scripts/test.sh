#!/usr/bin/env bash
# test.sh - the whole test suite, as CI runs it (.ci/run):
#   1. builds what is missing: build/win64 (mingw-w64), build/native (whose
#      ctest includes win64's tests), build/asan (ASan+UBSan), build/fuzz (clang)
#   2. ctest in build/native: native tests + the Windows build's tests under Wine
#   3. ctest in build/asan: the native tests under ASan+UBSan
#   4. scripts/check-format.sh
#   5. every libFuzzer target: its seeds replayed, then RP_FUZZ_SECONDS (15) of fuzzing
# Prints ctest's summary lines and failures, then one line per step; exits 1
# if any step failed. Needs scripts/setup.sh to have run once (packages and
# the Windows deps in .deps/win64).
#   RP_JOBS=2  RP_FUZZ_SECONDS=15  RP_SKIP="fuzz asan"   (skip steps by name)
#   RP_CTEST_ARGS="-E win64.switch"   (extra ctest options for every ctest step)
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 2
JOBS=${RP_JOBS:-2}
FUZZ_SECONDS=${RP_FUZZ_SECONDS:-15}
SKIP=" ${RP_SKIP:-} "
LOGS="$ROOT/build/logs"
mkdir -p "$LOGS"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

results=()
failed=0
t_start=$SECONDS

# step NAME COMMAND...: runs a step unless skipped, records PASS/FAIL and time.
step() {
	local name=$1 t0=$SECONDS rc
	shift
	if [[ "$SKIP" == *" $name "* ]]; then
		results+=("$(printf '%-13s SKIP' "$name")")
		return 0
	fi
	printf '\n=== %s\n' "$name"
	"$@"
	rc=$?
	if [ $rc -eq 0 ]; then
		results+=("$(printf '%-13s PASS  %4ds' "$name" $((SECONDS - t0)))")
	else
		results+=("$(printf '%-13s FAIL  %4ds  (exit %d)' "$name" $((SECONDS - t0)) $rc)")
		failed=1
	fi
	return 0
}

# needs_configure DIR [cmake args]: no cache yet, or one of our -DREPROFILE_*
# options differs from it (e.g. build/native made without the win64 tree).
needs_configure() {
	local cache=$1/CMakeCache.txt a kv
	shift
	[ -f "$cache" ] || return 0
	for a in "$@"; do
		case "$a" in
		-DREPROFILE_*)
			kv=${a#-D}
			grep -qxF "${kv%%=*}:${kv#*=}" <(sed 's/:[A-Z]*=/:/' "$cache") || return 0
			;;
		esac
	done
	return 1
}

# tree DIR [cmake args]: configure when needed, then (re)build; logs in build/logs.
tree() {
	local dir=$1 log
	shift
	log="$LOGS/build-$(basename "$dir").log"
	if needs_configure "$dir" "$@"; then
		cmake -S "$ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug "$@" >"$log" 2>&1 || {
			tail -n 40 "$log"
			echo "configuring $dir failed (log: $log)"
			return 1
		}
	fi
	cmake --build "$dir" -j "$JOBS" >>"$log" 2>&1 || {
		grep -E 'error|FAILED' "$log" | head -n 40
		echo "building $dir failed (log: $log)"
		return 1
	}
	echo "built $dir"
}

build_all() {
	local rc=0
	if [ ! -f "$ROOT/.deps/win64/.stamp" ]; then
		echo "Windows deps missing (.deps/win64): run scripts/setup.sh first"
		return 1
	fi
	tree build/win64 -DCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/mingw-w64-x86_64.cmake" || rc=1
	tree build/native -DREPROFILE_WIN64_BUILD_DIR="$ROOT/build/win64" || rc=1
	[[ "$SKIP" == *" asan "* ]] || tree build/asan -DREPROFILE_SANITIZE=ON || rc=1
	[[ "$SKIP" == *" fuzz "* ]] || tree build/fuzz -DCMAKE_C_COMPILER=clang -DREPROFILE_FUZZ=ON \
		-DREPROFILE_TESTS=OFF || rc=1
	return $rc
}

# run_ctest DIR: log in build/logs; on screen only failures, skips and summary.
run_ctest() {
	local dir=$1 log rc
	log="$LOGS/ctest-$(basename "$dir").log"
	# Failing tests show their first 8 KB (an ASan report can be much longer).
	# shellcheck disable=SC2086 # RP_CTEST_ARGS is a list of ctest options
	ctest --test-dir "$dir" -j "$JOBS" --output-on-failure --test-output-size-failed 8192 \
		--timeout 300 ${RP_CTEST_ARGS:-} >"$log" 2>&1
	rc=$?
	grep -vE '^ *Start +[0-9]+:|Test +#[0-9]+: .* Passed +[0-9.]+ sec$' "$log" |
		sed -e '/^Test project/d' -e '/^Internal ctest changing/d' -e '/^$/N;/^\n$/D'
	return $rc
}

# fuzz_one NAME EXE: replays the seeds, fuzzes FUZZ_SECONDS; one result line
# in build/fuzz/results/NAME (printed in order by fuzz_all).
fuzz_one() {
	local name=$1 exe=$2 out=build/fuzz/results/$1
	mkdir -p "build/fuzz/corpus/$name"
	# New inputs go to the scratch corpus (first folder), never to the seeds.
	if "$exe" -max_total_time="$FUZZ_SECONDS" -timeout=10 -print_final_stats=1 \
		-artifact_prefix="build/fuzz/artifacts/$name-" "build/fuzz/corpus/$name" \
		"tests/fuzz/seeds/$name" >"$LOGS/fuzz-$name.log" 2>&1; then
		printf 'fuzz_%-20s ok   %s\n' "$name" \
			"$(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$LOGS/fuzz-$name.log" |
				awk '{print $2 " runs"}')" >"$out"
		return 0
	fi
	{
		printf 'fuzz_%-20s FAILED (log: %s, input in build/fuzz/artifacts/)\n' "$name" \
			"$LOGS/fuzz-$name.log"
		grep -E -A 15 '^==[0-9]+==ERROR|runtime error|deadly signal' \
			"$LOGS/fuzz-$name.log" | head -n 30
	} >"$out"
	return 1
}

# Each target is one process on one core, so JOBS of them run at once: the
# wall time is the sum of FUZZ_SECONDS divided by JOBS.
fuzz_all() {
	local dir=build/fuzz/tests/fuzz rc=0 exe name names=()
	run_ctest build/fuzz || rc=1
	rm -rf build/fuzz/results
	mkdir -p build/fuzz/corpus build/fuzz/artifacts build/fuzz/results
	for exe in "$dir"/fuzz_*; do
		[ -x "$exe" ] && [ -f "$exe" ] || continue
		name=${exe##*/fuzz_}
		while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
		fuzz_one "$name" "$exe" &
		names+=("$name")
	done
	wait
	# The result files, not wait's statuses (wait -n has reaped some).
	for name in "${names[@]}"; do
		if [ -f "build/fuzz/results/$name" ]; then
			cat "build/fuzz/results/$name"
			grep -q '^fuzz_[^ ]* *FAILED' "build/fuzz/results/$name" && rc=1
		else
			echo "fuzz_$name: no result (the fuzzer process died)"
			rc=1
		fi
	done
	[ ${#names[@]} -gt 0 ] || echo "no fuzz targets yet (tests/fuzz/fuzz_*.c)"
	return $rc
}

step build build_all
step native+win64 run_ctest build/native
step asan run_ctest build/asan
step format scripts/check-format.sh
step fuzz fuzz_all

printf '\n=== summary (%ds)\n' $((SECONDS - t_start))
printf '%s\n' "${results[@]}"
exit $failed
