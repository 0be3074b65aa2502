using HardNegatives.Negatives;

namespace HardNegatives.Tests.Training;

/// <summary>Small synthetic triples: each positive shares the query's topic words, negatives share one word only.</summary>
static class TrainingData
{
    static readonly string[] Topics = ["protein folding", "gene expression", "tumor growth", "vaccine trial", "cell membrane", "blood pressure",
        "heart failure", "insulin resistance", "bone density", "virus replication", "neural plasticity", "muscle repair"];

    public static List<Triple> Triples(int count, int negatives = 1)
    {
        var rows = new List<Triple>();
        for (int i = 0; i < count; i++)
        {
            var topic = Topics[i % Topics.Length];
            var other = Topics[(i * 7 + 3) % Topics.Length];
            var negs = Enumerable.Range(0, negatives)
                .Select(n => new Negative($"n{i}-{n}", $"{other} study {n} number {i} {topic.Split(' ')[0]}", 1.0 / (n + 1), n + 1)).ToList();
            rows.Add(new Triple($"q{i}", $"what about {topic} case {i}", $"p{i}", $"{topic} results case {i} evidence", negs, "synthetic"));
        }
        return rows;
    }
}
