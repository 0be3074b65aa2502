#!/usr/bin/env bash
# Rebuilds tests/HardNegatives.Tests/TestData/golden/hf-sentencepiece-tok512 (tokenizer.json, ids.txt, decoded.jsonl):
# a Llama-2-style tokenizer.json made from the bundled tok512.bin, then Hugging Face tokenizers' (Rust, through the
# Tokenizers.DotNet 1.4.1 NuGet package) encode and decode of every test input. Needs only the NuGet feed.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
golden="$repo/tests/HardNegatives.Tests/TestData/golden"
dotnet run --project "$repo/tools/hf-tokenizer-goldens" -c Release -- \
  "$repo/data/models/tinyllamas-stories260K/tok512.bin" "$golden/llama2c-tok512/inputs.txt" "$golden/hf-sentencepiece-tok512"
