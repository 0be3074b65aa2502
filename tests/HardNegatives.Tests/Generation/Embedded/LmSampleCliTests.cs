using System.Diagnostics;
using HardNegatives.Data;

namespace HardNegatives.Tests.Generation.Embedded;

/// <summary>End to end: the built <c>hn</c> prints run.c's greedy text (and with --ids its ids) for stories260K.</summary>
public class LmSampleCliTests
{
    static readonly string Golden = Path.Combine(AppContext.BaseDirectory, "TestData", "golden", "tinyllamas-stories260K");

    static (int Code, string Out, string Err) Hn(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hn.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void SamplePrintsRunCGreedyIdsOnOneLine()
    {
        var golden = File.ReadAllText(Path.Combine(Golden, "greedy-ids.txt")).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var (code, stdout, stderr) = Hn("lm", "sample", "--checkpoint", Path.Combine(KitPaths.TinyStories260K, "stories260K.bin"), "--max-new-tokens", "40", "--temperature", "0", "--ids");
        Assert.True(code == 0, stderr);
        Assert.Equal(string.Join(' ', golden.Take(40)) + Environment.NewLine, stdout);
    }

    [Fact]
    public void SamplePrintsRunCStoryTextWithTheTokenizerBesideTheCheckpoint()
    {
        var (code, stdout, stderr) = Hn("lm", "sample", "--checkpoint", Path.Combine(KitPaths.TinyStories260K, "stories260K.bin"), "--max-new-tokens", "200", "--temperature", "0");
        Assert.True(code == 0, stderr);
        Assert.Equal(File.ReadAllText(Path.Combine(Golden, "greedy-text.txt")), stdout);
    }

    [Fact]
    public void SampleFromAPromptEchoesItLikeRunC()
    {
        var (code, stdout, stderr) = Hn("lm", "sample", "--checkpoint", Path.Combine(KitPaths.TinyStories260K, "stories260K.bin"),
            "--tokenizer", Path.Combine(KitPaths.TinyStories260K, "tok512.bin"), "--prompt", "Lily wanted", "--max-new-tokens", "61"); // run.c -n 64 counts the prompt's 3 positions after BOS
        Assert.True(code == 0, stderr);
        Assert.Equal(File.ReadAllText(Path.Combine(Golden, "prompt-text.txt")), stdout);
    }

    [Fact]
    public void ExportGgufThenLlamaCppEnginePrintsRunCGreedyIds()
    {
        var gguf = Path.Combine(Path.GetTempPath(), $"hn-cli-{Guid.NewGuid():N}.gguf");
        try
        {
            var export = Hn("lm", "export-gguf", "--checkpoint", Path.Combine(KitPaths.TinyStories260K, "stories260K.bin"), "--output", gguf);
            Assert.True(export.Code == 0, export.Err);
            var (code, stdout, stderr) = Hn("lm", "sample", "--checkpoint", gguf, "--engine", "llamacpp", "--ids", "--max-new-tokens", "200", "--threads", "1");
            Assert.True(code == 0, stderr);
            Assert.Equal(File.ReadAllText(Path.Combine(Golden, "greedy-ids.txt")).Trim() + Environment.NewLine, stdout);
            Assert.DoesNotContain("llama_model_loader", stderr); // llama.cpp's load log is silenced
        }
        finally { File.Delete(gguf); }
    }

    [Fact]
    public void LlamaCppEngineRefusesANonGgufCheckpointWithTheFix()
    {
        var (code, _, stderr) = Hn("lm", "sample", "--checkpoint", Path.Combine(KitPaths.TinyStories260K, "stories260K.bin"), "--engine", "llamacpp");
        Assert.Equal(1, code);
        Assert.Contains("hn lm export-gguf", stderr);
    }

    [Fact]
    public void MissingCheckpointIsOneErrorLine()
    {
        var (code, stdout, stderr) = Hn("lm", "sample", "--checkpoint", "/no/such/model.bin");
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("error: checkpoint not found: /no/such/model.bin", stderr);
        Assert.DoesNotContain(" at ", stderr);
    }
}
