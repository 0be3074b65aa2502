using HardNegatives.Interactive.Facade;
using HardNegatives.Retrieval;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Connection;
using Microsoft.DotNet.Interactive.Directives;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace HardNegatives.Interactive.Extension;

/// <summary>
/// The magic commands, one per step, each a thin call into <see cref="Hn"/>: it displays the rich result and leaves it in a
/// variable of the cell's kernel (<c>--name</c>, with a default per magic) for the next cell. See <see cref="HnMine"/> etc.
/// </summary>
public static class HnMagics
{
    public static void AddTo(Kernel kernel)
    {
        Add<HnMine>(kernel, "#!hn-mine", "Mine hard negatives into triples: #!hn-mine bm25 --dataset scifact --num-negatives 1",
            "--source", ["--dataset", "--num-negatives", "--limit", "--split", "--name"], MineAsync);
        Add<HnSearch>(kernel, "#!hn-search", "Retrieve into a TREC run: #!hn-search bm25 --dataset scifact --limit 50, or #!hn-search dense --model model --dataset scifact",
            "--source", ["--model", "--dataset", "--split", "--limit", "--top-k", "--name"], SearchAsync);
        Add<HnTrain>(kernel, "#!hn-train", "Train a bi-encoder on mined or generated negatives: #!hn-train --triples negatives --max-steps 30",
            null, ["--triples", "--base", "--max-steps", "--name"], TrainAsync);
        Add<HnEval>(kernel, "#!hn-eval", "Evaluate a run (a variable or a TREC file) with trec_eval semantics: #!hn-eval --run run --dataset scifact",
            null, ["--run", "--dataset", "--split", "--measure", "--name"], EvalAsync);
        Add<HnReproduce>(kernel, "#!hn-reproduce", "Run an experiment end to end (resumably) and show its Table 1: #!hn-reproduce experiments/quickstart",
            "--spec", ["--store", "--name"], ReproduceAsync);
    }

    static void Add<T>(Kernel kernel, string name, string description, string? implicitParameter, string[] parameters,
        Func<T, Kernel, KernelInvocationContext, Task> handler) where T : KernelCommand
    {
        KernelCommandEnvelope.RegisterCommand<T>();
        var directive = new KernelActionDirective(name) { Description = description, KernelCommandType = typeof(T) };
        if (implicitParameter is not null) directive.Parameters.Add(new KernelDirectiveParameter(implicitParameter) { AllowImplicitName = true });
        foreach (var parameter in parameters) directive.Parameters.Add(new KernelDirectiveParameter(parameter));
        kernel.AddDirective<T>(directive, (command, context) => handler(command, kernel, context));
    }

    static async Task MineAsync(HnMine c, Kernel kernel, KernelInvocationContext context)
    {
        var source = c.Source ?? "bm25";
        if (source != "bm25") throw new ArgumentException($"#!hn-mine {source}: only bm25 is a magic so far; use the library for a cross-encoder (notebook 03)");
        var mined = await Hn.MineBm25(Required(c.Dataset, "#!hn-mine", "dataset"), c.NumNegatives ?? 3, c.Limit ?? 0, c.Split ?? "train",
            cancellationToken: context.CancellationToken);
        await ShowAndKeepAsync(kernel, context, c.Name ?? "negatives", mined);
    }

    static async Task SearchAsync(HnSearch c, Kernel kernel, KernelInvocationContext context)
    {
        var dataset = Required(c.Dataset, "#!hn-search", "dataset");
        IReadOnlyList<RunEntry> run;
        switch (c.Source ?? "bm25")
        {
            case "bm25":
                run = await Hn.SearchBm25(dataset, c.Split ?? "test", c.Limit ?? 0, c.TopK ?? 100, context.CancellationToken);
                break;
            case "dense":
                var model = Required(c.Model, "#!hn-search dense", "model");
                var folder = Directory.Exists(model) ? model
                    : (await VariableAsync<TrainedRetriever>(kernel, model, "#!hn-search dense --model", "a trained model (#!hn-train)")).ModelFolder;
                run = Hn.SearchDense(folder, dataset, c.Split ?? "test", c.TopK ?? 100, context.CancellationToken);
                break;
            default:
                throw new ArgumentException($"#!hn-search {c.Source}: use bm25 or dense");
        }
        context.DisplayAs($"{c.Source ?? "bm25"} run: {run.Select(r => r.QueryId).Distinct().Count()} queries, {run.Count} results", PlainTextFormatter.MimeType);
        await ShowAndKeepAsync(kernel, context, c.Name ?? "run", run.ToList(), display: false);
    }

    static async Task TrainAsync(HnTrain c, Kernel kernel, KernelInvocationContext context)
    {
        var triples = Required(c.Triples, "#!hn-train", "triples");
        var path = File.Exists(triples) ? triples
            : (await VariableAsync<MinedNegatives>(kernel, triples, "#!hn-train --triples", "mined negatives (#!hn-mine)")).TriplesPath;
        var training = new HardNegatives.Training.TrainingOptions(BatchSize: 16, LearningRate: 1e-3, HardNegatives: 1, Seed: 42, CheckpointEvery: 0, MaxSteps: c.MaxSteps ?? 0);
        var trained = await Hn.Train(path, c.Base ?? "tiny:layers=2,dim=128", training, cancellationToken: context.CancellationToken);
        await ShowAndKeepAsync(kernel, context, c.Name ?? "model", trained);
    }

    static async Task EvalAsync(HnEval c, Kernel kernel, KernelInvocationContext context)
    {
        var run = Required(c.Run, "#!hn-eval", "run");
        var dataset = Required(c.Dataset, "#!hn-eval", "dataset");
        var measures = c.Measure?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var result = File.Exists(run)
            ? Hn.Eval(run, dataset, c.Split ?? "test", measures)
            : Hn.Eval(await RunVariableAsync(kernel, run), dataset, c.Split ?? "test", measures);
        await ShowAndKeepAsync(kernel, context, c.Name ?? "evaluation", result);
    }

    static async Task ReproduceAsync(HnReproduce c, Kernel kernel, KernelInvocationContext context)
    {
        var result = await Hn.Reproduce(Required(c.Spec, "#!hn-reproduce", "spec (e.g. experiments/quickstart)"), c.Store, cancellationToken: context.CancellationToken);
        await ShowAndKeepAsync(kernel, context, c.Name ?? "experiment", result);
    }

    static string Required(string? value, string magic, string what) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"{magic} needs --{what}") : value;

    /// <summary>Displays <paramref name="value"/> and declares it as a variable of the cell's kernel (C# or F#).</summary>
    static async Task ShowAndKeepAsync(Kernel kernel, KernelInvocationContext context, string name, object value, bool display = true)
    {
        if (display) context.Display(value);
        var formatted = new FormattedValue(PlainTextFormatter.MimeType, value.ToDisplayString(PlainTextFormatter.MimeType));
        var result = await kernel.SendAsync(new SendValue(name, value, formatted, kernel.Name));
        if (result.Events.OfType<CommandFailed>().FirstOrDefault() is { } failed)
            context.DisplayAs($"note: the result was not kept in '{name}': {failed.Message}", PlainTextFormatter.MimeType);
    }

    static Task<IEnumerable<RunEntry>> RunVariableAsync(Kernel kernel, string name) =>
        VariableAsync<IEnumerable<RunEntry>>(kernel, name, "#!hn-eval --run", "run entries");

    /// <summary>The value of variable <paramref name="name"/> in the cell's kernel, as a <typeparamref name="T"/>.</summary>
    static async Task<T> VariableAsync<T>(Kernel kernel, string name, string option, string what) where T : class
    {
        var result = await kernel.SendAsync(new RequestValue(name, PlainTextFormatter.MimeType, kernel.Name));
        var produced = result.Events.OfType<ValueProduced>().FirstOrDefault()
            ?? throw new ArgumentException($"{option} {name}: no such file or folder, and no variable '{name}' in the {kernel.Name} kernel");
        return produced.Value as T
            ?? throw new ArgumentException($"{option} {name}: the variable holds {produced.Value?.GetType().Name ?? "null"}, not {what}");
    }
}
