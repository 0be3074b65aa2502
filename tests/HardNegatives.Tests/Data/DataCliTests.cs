namespace HardNegatives.Tests.Data;

/// <summary>Bad input through the real <c>hn</c>: one <c>error:</c> line per problem with file:line, no stack trace, exit code 1.</summary>
public class DataCliTests
{
    [Fact]
    public void Validate_lists_each_error_on_one_line_and_fails()
    {
        using var t = TempDataset.Valid().Corpus("""{"_id": "d1", "text": "a"}""", "{broken", """{"_id": "d1", "text": "b"}""", """{"_id": "d2", "text": "c"}""", """{"_id": "d3", "text": "d"}""");
        var r = HnCli.Run("data", "validate", t.Directory);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(2, r.ErrorLines.Length);
        Assert.StartsWith($"error: {t.CorpusPath}:2: malformed JSON", r.ErrorLines[0]);
        Assert.StartsWith($"error: {t.CorpusPath}:3: duplicate _id \"d1\"", r.ErrorLines[1]);
        Assert.Contains("invalid: 2 errors, 0 warnings", r.StdOut);
        Assert.DoesNotContain("   at ", r.StdErr + r.StdOut);
    }

    [Fact]
    public void Validate_passes_with_warnings_only()
    {
        using var t = TempDataset.Valid().Qrels("test", "\r\n", "query-id\tcorpus-id\tscore", "q1\td1\t1", "q1\tgone\t1");
        var r = HnCli.Run("data", "validate", t.Directory);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.StdErr);
        Assert.Contains($"warning: {t.QrelsPath("test")}:3: document \"gone\" is not in the corpus", r.StdOut);
        Assert.Contains("valid: 0 errors, 1 warnings", r.StdOut);
    }

    [Theory]
    [InlineData("corpus")]
    [InlineData("qrels")]
    public void Stats_on_a_bad_file_prints_one_located_error_line(string broken)
    {
        using var t = TempDataset.Valid();
        if (broken == "corpus") t.Corpus("""{"_id": "d1", "text": "a"}""", """{"_id": "d2", "text": }""");
        else t.Qrels("test", "\n", "q1\td1\t1", "q1 d2");
        var r = HnCli.Run("data", "stats", t.Directory);
        Assert.Equal(1, r.ExitCode);
        var line = Assert.Single(r.ErrorLines);
        Assert.StartsWith(broken == "corpus" ? $"error: {t.CorpusPath}:2: malformed JSON" : $"error: {t.QrelsPath("test")}:2: expected 3 columns", line);
    }
}

public class DataFetchCliTests
{
    [Fact]
    public void Fetch_offline_names_what_is_missing_in_one_line()
    {
        var home = Directory.CreateTempSubdirectory("hn-home-").FullName;
        try
        {
            var r = HnCli.Run(new Dictionary<string, string> { ["HN_HOME"] = home }, "data", "fetch", "arguana", "--offline");
            Assert.Equal(1, r.ExitCode);
            var line = Assert.Single(r.ErrorLines);
            Assert.StartsWith($"error: offline (HN_OFFLINE=1 or --offline): dataset 'arguana' is not in the cache ({home}/datasets/arguana); missing: https://public.ukp.informatik.tu-darmstadt.de/thakur/BEIR/datasets/arguana.zip", line);

            var viaEnv = HnCli.Run(new Dictionary<string, string> { ["HN_HOME"] = home, ["HN_OFFLINE"] = "1" }, "data", "fetch", "arguana");
            Assert.Equal(1, viaEnv.ExitCode);
            Assert.Equal(line, Assert.Single(viaEnv.ErrorLines));
        }
        finally { Directory.Delete(home, true); }
    }

    [Fact]
    public void Fetch_unknown_name_is_one_error_line()
    {
        var r = HnCli.Run("data", "fetch", "scifakt", "--offline");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: unknown dataset 'scifakt'; known: msmarco,", Assert.Single(r.ErrorLines));
    }
}

public class DataListAndPairsCliTests
{
    [Fact]
    public void List_shows_bundled_sets_and_what_the_registry_can_fetch()
    {
        var home = Directory.CreateTempSubdirectory("hn-home-").FullName;
        try
        {
            var r = HnCli.Run(new Dictionary<string, string> { ["HN_HOME"] = home }, "data", "list");
            Assert.Equal(0, r.ExitCode);
            Assert.Matches(@"scifact\s*│\s*bundled", r.StdOut);
            Assert.Matches(@"msmarco-trecdl-5k\s*│\s*bundled", r.StdOut);
            Assert.Matches(@"arguana\s*│\s*registry\s*│\s*not downloaded: hn data fetch arguana", r.StdOut);
        }
        finally { Directory.Delete(home, true); }
    }

    [Fact]
    public void Pairs_counts_scifact_train()
    {
        var r = HnCli.Run("data", "pairs", "scifact", "--split", "train");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("pairs      809", r.StdOut);
        Assert.Contains("positives  919", r.StdOut);
    }

    [Fact]
    public void Opening_a_name_that_is_nowhere_says_how_to_get_it()
    {
        var home = Directory.CreateTempSubdirectory("hn-home-").FullName;
        try
        {
            var r = HnCli.Run(new Dictionary<string, string> { ["HN_HOME"] = home }, "data", "stats", "fiqa");
            Assert.Equal(1, r.ExitCode);
            var line = Assert.Single(r.ErrorLines);
            Assert.StartsWith("error: dataset 'fiqa' is neither a folder", line);
            Assert.EndsWith("run `hn data fetch fiqa` to download it", line);
        }
        finally { Directory.Delete(home, true); }
    }
}
