#!/usr/bin/env bash
# Regenerates the stories260K golden ids from llama2.c's own C code and compares them with the committed file.
#   tools/llama2c-greedy-ids/run.sh path/to/llama2.c-checkout [gcc flags]
# The checkout must be at (or contain) commit bd182289c596fa6059eb7b3b7c8ccd04b5c90fc3, whose run.c is used unchanged.
# Outside CI (needs gcc and a llama2.c clone); MIT-licensed llama2.c is not vendored into this repository.
set -euo pipefail
llama2c=${1:?usage: run.sh path/to/llama2.c [gcc flags]}
flags=${2:--O0}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/llama2c-greedy.XXXXXX)
trap 'rm -rf "$work"' EXIT
git -C "$llama2c" show bd182289c596fa6059eb7b3b7c8ccd04b5c90fc3:run.c > "$work/run.c"
cp "$root/tools/llama2c-greedy-ids/greedy_ids.c" "$work/"
gcc $flags -o "$work/greedy_ids" "$work/greedy_ids.c" -lm
data="$root/tests/HardNegatives.Tests/TestData/models/stories260K"
"$work/greedy_ids" "$data/stories260K.bin" 256 > "$work/ids.txt"
if diff -q <(tr -s ' \n' '\n' < "$work/ids.txt") <(tr -s ' \n' '\n' < "$data/greedy-ids.txt") >/dev/null; then
  echo "identical to $data/greedy-ids.txt ($(wc -w < "$work/ids.txt") ids, gcc $flags)"
else
  echo "DIFFERENT from $data/greedy-ids.txt"; diff <(tr -s ' \n' '\n' < "$work/ids.txt") <(tr -s ' \n' '\n' < "$data/greedy-ids.txt") | head; exit 1
fi
