using HardNegatives.Data;
using HardNegatives.Evaluation;
using HardNegatives.Retrieval;

namespace HardNegatives.Tests.Evaluation;

/// <summary>
/// Differential test: a second, deliberately literal transcription of trec_eval 9.0.x's C loops (form_res_rels.c:
/// qsort by comp_sim_docno, rel_levels; m_ndcg_cut.c: the cutoff walk and the cur_lvl/lvl_count ideal walk; m_P.c,
/// m_recall.c, m_map.c, m_map_cut.c, m_recip_rank.c; meas_avg.c) is run on random qrels and runs with many score ties,
/// and must agree with <see cref="TrecEvaluator"/> to 1e-12 on every value.
/// </summary>
public class TrecEvalLoopsDifferentialTests
{
    static readonly int[] Cutoffs = [1, 2, 3, 5, 10, 20];

    sealed record CQuery(long[] RelList, long[] RelLevels, long NumRel, long NumRelLevels, long NumRet);

    // form_res_rels.c, normal path, relevance_level = 1.
    static CQuery FormResRels(List<(string Doc, double Sim)> results, Dictionary<string, int> qrels)
    {
        var docs = results.ToArray();
        Array.Sort(docs, (p1, p2) => p1.Sim > p2.Sim ? -1 : p1.Sim < p2.Sim ? 1 : string.CompareOrdinal(p2.Doc, p1.Doc));
        var rel = docs.Select(d => qrels.TryGetValue(d.Doc, out int g) ? (long)g : -1L).ToArray();
        long maxRel = qrels.Values.Max();
        var levels = new long[maxRel + 1];
        foreach (var g in qrels.Values) if (g >= 0) levels[g]++;
        long numRel = 0, numLevels = 0;
        for (int i = 0; i <= maxRel; i++)
            if (levels[i] != 0) { numLevels = i + 1; if (i >= 1) numRel += levels[i]; }
        return new CQuery(rel, levels, numRel, numLevels, rel.Length);
    }

    static double[] NdcgCut(CQuery r)
    {
        var values = new double[Cutoffs.Length];
        int ci = 0;
        double sum = 0;
        for (long i = 0; i < r.NumRet; i++)
        {
            if (i == Cutoffs[ci]) { values[ci] = sum; if (++ci == Cutoffs.Length) break; }
            double gain = r.RelList[i];
            if (gain > 0) sum += gain / Math.Log2(i + 2);
        }
        while (ci < Cutoffs.Length) values[ci++] = sum;
        ci = 0;
        long curLvl = r.NumRelLevels - 1, lvlCount = 0;
        double ideal = 0;
        for (long i = 0; ; i++)
        {
            lvlCount++;
            while (curLvl > 0 && lvlCount > r.RelLevels[curLvl]) { curLvl--; lvlCount = 1; }
            if (curLvl == 0) break;
            if (i == Cutoffs[ci]) { if (ideal > 0) values[ci] /= ideal; if (++ci == Cutoffs.Length) break; }
            ideal += curLvl / Math.Log2(i + 2);
        }
        while (ci < Cutoffs.Length) { if (ideal > 0) values[ci] /= ideal; ci++; }
        return values;
    }

    static double[] P(CQuery r)
    {
        var v = new double[Cutoffs.Length];
        long relSoFar = 0; int ci = 0;
        for (long i = 0; i < r.NumRet; i++)
        {
            if (i == Cutoffs[ci]) { v[ci] = (double)relSoFar / Cutoffs[ci]; if (++ci == Cutoffs.Length) break; }
            if (r.RelList[i] >= 1) relSoFar++;
        }
        while (ci < Cutoffs.Length) { v[ci] = (double)relSoFar / Cutoffs[ci]; ci++; }
        return v;
    }

    static double[] Recall(CQuery r)
    {
        var v = new double[Cutoffs.Length];
        long relSoFar = 0; int ci = 0;
        for (long i = 0; i < r.NumRet; i++)
        {
            if (i == Cutoffs[ci]) { if (r.NumRel > 0) v[ci] = (double)relSoFar / r.NumRel; if (++ci == Cutoffs.Length) break; }
            if (r.RelList[i] >= 1) relSoFar++;
        }
        while (ci < Cutoffs.Length) { if (r.NumRel > 0) v[ci] = (double)relSoFar / r.NumRel; ci++; }
        return v;
    }

    static double Map(CQuery r)
    {
        double sum = 0; long relSoFar = 0;
        for (long i = 0; i < r.NumRet; i++)
            if (r.RelList[i] >= 1) { relSoFar++; sum += (double)relSoFar / (i + 1); }
        return relSoFar > 0 ? sum / r.NumRel : 0;
    }

    static double[] MapCut(CQuery r)
    {
        var v = new double[Cutoffs.Length];
        double sum = 0; long relSoFar = 0; int ci = 0;
        for (long i = 0; i < r.NumRet; i++)
        {
            if (i == Cutoffs[ci]) { if (r.NumRel > 0) v[ci] = sum / r.NumRel; if (++ci == Cutoffs.Length) break; }
            if (r.RelList[i] >= 1) { relSoFar++; sum += (double)relSoFar / (i + 1); }
        }
        while (ci < Cutoffs.Length) { if (r.NumRel > 0) v[ci] = sum / r.NumRel; ci++; }
        return v;
    }

    static double RecipRank(CQuery r)
    {
        for (long i = 0; i < r.NumRet; i++) if (r.RelList[i] >= 1) return 1.0 / (i + 1);
        return 0;
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    public void AgreesWithALiteralTranscriptionOfTrecEvalOnRandomData(int seed, bool complete)
    {
        var random = new Random(seed);
        var qrels = new List<Qrel>();
        var run = new List<RunEntry>();
        var judged = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var results = new Dictionary<string, List<(string, double)>>(StringComparer.Ordinal);
        for (int q = 0; q < 40; q++)
        {
            string qid = $"Q{random.Next(1000)}_{q}";
            var docs = Enumerable.Range(0, 30).Select(i => $"D{random.Next(100):D2}{(char)('a' + i % 5)}").Distinct().ToArray();
            if (random.Next(6) > 0) // a few queries are missing from the qrels (run only)
            {
                var j = judged[qid] = new(StringComparer.Ordinal);
                foreach (var d in docs.Where(_ => random.Next(3) == 0)) { j[d] = random.Next(4); qrels.Add(new(qid, d, j[d])); }
                if (j.Count == 0) { j[docs[0]] = 0; qrels.Add(new(qid, docs[0], 0)); }
            }
            if (random.Next(6) > 0) // a few queries are missing from the run
            {
                var list = results[qid] = [];
                foreach (var d in docs.Take(random.Next(1, docs.Length)))
                {
                    double score = random.Next(6) / 2.0; // many ties
                    list.Add((d, score));
                    run.Add(new RunEntry(qid, d, random.Next(100), score, "r"));
                }
            }
        }

        var measures = MeasureRegistry.Resolve(["map", "recip_rank", "P.1,2,3,5,10,20", "recall.1,2,3,5,10,20", "ndcg_cut.1,2,3,5,10,20", "map_cut.1,2,3,5,10,20"]);
        var ours = TrecEvaluator.Evaluate(Judgments.From(qrels), run, measures, new EvaluationOptions { AverageOverAllJudgedQueries = complete });

        var sums = new Dictionary<string, double>();
        int evaluated = 0;
        foreach (var qid in judged.Keys.Order(StringComparer.Ordinal))
        {
            if (!results.TryGetValue(qid, out var res)) { if (!complete) continue; res = []; }
            var c = FormResRels(res, judged[qid]);
            var expected = new Dictionary<string, double> { ["map"] = Map(c), ["recip_rank"] = RecipRank(c) };
            foreach (var (name, values) in new[] { ("P", P(c)), ("recall", Recall(c)), ("ndcg_cut", NdcgCut(c)), ("map_cut", MapCut(c)) })
                for (int i = 0; i < Cutoffs.Length; i++) expected[$"{name}_{Cutoffs[i]}"] = values[i];
            var actual = ours.Queries.Single(x => x.QueryId == qid).Values;
            foreach (var (name, value) in expected)
            {
                Assert.True(Math.Abs(value - actual[name]) < 1e-12, $"{qid} {name}: trec_eval loops {value}, ours {actual[name]}");
                sums[name] = sums.GetValueOrDefault(name) + value;
            }
            evaluated++;
        }
        int denominator = complete ? judged.Count : evaluated;
        Assert.Equal(denominator, ours.AveragedOver);
        foreach (var (name, sum) in sums) Assert.Equal(sum / denominator, ours[name], 1e-12);
    }
}
