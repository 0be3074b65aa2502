#!/usr/bin/env bash
# Regenerates the llama2.c golden outputs the tests compare against, by compiling karpathy/llama2.c's own run.c.
#
#   tools/llama2c-goldens/regenerate.sh /path/to/llama2.c-checkout
#
# Needs gcc. run.c is compiled twice in a temporary folder, unmodified: as llama2.c's `run` (for the printed text)
# and with our driver goldens.c (for token ids; run.c's main is compiled out with -DTESTING). Nothing from
# llama2.c is copied into this repository. Written on 2026-12-02 against llama2.c commit 350e04f (master).
set -euo pipefail
llama2c=${1:?usage: $0 LLAMA2C_CHECKOUT}
repo=$(cd "$(dirname "$0")/../.." && pwd)
model="$repo/data/models/tinyllamas-stories260K"
golden="$repo/tests/HardNegatives.Tests/TestData/golden"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$llama2c/run.c" "$work/"
gcc -O2 -o "$work/run" "$work/run.c" -lm
gcc -O2 -I"$work" -o "$work/goldens" "$(dirname "$0")/goldens.c" -lm

# Tokenizer: encode(text, bos=0, eos=0) of every input with tok512.bin.
"$work/goldens" encode "$model/tok512.bin" 512 "$golden/llama2c-tok512/inputs.txt" > "$golden/llama2c-tok512/ids.txt"

# Greedy generation from BOS (`run -t 0 -n 200`) and from a prompt (`-i "Lily wanted" -n 64`): ids and printed text.
out="$golden/tinyllamas-stories260K"
mkdir -p "$out"
"$work/goldens" generate "$model/stories260K.bin" "$model/tok512.bin" 200 > "$out/greedy-ids.txt"
"$work/run" "$model/stories260K.bin" -z "$model/tok512.bin" -t 0 -n 200 2>/dev/null > "$out/greedy-text.txt"
"$work/goldens" generate "$model/stories260K.bin" "$model/tok512.bin" 64 "Lily wanted" > "$out/prompt-ids.txt"
"$work/run" "$model/stories260K.bin" -z "$model/tok512.bin" -t 0 -n 64 -i "Lily wanted" 2>/dev/null > "$out/prompt-text.txt"
echo "goldens written under $golden"
