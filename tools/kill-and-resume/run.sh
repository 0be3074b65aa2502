#!/usr/bin/env bash
# The kill-and-resume check cited in data-cards/scifact-training-results.md, as a script anyone can rerun (outside CI:
# several minutes on 2 cores). Trains a tiny bi-encoder on SciFact BM25 negatives with `hn train`, kills it with SIGKILL
# as soon as its step-5 checkpoint exists, reruns the same command (which resumes from the checkpoint), then retrieves and
# scores SciFact test; does the same training once more without a kill and prints both nDCG@10 values, which must match
# (a seeded CPU run resumed from a checkpoint ends with bit-identical weights).
#   tools/kill-and-resume/run.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
export HN_HOME=${HN_HOME:-$(mktemp -d /tmp/hn-kill-resume-home.XXXXXX)}
work=$(mktemp -d /tmp/hn-kill-resume.XXXXXX)
trap 'rm -rf "$work"' EXIT
dotnet build "$root/src/HardNegatives.Cli/HardNegatives.Cli.csproj" -c Release -nodeReuse:false -v q >/dev/null
hn() { dotnet "$root/src/HardNegatives.Cli/bin/Release/net10.0/hn.dll" "$@"; }
qrels="$root/data/bundled/scifact/qrels/test.tsv"

hn mine bm25 --dataset scifact --split train --num-negatives 1 --output "$work/triples.jsonl" >/dev/null
train() { exec dotnet "$root/src/HardNegatives.Cli/bin/Release/net10.0/hn.dll" train --model tiny:layers=1,dim=64 \
                   --triples "$work/triples.jsonl" --output "$1" --max-steps 30 --batch-size 16 \
                   --max-length 64 --lr 1e-3 --seed 42 --checkpoint-every 5 >/dev/null 2>&1; }
score() {
  hn search dense --model "$1" --dataset scifact --split test --top-k 1000 --output "$1.trec" >/dev/null 2>&1
  hn eval "$qrels" "$1.trec" -m ndcg_cut.10 | awk '{print $3}'
}

# Killed run: SIGKILL once the step-5 checkpoint is complete, then the same command again.
( train "$work/killed" ) & pid=$!   # exec: $! is the training process itself, not a shell
until [ -d "$work/killed/checkpoints/step-00000005" ] || ! kill -0 $pid 2>/dev/null; do sleep 0.2; done
kill -9 $pid 2>/dev/null && echo "killed training (pid $pid) after its step-5 checkpoint" || echo "warning: training finished before the kill"
wait $pid 2>/dev/null || true
( train "$work/killed" )
killed=$(score "$work/killed")

( train "$work/straight" )
straight=$(score "$work/straight")
echo "SciFact test nDCG@10: killed at step 5 and resumed $killed; uninterrupted $straight"
[ "$killed" = "$straight" ] && echo "identical" || { echo "DIFFERENT"; exit 1; }
