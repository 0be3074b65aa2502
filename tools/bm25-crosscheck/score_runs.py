#!/usr/bin/env python3
"""Independent cross-check of the kit's BM25 numbers (data-cards/scifact-bm25-results.md), outside the test suite.

Scores TREC run files against qrels with trec_eval's definitions, written from the definitions and not from the kit's
C# code: results ordered by score descending, ties by document id descending (trec_eval's qsort order); the rank column
ignored; nDCG@k with gain = grade, discount log2(rank + 1), ideal ranking from all judged grades > 0; R@k over documents
with grade > 0; means over the queries of the qrels that appear in the run (trec_eval without -c).

    python3 tools/bm25-crosscheck/score_runs.py QRELS RUN [RUN ...]

QRELS is BEIR TSV (query-id, corpus-id, score; header optional) or TREC (qid 0 docid grade). Make the runs with
`hn search bm25 --dataset scifact --split test --top-k 1000 --fields flat|multifield --output RUN`.
"""
import math
import sys
from collections import defaultdict


def read_qrels(path):
    qrels = defaultdict(dict)
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t") if "\t" in line else line.split()
            if len(parts) == 4:
                parts = [parts[0], parts[2], parts[3]]
            try:
                qrels[parts[0]][parts[1]] = int(parts[2])
            except ValueError:
                if number != 1:
                    raise
    return qrels


def read_run(path):
    run = defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 6 and not parts[0].startswith("#"):
                run[parts[0]].append((float(parts[4]), parts[2]))
    for qid in run:
        run[qid].sort(key=lambda x: (x[0], x[1]), reverse=True)  # score desc, then docid desc
    return run


def ndcg_at(ranked, judged, k):
    dcg = sum(judged.get(doc, 0) / math.log2(i + 2) for i, (_, doc) in enumerate(ranked[:k]) if judged.get(doc, 0) > 0)
    ideal = sorted((g for g in judged.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def recall_at(ranked, judged, k):
    relevant = {d for d, g in judged.items() if g > 0}
    return len(relevant & {doc for _, doc in ranked[:k]}) / len(relevant) if relevant else 0.0


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    qrels = read_qrels(argv[1])
    for path in argv[2:]:
        run = read_run(path)
        queries = [q for q in sorted(qrels) if q in run]
        values = {
            "ndcg_cut_10": [ndcg_at(run[q], qrels[q], 10) for q in queries],
            "recall_100": [recall_at(run[q], qrels[q], 100) for q in queries],
            "recall_1000": [recall_at(run[q], qrels[q], 1000) for q in queries],
        }
        for name, per_query in values.items():
            print(f"{path}\t{name}\t{sum(per_query) / len(per_query):.5f}\t({len(per_query)} queries)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
