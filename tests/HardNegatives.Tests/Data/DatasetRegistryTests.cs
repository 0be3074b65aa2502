using System.Text.RegularExpressions;
using HardNegatives.Data;

namespace HardNegatives.Tests.Data;

public class DatasetRegistryTests
{
    [Fact]
    public void Registry_has_msmarco_and_the_fourteen_public_beir_sets_with_official_urls_and_md5s()
    {
        string[] beirPublic = ["trec-covid", "nfcorpus", "nq", "hotpotqa", "fiqa", "arguana", "webis-touche2020", "cqadupstack", "quora", "dbpedia-entity", "scidocs", "fever", "climate-fever", "scifact"];
        Assert.Equal(["msmarco", .. beirPublic], DatasetRegistry.All.Select(e => e.Name));
        foreach (var e in DatasetRegistry.All)
        {
            Assert.Equal($"https://public.ukp.informatik.tu-darmstadt.de/thakur/BEIR/datasets/{e.Name}.zip", e.Url.AbsoluteUri);
            Assert.Matches(new Regex("^[0-9a-f]{32}$"), e.Md5);
            Assert.True(File.Exists(Path.Combine(RepoRoot(), "data-cards", e.Name + ".md")), $"no data card for {e.Name}");
        }
        Assert.Equal(15, DatasetRegistry.All.Select(e => e.Md5).Distinct().Count());
    }

    [Fact]
    public void Reproduction_set_is_ten_named_sets()
    {
        Assert.Equal(["trec-covid", "nfcorpus", "nq", "fiqa", "arguana", "webis-touche2020", "quora", "scidocs", "climate-fever", "scifact"],
            DatasetRegistry.ReproductionSet.Select(e => e.Name));
    }

    [Fact]
    public void Unknown_name_lists_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => DatasetRegistry.Find("scifakt"));
        Assert.StartsWith("unknown dataset 'scifakt'; known: msmarco, trec-covid,", e.Message);
        Assert.Same(DatasetRegistry.Find("scifact"), DatasetRegistry.TryFind("SciFact"));
    }

    static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HardNegatives.Notebooks.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("repository root (HardNegatives.Notebooks.sln) not found above the test folder");
    }
}
