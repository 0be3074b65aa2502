#!/usr/bin/env bash
# Differential check of `hn eval` against NIST's trec_eval 9.0.8 built from source (outside CI: needs gcc, make, python3).
#   tools/trec-eval-oracle/compare.sh path/to/trec_eval.9.0.8.tar.gz [cases]
# Builds trec_eval in a temporary folder, runs its quicktest cases 1-2, then compares both programs on random qrels/runs
# (ties, unjudged and negative grades, comment lines, queries missing from the run) with -q, -c, -M and -l, byte for byte.
set -euo pipefail
tarball=${1:?usage: compare.sh trec_eval.9.0.8.tar.gz [cases]}
cases=${2:-200}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/trec-eval-oracle.XXXXXX)
trap 'rm -rf "$work"' EXIT
tar xzf "$tarball" -C "$work"
src=$(ls -d "$work"/trec_eval*/)
make -s -C "$src" trec_eval >/dev/null
te="$src/trec_eval"
dotnet build "$root/src/HardNegatives.Cli/HardNegatives.Cli.csproj" -c Release -nodeReuse:false -v q >/dev/null
hn=(dotnet "$root/src/HardNegatives.Cli/bin/Release/net10.0/hn.dll")

for pair in "qrels.test results.test" "qrels.comment.test results.comment.test"; do
  set -- $pair
  diff <("$te" "$src/test/$1" "$src/test/$2") <("${hn[@]}" eval "$src/test/$1" "$src/test/$2") && echo "quicktest $1 $2: identical"
done

python3 - "$work" "$cases" <<'PY'
import random, sys, os
work, cases = sys.argv[1], int(sys.argv[2])
rng = random.Random(17)
for c in range(cases):
    d = os.path.join(work, f"case{c}"); os.makedirs(d)
    docs = [f"d{i}" for i in range(rng.randint(5, 60))]
    with open(os.path.join(d, "qrels"), "w") as q, open(os.path.join(d, "run"), "w") as r:
        q.write("# comment\n")
        for qi in range(rng.randint(1, 6)):
            # trec_eval 9.0.8 fails ("Can't calculate measure 'num_ret'") on a query whose judgments are all negative
            # (form_res_rels.c allocates max_rel + 1 = 0 levels); hn evaluates it. Give every query one grade >= 0.
            for j, doc in enumerate(rng.sample(docs, rng.randint(1, len(docs)))):
                q.write(f"q{qi} 0 {doc} {rng.choice([0, 0, 1, 1, 2, 3] + ([-1] if j else []))}\n")
            if qi == 0 or rng.random() < 0.8:
                ranked = rng.sample(docs, rng.randint(1, len(docs)))
                for rank, doc in enumerate(ranked):
                    score = rng.choice([round(rng.random(), 2), 0.5, 1.0])  # ties on purpose
                    r.write(f"q{qi} Q0 {doc} {rank + 1} {score} run{c}\n")
        r.write("# trailing comment\n")
PY

fail=0
for d in "$work"/case*; do
  for opts in "" "-q" "-c" "-q -c" "-M 10" "-l 2 -q"; do
    [[ "$opts" == *all_trec* ]] && continue  # only the default (official) set is implemented in full
    if ! diff -q <("$te" $opts "$d/qrels" "$d/run" 2>&1) <("${hn[@]}" eval $opts "$d/qrels" "$d/run" 2>&1) >/dev/null; then
      echo "DIFFERENT: $opts $d"; diff <("$te" $opts "$d/qrels" "$d/run" 2>&1) <("${hn[@]}" eval $opts "$d/qrels" "$d/run" 2>&1) | head -5
      fail=1
    fi
  done
done
[ $fail = 0 ] && echo "random cases ($cases × 6 option sets): identical"
exit $fail
