using HardNegatives.Data;
using HardNegatives.Retrieval.Bm25;

namespace HardNegatives.Tests.Retrieval.Bm25;

/// <summary>
/// Flat and multifield BM25 indexes of the bundled SciFact corpus (5,183 documents), built once into a temporary cache
/// root for every test class in the collection (retrieval effectiveness, mining) and deleted afterwards.
/// </summary>
public sealed class SciFactIndexes : IDisposable
{
    public const string Collection = "scifact-bm25";

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "hn-bm25-scifact-" + Guid.NewGuid().ToString("N"));
    public BeirDataset Dataset { get; } = DatasetLocator.Open("scifact");
    public Bm25Index Flat { get; }
    public Bm25Index Multifield { get; }

    public SciFactIndexes()
    {
        Flat = Bm25Index.OpenOrBuildAsync(Dataset, new Bm25IndexOptions(Bm25Fields.Flat), indexRoot: Root).GetAwaiter().GetResult();
        Multifield = Bm25Index.OpenOrBuildAsync(Dataset, new Bm25IndexOptions(Bm25Fields.Multifield), indexRoot: Root).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        Flat.Dispose();
        Multifield.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}

[CollectionDefinition(SciFactIndexes.Collection)]
public sealed class SciFactIndexesCollection : ICollectionFixture<SciFactIndexes>;
