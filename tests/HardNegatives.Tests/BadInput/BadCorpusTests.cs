using System.Text;
using HardNegatives.Data;

namespace HardNegatives.Tests.BadInput;

/// <summary>Case 6: corpora that must be refused (or warned about) when read, with file:line.</summary>
public sealed class BadCorpusTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("hn-bad-corpus-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    BeirDataset Dataset(byte[] corpus)
    {
        File.WriteAllBytes(Path.Combine(_dir, "corpus.jsonl"), corpus);
        File.WriteAllText(Path.Combine(_dir, "queries.jsonl"), "{\"_id\": \"q1\", \"text\": \"apple\"}\n");
        Directory.CreateDirectory(Path.Combine(_dir, "qrels"));
        File.WriteAllText(Path.Combine(_dir, "qrels", "test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\n");
        return DatasetLocator.Open(_dir);
    }

    static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void A_duplicate_document_id_is_refused_at_its_line()
    {
        var dataset = Dataset(Utf8("{\"_id\": \"d1\", \"text\": \"apple\"}\n{\"_id\": \"d2\", \"text\": \"pear\"}\n{\"_id\": \"d1\", \"text\": \"plum\"}\n"));
        var e = Assert.Throws<DataFormatException>(() => dataset.StreamCorpus().ToList());
        Assert.Equal(3, e.Line);
        Assert.Contains("duplicate _id \"d1\" (first at line 1)", e.Message);
    }

    [Fact]
    public void An_empty_corpus_is_refused()
    {
        var dataset = Dataset([]);
        var e = Assert.Throws<DataFormatException>(() => dataset.StreamCorpus().ToList());
        Assert.Contains("no documents", e.Message);
    }

    [Fact]
    public void Invalid_utf8_inside_an_id_is_refused_by_readers_and_by_validate()
    {
        var corpus = Utf8("{\"_id\": \"d1\", \"text\": \"apple\"}\n{\"_id\": \"d").Concat(new byte[] { 0xC3, 0x28 }).Concat(Utf8("2\", \"text\": \"pear\"}\n")).ToArray();
        var dataset = Dataset(corpus);
        var e = Assert.Throws<DataFormatException>(() => dataset.StreamCorpus().ToList());
        Assert.Equal(2, e.Line);
        Assert.Contains("invalid UTF-8", e.Message);
        var report = DatasetValidator.Validate(dataset);
        Assert.True(report.HasErrors);
        Assert.Contains(report.Issues, i => i.Line == 2 && i.Message.Contains("invalid UTF-8"));
    }

    [Fact]
    public void Invalid_utf8_in_a_text_is_a_warning_of_validate()
    {
        var corpus = Utf8("{\"_id\": \"d1\", \"text\": \"app").Concat(new byte[] { 0xFF }).Concat(Utf8("le\"}\n")).ToArray();
        var report = DatasetValidator.Validate(Dataset(corpus));
        Assert.Contains(report.Issues, i => i.Severity == IssueSeverity.Warning && i.Line == 1 && i.Message.Contains("not UTF-8"));
    }
}
