using HardNegatives.Data;

namespace HardNegatives.Tests.Data;

public class DatasetValidatorTests
{
    static ValidationReport Validate(TempDataset t, int maxPerKind = 10) => DatasetValidator.Validate(new BeirDataset(t.Directory), new ValidationOptions(maxPerKind));

    [Fact]
    public void Clean_dataset_has_no_findings()
    {
        using var t = TempDataset.Valid();
        var r = Validate(t);
        Assert.Empty(r.Issues);
        Assert.False(r.HasErrors);
        Assert.Equal(3, r.Documents);
        Assert.Equal(3, r.Queries);
        var test = Assert.Single(r.Qrels);
        Assert.Equal(new QrelsCheck("test", t.QrelsPath("test"), 3, 2, 0, 0, HasHeader: true), test);
    }

    [Fact]
    public void Malformed_json_is_an_error_at_its_line_and_validation_goes_on()
    {
        using var t = TempDataset.Valid().Corpus(
            """{"_id": "d1", "title": "Alpha", "text": "first"}""",
            """{"_id": "d2", "text": "unterminated""",
            """["not", "an", "object"]""",
            """{"_id": "d1", "text": "again"}""");
        var r = Validate(t);
        Assert.True(r.HasErrors);
        Assert.Equal(3, r.Errors);
        var lines = r.Issues.Where(i => i.Severity == IssueSeverity.Error).Select(i => i.ToString()).ToList();
        Assert.StartsWith($"error: {t.CorpusPath}:2: malformed JSON", lines[0]);
        Assert.Equal($"error: {t.CorpusPath}:3: expected a JSON object, found Array", lines[1]);
        Assert.Equal($"error: {t.CorpusPath}:4: duplicate _id \"d1\" (first at line 1); ids must be unique", lines[2]);
        // d2 and d3 never parsed, so test qrels naming them are dangling: warnings, not errors.
        Assert.Equal(2, r.Qrels[0].MissingDocumentRows);
    }

    [Fact]
    public void Missing_id_and_empty_texts_are_errors_with_lines()
    {
        using var t = TempDataset.Valid()
            .Corpus("""{"_id": "d1", "text": "x"}""", """{"title": "no id", "text": "y"}""", """{"_id": "", "text": "z"}""", """{"_id": "d2", "title": " ", "text": ""}""", """{"_id": "d3", "text": "ok"}""")
            .Queries("""{"_id": "q1", "text": ""}""", """{"_id": "q2", "text": "fine"}""", """{"_id": 7, "text": "numeric ids are read as text"}""");
        var r = Validate(t);
        var errors = r.Issues.Where(i => i.Severity == IssueSeverity.Error).ToList();
        Assert.Equal(
            [(t.CorpusPath, 2L), (t.CorpusPath, 3L), (t.CorpusPath, 4L), (t.QueriesPath, 1L)],
            errors.Select(e => (e.Path, e.Line)));
        Assert.Contains("missing \"_id\"", errors[0].Message);
        Assert.Contains("missing \"_id\"", errors[1].Message);
        Assert.Contains("document \"d2\" has an empty \"title\" and \"text\"", errors[2].Message);
        Assert.Contains("query \"q1\" has an empty \"text\"", errors[3].Message);
        Assert.Equal(3, r.Queries);
    }

    [Fact]
    public void Duplicate_query_ids_are_errors()
    {
        using var t = TempDataset.Valid().Queries("""{"_id": "q1", "text": "a"}""", """{"_id": "q2", "text": "b"}""", """{"_id": "q1", "text": "c"}""");
        var e = Assert.Single(Validate(t).Issues, i => i.Severity == IssueSeverity.Error);
        Assert.Equal($"error: {t.QueriesPath}:3: duplicate _id \"q1\" (first at line 1); ids must be unique", e.ToString());
    }

    [Fact]
    public void Dangling_qrels_are_counted_warnings_with_lines_not_errors()
    {
        // The ArguAna case: a few judgments name ids that are not in the collection.
        using var t = TempDataset.Valid().Qrels("test", "\r\n", "query-id\tcorpus-id\tscore", "q1\td1\t1", "q9\td2\t1", "q2\td404\t1", "q2\td2\t1", "q8\td405\t1");
        var r = Validate(t);
        Assert.False(r.HasErrors);
        Assert.Equal(4, r.Warnings);
        var check = r.Qrels[0];
        Assert.Equal((5, 2, 2), (check.Rows, check.MissingQueryRows, check.MissingDocumentRows));
        var path = t.QrelsPath("test");
        Assert.Contains(r.Issues, i => i.ToString() == $"warning: {path}:3: query \"q9\" is not in queries.jsonl; {DatasetValidator.MissingQueryEffect}");
        Assert.Contains(r.Issues, i => i.ToString() == $"warning: {path}:4: document \"d404\" is not in the corpus; {DatasetValidator.MissingRelevantEffect}");
        Assert.Contains(r.Issues, i => i.Line == 6 && i.Message.Contains("\"q8\""));
        Assert.Contains(r.Issues, i => i.Line == 6 && i.Message.Contains("\"d405\""));
        Assert.Contains(r.Issues, i => i.ToString() == $"warning: {path}: 2 of 5 rows name a document missing from the corpus; where relevant, {DatasetValidator.MissingRelevantEffect}");
    }

    [Fact]
    public void Unreadable_qrels_rows_are_errors_and_the_rest_is_still_read()
    {
        using var t = TempDataset.Valid().Qrels("train", "\n", "q1\td1\t1", "q1\td2", "q2\td2\thigh", "q2 0 d3 1", "q1\td1\t2");
        var r = Validate(t);
        var path = t.QrelsPath("train");
        Assert.Equal(2, r.Errors);
        Assert.Contains(r.Issues, i => i.ToString() == $"error: {path}:2: expected 3 columns (BEIR: query-id, corpus-id, score) or 4 (TREC: qid 0 docid grade), found 2");
        Assert.Contains(r.Issues, i => i.ToString() == $"error: {path}:3: relevance grade 'high' is not an integer");
        Assert.Contains(r.Issues, i => i.Severity == IssueSeverity.Warning && i.Line == 5 && i.Message.Contains("again (first at line 1)"));
        var train = Assert.Single(r.Qrels, q => q.Split == "train");
        Assert.Equal((3, false), (train.Rows, train.HasHeader));
    }

    [Fact]
    public void Findings_past_the_cap_are_counted_not_listed()
    {
        var corpus = Enumerable.Range(0, 16).Select(i => $$"""{"_id": "same", "text": "copy {{i}}"}""").ToArray();
        using var t = TempDataset.Valid().Corpus(corpus).Qrels("test", "\n", "q1\tsame\t1");
        var r = Validate(t, maxPerKind: 10);
        Assert.Equal(15, r.Errors);
        Assert.Equal(10, r.Issues.Count(i => i.Severity == IssueSeverity.Error && i.Line > 0));
        Assert.Contains(r.Issues, i => i.ToString() == $"error: {t.CorpusPath}: ... and 5 more duplicate findings in this file (not listed)");
    }

    [Fact]
    public void Query_ids_that_are_corpus_ids_are_reported_as_information()
    {
        using var t = TempDataset.Valid().Corpus("""{"_id": "q1", "text": "the query itself"}""", """{"_id": "d1", "text": "x"}""", """{"_id": "d2", "text": "y"}""", """{"_id": "d3", "text": "z"}""");
        var r = Validate(t);
        var info = Assert.Single(r.Issues);
        Assert.Equal(IssueSeverity.Info, info.Severity);
        Assert.StartsWith("1 of 3 query ids are also corpus ids", info.Message);
        Assert.False(r.HasErrors);
    }

    [Fact]
    public void Gzipped_corpus_is_validated_like_plain()
    {
        using var t = TempDataset.Valid().Corpus("""{"_id": "d1", "text": "a"}""", "{oops", """{"_id": "d2", "text": "b"}""", """{"_id": "d3", "text": "c"}""").GzipCorpus();
        var r = Validate(t);
        var e = Assert.Single(r.Issues);
        Assert.Equal((t.CorpusPath + ".gz", 2L, IssueSeverity.Error), (e.Path, e.Line, e.Severity));
        Assert.Equal(3, r.Documents);
    }

    [Fact]
    public void Bundled_sets_are_valid()
    {
        var scifact = DatasetValidator.Validate("scifact");
        Assert.False(scifact.HasErrors);
        Assert.Equal(0, scifact.Warnings);
        Assert.Equal((5183L, 1109), (scifact.Documents, scifact.Queries));
        Assert.Equal([("test", 339, 300, true), ("train", 919, 809, true)], scifact.Qrels.Select(q => (q.Split, q.Rows, q.Queries, q.HasHeader)));

        var marco = DatasetValidator.Validate("msmarco-trecdl-5k");
        Assert.False(marco.HasErrors);
        Assert.Equal([("test", 4102, 43, false)], marco.Qrels.Select(q => (q.Split, q.Rows, q.Queries, q.HasHeader)));
    }
}
