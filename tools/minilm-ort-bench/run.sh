#!/usr/bin/env bash
# The kit's BERT forward vs ONNX Runtime on all-MiniLM-L6-v2 (issue 15). Args: threads batch reps [nospin] (default 2 32 5).
# Run on an idle machine for numbers worth quoting; the printed section states the load average it saw.
set -euo pipefail
cd "$(dirname "$0")"
dotnet run -c Release -- "$@"
