using HardNegatives.Data;

namespace HardNegatives.Tests.Data;

public class QrelsReaderTests
{
    static readonly Qrel[] Expected = [new("q1", "d1", 1), new("q1", "d3", 0), new("q2", "d2", 2)];

    [Theory]
    [InlineData("\r\n", true)]
    [InlineData("\n", true)]
    [InlineData("\r\n", false)]
    [InlineData("\n", false)]
    public void Crlf_or_lf_with_or_without_header_read_the_same(string newline, bool header)
    {
        string[] rows = ["q1\td1\t1", "q1\td3\t0", "q2\td2\t2"];
        using var t = new TempDataset().Qrels("test", newline, header ? ["query-id\tcorpus-id\tscore", .. rows] : rows);
        Assert.Equal(Expected, QrelsReader.Read(t.QrelsPath("test")));
    }

    [Fact]
    public void Trec_format_with_spaces_or_tabs_and_zero_grades_kept()
    {
        using var t = new TempDataset().Qrels("test", "\n", "q1 0 d1 1", "q1\t0\td3\t0", "q2  Q0  d2  2", "");
        Assert.Equal(Expected, QrelsReader.Read(t.QrelsPath("test")));
    }

    [Fact]
    public void Bad_grade_after_line_one_throws_with_file_and_line()
    {
        using var t = new TempDataset().Qrels("test", "\n", "q1\td1\t1", "q1\td3\tyes");
        var e = Assert.Throws<DataFormatException>(() => QrelsReader.Read(t.QrelsPath("test")).ToList());
        Assert.Equal($"{t.QrelsPath("test")}:2: relevance grade 'yes' is not an integer", e.Message);
    }

    [Fact]
    public void Malformed_corpus_line_throws_with_file_and_line_from_the_reader()
    {
        using var t = TempDataset.Valid().Corpus("""{"_id": "d1", "text": "a"}""", """{"text": "b"}""");
        var e = Assert.Throws<DataFormatException>(() => new BeirDataset(t.Directory).StreamCorpus().ToList());
        Assert.Equal((t.CorpusPath, 2L), (e.Path, e.Line));
        Assert.StartsWith($"{t.CorpusPath}:2: missing \"_id\"", e.Message);
    }
}

public class JsonlReaderTests
{
    [Fact]
    public void Crlf_and_byte_order_mark_and_blank_lines_are_tolerated()
    {
        using var t = TempDataset.Valid();
        File.WriteAllText(t.CorpusPath, "{\"_id\": \"d1\", \"title\": \"A\", \"text\": \"x\"}\r\n\r\n{\"_id\": \"d2\", \"text\": \"y\", \"n\": 3}\r\n{\"_id\": \"d3\", \"text\": \"z\"}\r\n",
            new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true)); // writes a BOM
        var docs = JsonlReader.ReadCorpus(t.CorpusPath).ToList();
        Assert.Equal([new Document("d1", "A", "x"), new Document("d2", "", "y"), new Document("d3", "", "z")], docs);
        Assert.Empty(DatasetValidator.Validate(new BeirDataset(t.Directory)).Issues);
    }
}
