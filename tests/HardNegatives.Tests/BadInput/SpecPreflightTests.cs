using HardNegatives.Data;
using HardNegatives.Experiments;

namespace HardNegatives.Tests.BadInput;

/// <summary>
/// Case 5: spec errors that used to surface only after training. Each is reported at load time or by <c>--dry-run</c>,
/// as <c>file:line: path: problem</c> with the accepted values, and never with .NET type names.
/// </summary>
[Collection(HardNegatives.Tests.BadInput.InProcessProgressCollection.Name)] // runs hn in-process: one live progress display per process
public sealed class SpecPreflightTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("hn-spec-preflight-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static string Spec => HostileSpecTests.Spec;

    [Theory]
    [InlineData("\"evaluation\": { \"datasets\": [\"scifact\"] }", "\"evaluation\": { \"datasets\": [\"scifact\"], \"top_k\": 0 }", 9, "evaluation.top_k: must be at least 1")]
    [InlineData("\"split\": \"train\" }", "\"split\": \"train\", \"limit\": -5 }", 3, "training.limit: must be 0 (all queries) or a positive count")]
    [InlineData("\"seeds\": [1, 2]", "\"seeds\": [1, 2, 1]", 10, "seeds[2]: seed 1 is listed twice")]
    [InlineData("\"evaluation\": { \"datasets\": [\"scifact\"] }", "\"evaluation\": { \"datasets\": [\"scifact\"], \"metrics\": [\"ndgc_cut.10\"] }", 9, "evaluation.metrics[0]: unknown metric 'ndgc_cut.10'")]
    [InlineData("\"evaluation\": { \"datasets\": [\"scifact\"] }", "\"evaluation\": { \"datasets\": [\"scifact\"], \"metrics\": [\"nDCG@10\"] }", 9, "e.g. ndcg_cut.10")]
    [InlineData("\"kind\": \"bm25\"", "\"kind\": \"bm26\"", 6, "sources[1].kind")]
    [InlineData("\"evaluation\": { \"datasets\": [\"scifact\"] }", "\"evaluation\": { \"datasets\": [\"scifact\"], \"max_length\": 1024 }", 9, "evaluation.max_length: must be between 8 and 512 tokens (is 1024)")]
    [InlineData("\"kind\": \"bm25\"", "\"kind\": \"bm25\", \"max_length\": 4", 6, "sources[1].max_length: must be between 8 and 512 tokens (is 4)")]
    public void A_bad_value_fails_at_load_time_with_its_line(string from, string to, int line, string expected)
    {
        var e = Assert.Throws<DataFormatException>(() => ExperimentSpecLoader.Parse(Spec.Replace(from, to), "spec.json"));
        Assert.Contains($"spec.json:{line}: ", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain("HardNegatives.", e.Message);
        Assert.DoesNotContain("(Parameter", e.Message);
    }

    [Theory]
    [InlineData("[\"scifact\"]", "[\"scifact\", \"scifcat\"]", "evaluation.datasets[1]: dataset 'scifcat' is neither a folder")]
    [InlineData("\"datasets\": [\"scifact\"] }", "\"datasets\": [\"scifact\"], \"split\": \"tset\" }", "evaluation.split: scifact has no split 'tset' (has: ")]
    [InlineData("\"split\": \"train\" }", "\"split\": \"trian\" }", "training.split: scifact has no split 'trian'")]
    public async Task Dry_run_checks_datasets_and_splits(string from, string to, string expected)
    {
        var path = Path.Combine(_dir, "spec.json");
        File.WriteAllText(path, Spec.Replace(from, to));
        var run = await Hn.RunAsync("reproduce", path, "--dry-run", "--store", Path.Combine(_dir, "store"));
        Assert.Equal(1, run.Code);
        Assert.Contains($"{path}:", run.Error);
        Assert.Contains(expected, run.Error);
    }

    [Fact]
    public async Task Dry_run_of_a_good_spec_passes()
    {
        var path = Path.Combine(_dir, "spec.json");
        File.WriteAllText(path, Spec);
        var run = await Hn.RunAsync("reproduce", path, "--dry-run", "--store", Path.Combine(_dir, "store"));
        Assert.Equal(0, run.Code);
    }
}
