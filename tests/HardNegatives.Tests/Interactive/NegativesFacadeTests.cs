using System.Text.Json;
using HardNegatives.Data;
using HardNegatives.Generation;
using HardNegatives.Interactive;
using HardNegatives.Mining;
using HardNegatives.Models;
using HardNegatives.Negatives;
using HardNegatives.Retrieval.Bm25;
using HardNegatives.Tests.Models;

namespace HardNegatives.Tests.Interactive;

/// <summary><see cref="Hn.MineCrossEncoder"/> and <see cref="Hn.Generate"/>: thin over the library, on bundled SciFact.</summary>
public class NegativesFacadeTests
{
    static string Scratch() => Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "hn-facade-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    [Fact]
    public async Task MineCrossEncoder_WritesWhatTheLibrarysMinerWrites_WithTheCrossEncodersOwnScores()
    {
        var dir = Scratch();
        var folder = Path.Combine(dir, "ce");
        using (var random = CrossEncoderTests.RandomCrossEncoder(7)) random.Save(folder);
        var options = new HardNegativeMiningOptions(RangeMin: 0, RangeMax: 10, RelativeMargin: 0.05);
        var mined = await Hn.MineCrossEncoder("scifact", folder, numNegatives: 2, limit: 5, candidates: 20, options: options, maxLength: 128,
            output: Path.Combine(dir, "facade.jsonl"));

        // The library's miner, called directly with the same inputs, writes the same file.
        var ds = DatasetLocator.Open("scifact");
        using var index = await Bm25Index.OpenOrBuildAsync(ds);
        using var ce = CrossEncoder.Load(folder, maxLength: 128);
        var reference = Path.Combine(dir, "library.jsonl");
        var summary = await new CrossEncoderNegativeMiner(index, ce, options with { NumNegatives = 2 }, new CrossEncoderMiningOptions(Candidates: 20), modelName: folder)
            .MineToFileAsync(ds, "train", reference, limit: 5);
        Assert.Equal(File.ReadAllText(reference), File.ReadAllText(mined.TriplesPath));
        Assert.Equal(summary.Format(), mined.Summary.Format());
        Assert.Equal(CrossEncoderNegativeMiner.Source, mined.Source);
        Assert.Equal(5, mined.Summary.Queries);
        Assert.Equal(5 - mined.Summary.QueriesWithoutNegatives, mined.Triples.Select(t => t.QueryId).Distinct().Count());

        // Each negative's score is the cross-encoder's score of (query, passage); none is a judged positive.
        var qrels = ds.LoadQrels("train").Where(q => q.Grade > 0).Select(q => (q.QueryId, q.DocumentId)).ToHashSet();
        foreach (var t in mined.Triples)
            foreach (var n in t.Negatives)
            {
                Assert.DoesNotContain((t.QueryId, n.Id), qrels);
                Assert.Equal(ce.Score([t.Query], [n.Text])[0], n.Score!.Value, 4);
            }
        Assert.Contains("ce negatives · scifact", KitFormatters.ToHtml(mined));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task Generate_ThroughAServer_WritesTriples_AndARerunAsksForNothing()
    {
        var dir = Scratch();
        var corpus = DatasetLocator.Open("scifact").StreamCorpus().Skip(100).Take(40).Select(d => d.FullText).ToList();
        // A scripted OpenAI-compatible stand-in: other SciFact abstracts as the "negatives" (real text, not model output).
        await using var server = new LoopbackChatServer(request => LoopbackChatReply.Ok(JsonSerializer.Serialize(new
        {
            negatives = Enumerable.Range(0, 3).Select(i => corpus[(request.Number * 3 + i) % corpus.Count]).ToArray(),
        })));
        var output = Path.Combine(dir, "llm.jsonl");
        var generated = await Hn.Generate("scifact", "scripted-stand-in", endpoint: server.BaseUri.ToString(), numNegatives: 2, limit: 4, concurrency: 1, output: output);
        Assert.Equal(4, generated.Triples.Count);
        Assert.Equal(4, server.Hits);
        Assert.All(generated.Triples, t => Assert.Equal("llm:scripted-stand-in", t.Source));
        Assert.All(generated.Triples, t => Assert.Equal(2, t.Negatives.Count));
        Assert.Equal(TriplesFile.Read(output).Select(t => t.QueryId), generated.Triples.Select(t => t.QueryId));
        var pairs = TrainingPairs.FromBeir(DatasetLocator.Open("scifact"), "train").Pairs.Take(4).Select(p => p.QueryId);
        Assert.Equal(pairs, generated.Triples.Select(t => t.QueryId).Distinct());
        Assert.Equal((4, 0, 4), (generated.Summary.Generated, generated.Summary.Failed, generated.Summary.Requests));
        var html = KitFormatters.ToHtml(generated);
        Assert.Contains("llm:scripted-stand-in negatives · scifact · 4 triples", html);
        Assert.Contains("hn-card hn-neg", html);
        Assert.DoesNotContain("elapsed", html + KitFormatters.ToPlainText(generated));   // no wall clock in committed outputs

        var again = await Hn.Generate("scifact", "scripted-stand-in", endpoint: server.BaseUri.ToString(), numNegatives: 2, limit: 4, concurrency: 1, output: output);
        Assert.Equal(4, again.Summary.FromCache);
        Assert.Equal(4, server.Hits);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task Generate_NamesWhatIsMissingOrDown()
    {
        var none = await Assert.ThrowsAsync<ArgumentException>(() => Hn.Generate("scifact", "m", limit: 1, output: Path.Combine(Scratch(), "x.jsonl")));
        Assert.Contains("backend openai needs at least one endpoint", none.Message);
        var bad = await Assert.ThrowsAsync<ArgumentException>(() => Hn.Generate("scifact", "m", endpoint: "localhost:8000", limit: 1));
        Assert.Contains("'localhost:8000' is not an http(s) URL", bad.Message);
        var down = await Assert.ThrowsAsync<InvalidOperationException>(() => Hn.Generate("scifact", "m", endpoint: "http://127.0.0.1:9/v1", limit: 1,
            output: Path.Combine(Scratch(), "y.jsonl")));
        Assert.Contains("127.0.0.1:9", down.Message);
    }
}
