namespace HardNegatives.Interactive.Facade;

/// <summary>Negatives from any source (mined or generated) as training takes them: one triples file.</summary>
public interface INegativesFile
{
    /// <summary>The triples file (JSONL, the kit's one triples format).</summary>
    string TriplesPath { get; }
}
