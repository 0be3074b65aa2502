#!/usr/bin/env bash
# Rebuilds tests/HardNegatives.Tests/TestData/golden/safetensors-pybridge/pybridge.safetensors with TorchSharp.PyBridge 1.4.4
# (an independent safetensors writer). Needs only the NuGet feed.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
out="$repo/tests/HardNegatives.Tests/TestData/golden/safetensors-pybridge"
mkdir -p "$out"
dotnet run --project "$repo/tools/safetensors-golden" -c Release -- "$out/pybridge.safetensors"
