using System.Diagnostics;
using HardNegatives.Generation;
using HardNegatives.Mining;
using HardNegatives.Training;

namespace HardNegatives.Tests.Training;

/// <summary>Library validation speaks C#: it names properties (TrainingOptions.Epochs); the CLI says --epochs.</summary>
public class OptionsValidationMessagesTests
{
    [Fact]
    public void LibraryErrors_NameTheRecordsProperties()
    {
        var e = Assert.Throws<OptionsValidationException>(() => new TrainingOptions(Epochs: 0).Validate());
        Assert.Equal("TrainingOptions.Epochs must be at least 1 (got 0)", e.Message);
        Assert.Equal("TrainingOptions.LearningRate", Assert.Throws<OptionsValidationException>(() => new TrainingOptions(LearningRate: 0).Validate()).Property);
        var g = Assert.Throws<OptionsValidationException>(() => new GenerationOptions { Model = "m", CachePath = "c", Concurrency = 0 }.Validate());
        Assert.Equal("GenerationOptions.Concurrency", g.Property);
        Assert.Equal("CrossEncoderMiningOptions.Candidates", Assert.Throws<OptionsValidationException>(() => new CrossEncoderMiningOptions(Candidates: 0).Validate()).Property);
        foreach (var x in new Exception[] { e, g }) Assert.DoesNotContain("--", x.Message);
    }

    [Fact]
    public async Task TheCli_SaysItsOwnOptionNames()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hn.dll"));
        foreach (var a in new[] { "train", "--model", "tiny:layers=1,dim=32", "--triples", "missing.jsonl", "--output", Path.Combine(Path.GetTempPath(), "hn-never-" + Guid.NewGuid().ToString("N")), "--epochs", "0" })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        _ = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        var error = await stderr;
        Assert.Equal(1, p.ExitCode);
        Assert.Contains("error: --epochs must be at least 1 (got 0)", error);
        Assert.DoesNotContain("TrainingOptions", error);
    }
}
