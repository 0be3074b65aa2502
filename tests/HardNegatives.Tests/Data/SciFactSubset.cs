using System.Text.Json;
using HardNegatives.Data;

namespace HardNegatives.Tests.Data;

/// <summary>
/// A small real slice of the bundled SciFact: the first <c>queries</c> queries of a split with their judged documents plus
/// the first <c>extraDocuments</c> other abstracts as distractors, written as a BEIR folder (corpus in SciFact's order).
/// </summary>
static class SciFactSubset
{
    public static TempDataset Create(string split, int queries, int extraDocuments, IEnumerable<string>? moreDocumentIds = null)
    {
        var ds = DatasetLocator.Open("scifact");
        var qrels = ds.LoadQrels(split);
        var queryIds = qrels.Select(q => q.QueryId).Distinct().Take(queries).ToHashSet(StringComparer.Ordinal);
        var kept = qrels.Where(q => queryIds.Contains(q.QueryId)).ToList();
        var wanted = kept.Select(q => q.DocumentId).Concat(moreDocumentIds ?? []).ToHashSet(StringComparer.Ordinal);
        int extra = 0;
        var corpus = ds.StreamCorpus().Where(d => wanted.Contains(d.Id) || extra++ < extraDocuments).ToList();
        var texts = ds.LoadQueries();
        return new TempDataset()
            .Corpus([.. corpus.Select(d => JsonSerializer.Serialize(new Dictionary<string, string> { ["_id"] = d.Id, ["title"] = d.Title, ["text"] = d.Text }))])
            .Queries([.. queryIds.Order(StringComparer.Ordinal).Select(id => JsonSerializer.Serialize(new Dictionary<string, string> { ["_id"] = id, ["text"] = texts[id].Text }))])
            .Qrels(split, "\n", ["query-id\tcorpus-id\tscore", .. kept.Select(q => $"{q.QueryId}\t{q.DocumentId}\t{q.Grade}")]);
    }
}
