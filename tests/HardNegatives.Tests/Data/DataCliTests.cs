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
