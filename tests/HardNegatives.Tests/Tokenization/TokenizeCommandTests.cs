using System.Diagnostics;
using System.Text;

namespace HardNegatives.Tests.Tokenization;

/// <summary><c>hn tokenize</c> run as a user would: lines on standard input, ids on standard output.</summary>
public class TokenizeCommandTests
{
    static (int Code, string Out, string Err) Run(string input, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false), StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hn.dll"));
        start.ArgumentList.Add("tokenize");
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        p.StandardInput.Write(input);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000)) { p.Kill(true); throw new TimeoutException("hn tokenize did not finish in 60 s"); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void WritesOneLineOfIdsWithClsAndSepPerInputLine()
    {
        var (code, output, _) = Run("Hello world\n\nunaffable Café\n");
        Assert.Equal(0, code);
        Assert.Equal(["101 7592 2088 102", "101 102", "101 14477 20961 3468 7668 102"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void AMissingVocabularyIsOneErrorLine()
    {
        var (code, _, error) = Run("x\n", "--vocab", "/nonexistent/vocab.txt");
        Assert.Equal(1, code);
        Assert.StartsWith("error: vocabulary not found: /nonexistent/vocab.txt", error.Trim());
    }
}
