using System.CommandLine;
using HardNegatives.Data;
using HardNegatives.Models;
using HardNegatives.Training;
using Spectre.Console;

namespace HardNegatives.Cli.Commands;

/// <summary>
/// <c>hn encode</c>: embed a dataset's corpus or queries with a trained bi-encoder into an embeddings file:
/// <c>NAME.ids.txt</c> (one id per line) and <c>NAME.f32</c> (row-major little-endian float32, one row per id), plus
/// <c>NAME.json</c> with count and dimension, so numpy reads it with <c>np.fromfile(p, '&lt;f4').reshape(n, d)</c>.
/// </summary>
static class EncodeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Trained model folder (hn train) or sentence-transformers folder.", Required = true };
        var dataset = new Option<string>("--dataset") { Description = "Bundled or downloaded dataset name, or a BEIR folder.", Required = true };
        var what = new Option<string>("--what") { Description = "corpus or queries.", DefaultValueFactory = _ => "corpus" };
        var split = new Option<string?>("--split") { Description = "With --what queries: only the queries judged in this split." };
        var output = new Option<string>("--output") { Description = "Output path prefix (writes PREFIX.f32, PREFIX.ids.txt, PREFIX.json).", Required = true };
        var batchSize = new Option<int>("--batch-size") { Description = "Texts per forward pass.", DefaultValueFactory = _ => 64 };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda, cuda:N.", DefaultValueFactory = _ => "auto" };
        var command = new Command("encode", "Embed a corpus or queries with a bi-encoder into an embeddings file (float32 + ids).")
        {
            model, dataset, what, split, output, batchSize, device,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ds = DatasetLocator.Open(parse.GetValue(dataset)!);
            var (ids, texts) = Texts(ds, parse.GetValue(what)!, parse.GetValue(split));
            using var encoder = BiEncoderModels.Load(parse.GetValue(model)!, TorchDevices.Parse(parse.GetValue(device)));
            var embeddings = await EncodeWithProgressAsync(encoder, texts, parse.GetValue(batchSize), $"encode {ds.Name} {parse.GetValue(what)}", cancellationToken);
            await EmbeddingsFile.WriteAsync(parse.GetValue(output)!, ids, embeddings, encoder.Encoder.Dimension, cancellationToken);
            Console.WriteLine($"{ids.Count:N0} × {encoder.Encoder.Dimension} embeddings → {parse.GetValue(output)}.f32");
        });
        return command;
    }

    internal static (IReadOnlyList<string> Ids, IReadOnlyList<string> Texts) Texts(BeirDataset ds, string what, string? split)
    {
        switch (what.ToLowerInvariant())
        {
            case "corpus":
                var docs = ds.StreamCorpus().ToList();
                return (docs.Select(d => d.Id).ToList(), docs.Select(d => d.FullText).ToList());
            case "queries":
                var queries = split is null ? ds.LoadQueries().Values.ToList() : ds.QueriesOf(split).ToList();
                return (queries.Select(q => q.Id).ToList(), queries.Select(q => q.Text).ToList());
            default:
                throw new ArgumentException($"--what must be corpus or queries (got '{what}')");
        }
    }

    /// <summary>Embeds with the encoder's length-sorted inference under a progress bar; float32 rows in input order.</summary>
    internal static async Task<float[]> EncodeWithProgressAsync(SentenceEncoderModel encoder, IReadOnlyList<string> texts, int batchSize, string title, CancellationToken cancellationToken)
    {
        float[] Run(IProgress<BatchProgress>? progress)
        {
            using var all = encoder.Encoder.EncodeToTensor(texts, batchSize, progress, cancellationToken);
            return all.data<float>().ToArray();
        }
        if (PlainProgressLines.Wanted)
        {
            var plain = ProgressDisplay.Plain<BatchProgress>(title, p => ("texts", p.Done, texts.Count));
            return await Task.Run(() => Run(plain), cancellationToken);
        }
        float[] result = [];
        await AnsiConsole.Progress().AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: Math.Max(1, texts.Count));
                result = await Task.Run(() => Run(new Callback(p => task.Value = p.Done)), cancellationToken);
            });
        return result;
    }

    sealed class Callback(Action<BatchProgress> report) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value) => report(value);
    }
}

/// <summary>The embeddings file of <c>hn encode</c>: PREFIX.f32 (float32 little-endian rows), PREFIX.ids.txt, PREFIX.json.</summary>
static class EmbeddingsFile
{
    public static async Task WriteAsync(string prefix, IReadOnlyList<string> ids, float[] values, int dimension, CancellationToken cancellationToken)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("embeddings files are little-endian");
        await AtomicFile.WriteAsync(prefix + ".f32", async s => await s.WriteAsync(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), cancellationToken), cancellationToken);
        await AtomicFile.WriteAsync(prefix + ".ids.txt", async s =>
        {
            await using var w = new StreamWriter(s, leaveOpen: true);
            foreach (var id in ids) await w.WriteLineAsync(id);
        }, cancellationToken);
        AtomicFile.WriteAllText(prefix + ".json", System.Text.Json.JsonSerializer.Serialize(new { count = ids.Count, dimension, dtype = "float32", byte_order = "little" }));
    }
}
