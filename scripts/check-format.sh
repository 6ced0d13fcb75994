#!/usr/bin/env bash
# check-format.sh - fails (exit 1) if any C file under src/, tests/ or bench/
# differs from what clang-format (.clang-format) would write. Fix with:
#   clang-format -i <file>...
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 2
command -v clang-format >/dev/null || {
	echo "check-format: clang-format not installed (scripts/setup.sh installs it)" >&2
	exit 2
}

files=()
while IFS= read -r -d '' f; do
	files+=("$f")
done < <(find src tests bench -type f \( -name '*.c' -o -name '*.h' \) -print0 2>/dev/null | sort -z)

bad=()
for f in "${files[@]}"; do
	clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
	echo "check-format: ${#bad[@]} of ${#files[@]} files need clang-format -i:"
	printf '  %s\n' "${bad[@]}"
	exit 1
fi
echo "check-format: ${#files[@]} files formatted"
