using HardNegatives.Interactive.Runner;

namespace HardNegatives.Tests.Interactive;

/// <summary>
/// Executes every notebook in notebooks/ in mini mode in the real .NET Interactive kernel (jupyter nbconvert with the
/// .net-csharp / .net-fsharp kernelspecs, as CI and a person do; about 5–7 min for all on 2 busy cores), and checks that
/// no cell fails, that the kit's rich outputs appear, and that shown values equal what the library computes.
/// </summary>
[Trait("Category", "RealKernel")]
[Collection(NotebookRunsCollection.Name)]
public class RealKernelNotebookTests
{
    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(NotebookExpectations.NotebooksDir, "*.ipynb").Order(StringComparer.Ordinal)) data.Add(Path.GetFileNameWithoutExtension(path));
        return data;
    }

    [RealKernelTheory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_RunsInTheRealKernel_InMiniMode_WithRichOutputsAndTheLibrarysValues(string name)
    {
        RealKernel.Require();
        var output = Path.Combine(TestNotebooks.TempDir(), name + ".ipynb");
        var result = await NbConvertRunner.RunAsync(Path.Combine(NotebookExpectations.NotebooksDir, name + ".ipynb"), new NbConvertOptions("mini", output));
        Assert.Equal(name.StartsWith("08-", StringComparison.Ordinal) ? ".net-fsharp" : ".net-csharp", result.KernelName);
        await NotebookExpectations.AssertOutputsAsync(name, output);
    }
}
