using HardNegatives.Data;
using HardNegatives.Retrieval;

namespace HardNegatives.Tests.Retrieval;

public class TrecRunFileTests
{
    [Fact]
    public void WritesAndReadsBackExactly()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hn-run-{Guid.NewGuid():N}.txt");
        try
        {
            RunEntry[] run = [new("q1", "d1", 1, 0.1f, "tag"), new("q1", "d2", 2, 1e-30, "tag"), new("q2", "d3", 1, -3.5, "tag")];
            TrecRunFile.Write(path, run);
            Assert.Equal(run, TrecRunFile.Read(path));
            Assert.StartsWith("q1 Q0 d1 1 ", File.ReadAllLines(path)[0]);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void BadLinesNameFileAndLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hn-run-{Guid.NewGuid():N}.txt");
        try
        {
            File.WriteAllText(path, "q1 Q0 d1 1 0.5 t\nq1 Q0 d2 2 high t\n");
            var e = Assert.Throws<DataFormatException>(() => TrecRunFile.Read(path).ToList());
            Assert.Equal(2, e.Line);
            Assert.Contains("high", e.Message);
            File.WriteAllText(path, "q1 Q0 d1 1 0.5\n");
            Assert.Throws<DataFormatException>(() => TrecRunFile.Read(path).ToList());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void WhitespaceInIdsIsRejectedOnWrite()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hn-run-{Guid.NewGuid():N}.txt");
        Assert.Throws<ArgumentException>(() => TrecRunFile.Write(path, [new RunEntry("q 1", "d", 1, 1, "t")]));
        Assert.False(File.Exists(path));
    }
}
