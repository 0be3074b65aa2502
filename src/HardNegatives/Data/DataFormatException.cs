namespace HardNegatives.Data;

/// <summary>Bad input in a data file; the message names the file and the 1-based line.</summary>
public sealed class DataFormatException(string path, long line, string problem)
    : Exception($"{path}:{line}: {problem}")
{
    public string Path { get; } = path;
    public long Line { get; } = line;
    public string Problem { get; } = problem;
}
