using System.Text;
using HardNegatives.Data;

namespace HardNegatives.Tests.Data;

public class TrainingPairsTests
{
    [Fact]
    public void Scifact_train_gives_809_queries_with_919_positives()
    {
        var scifact = DatasetLocator.Open("scifact");
        var set = TrainingPairs.FromBeir(scifact, "train");
        Assert.Equal(809, set.Pairs.Count);
        Assert.Equal(919, set.PositiveCount);
        Assert.Equal((0, 0), (set.SkippedMissingQueries, set.SkippedMissingPositives));

        // Independent check against the raw file: every data row is "qid<TAB>docid<TAB>1" and pairs keep first-seen order.
        var rows = File.ReadLines(scifact.QrelsPath("train")).Skip(1).Select(l => l.TrimEnd('\r').Split('\t')).ToList();
        Assert.Equal(rows.Select(r => r[0]).Distinct(), set.Pairs.Select(p => p.QueryId));
        var first = set.Pairs[0];
        Assert.Equal(rows.Where(r => r[0] == first.QueryId).Select(r => r[1]), first.Positives.Select(d => d.Id));
        Assert.Equal(scifact.LoadQueries()[first.QueryId].Text, first.QueryText);
        Assert.Equal(scifact.LoadCorpus()[first.Positives[0].Id], first.Positives[0]);
    }

    [Fact]
    public void Grades_below_the_minimum_are_not_positives()
    {
        using var t = TempDataset.Valid().Qrels("train", "\n", "q1\td1\t2", "q1\td2\t1", "q1\td3\t0", "q2\td3\t0");
        var ds = new BeirDataset(t.Directory);
        var any = TrainingPairs.FromBeir(ds, "train");
        Assert.Equal(["d1", "d2"], Assert.Single(any.Pairs).Positives.Select(d => d.Id));
        var strict = TrainingPairs.FromBeir(ds, "train", new TrainingPairOptions(MinGrade: 2));
        Assert.Equal(["d1"], Assert.Single(strict.Pairs).Positives.Select(d => d.Id));
    }

    [Fact]
    public void Ms_marco_tsv_files_with_trec_qrels()
    {
        var dir = Directory.CreateTempSubdirectory("hn-marco-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "queries.train.tsv"), "1\twhat is a cat\n2\tdog food\n3\tno positives\n");
            File.WriteAllText(Path.Combine(dir, "collection.tsv"), "0\tcats are small felines\n1\tdog food brands\n2\tkibble is dog food\n");
            File.WriteAllText(Path.Combine(dir, "qrels.train.tsv"), "1\t0\t0\t1\n2\t0\t1\t1\n2\t0\t2\t1\n2\t0\t99\t1\n5\t0\t1\t1\n");
            var set = TrainingPairs.FromMsMarco(Path.Combine(dir, "queries.train.tsv"), Path.Combine(dir, "collection.tsv"), Path.Combine(dir, "qrels.train.tsv"));
            Assert.Equal([("1", "what is a cat", 1), ("2", "dog food", 2)], set.Pairs.Select(p => (p.QueryId, p.QueryText, p.Positives.Count)));
            Assert.Equal(new Document("2", "", "kibble is dog food"), set.Pairs[1].Positives[1]);
            Assert.Equal((1, 1), (set.SkippedMissingQueries, set.SkippedMissingPositives)); // query 5 has no text; passage 99 is missing
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Ms_marco_tsv_and_beir_layouts_of_the_same_data_give_the_same_pairs()
    {
        // Write the bundled TREC-DL sample in MS MARCO's own layout (gzipped collection) and read both ways.
        var beir = DatasetLocator.Open("msmarco-trecdl-5k");
        var dir = Directory.CreateTempSubdirectory("hn-marco-").FullName;
        try
        {
            File.WriteAllLines(Path.Combine(dir, "queries.tsv"), beir.LoadQueries().Values.Select(q => $"{q.Id}\t{q.Text}"));
            using (var gz = new System.IO.Compression.GZipStream(File.Create(Path.Combine(dir, "collection.tsv.gz")), System.IO.Compression.CompressionLevel.Fastest))
            using (var w = new StreamWriter(gz, new UTF8Encoding(false)))
                foreach (var d in beir.StreamCorpus()) w.Write($"{d.Id}\t{d.FullText}\n");
            File.WriteAllLines(Path.Combine(dir, "qrels.tsv"), beir.LoadQrels("test").Select(q => $"{q.QueryId} 0 {q.DocumentId} {q.Grade}"));

            var fromBeir = TrainingPairs.FromBeir(beir, "test");
            var fromMarco = TrainingPairs.FromMsMarco(Path.Combine(dir, "queries.tsv"), Path.Combine(dir, "collection.tsv.gz"), Path.Combine(dir, "qrels.tsv"));
            Assert.Equal(43, fromBeir.Pairs.Count);
            Assert.Equal(fromBeir.Pairs.Select(p => (p.QueryId, p.QueryText, string.Join(",", p.Positives.Select(d => d.Id)))),
                         fromMarco.Pairs.Select(p => (p.QueryId, p.QueryText, string.Join(",", p.Positives.Select(d => d.Id)))));
            Assert.Equal(fromBeir.Pairs.SelectMany(p => p.Positives).Select(d => d.FullText), fromMarco.Pairs.SelectMany(p => p.Positives).Select(d => d.Text));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Ms_marco_line_without_tab_is_a_located_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hn-{Guid.NewGuid():N}.tsv");
        File.WriteAllText(path, "1\tok\nbroken line\n");
        try
        {
            var e = Assert.Throws<DataFormatException>(() => MsMarcoTsvReader.ReadQueries(path).ToList());
            Assert.Equal($"{path}:2: expected \"id<TAB>text\" (MS MARCO TSV)", e.Message);
        }
        finally { File.Delete(path); }
    }
}
