using System.CommandLine;
using HardNegatives.Generation.Embedded;
using HardNegatives.Generation.LlamaCpp;
using HardNegatives.Models.Checkpoints.Gguf;
using HardNegatives.Tokenization;

namespace HardNegatives.Cli.Commands;

/// <summary><c>hn lm sample</c> and <c>hn lm export-gguf</c>: run a decoder on a checkpoint (TorchSharp or llama.cpp), convert it to GGUF.</summary>
static class LmCommand
{
    public static Command Create()
    {
        var lm = new Command("lm", "Decoder LMs in process: sample from a checkpoint (TorchSharp or llama.cpp), export to GGUF.");
        lm.Subcommands.Add(Sample());
        lm.Subcommands.Add(ExportGguf());
        return lm;
    }

    static Command Sample()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A llama2.c .bin checkpoint, a .gguf file or a Hugging Face model folder.", Required = true };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "A llama2.c tokenizer.bin or a tokenizer.json; default: the one beside the checkpoint (tokenizer.bin, the only tok*.bin, the folder's tokenizer.json) or in the GGUF." };
        var engine = new Option<string>("--engine") { Description = "torch (the kit's TorchSharp decoder) or llamacpp (llama.cpp via LLamaSharp; needs a .gguf).", DefaultValueFactory = _ => "torch" };
        engine.AcceptOnlyFromAmong("torch", "llamacpp");
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Most tokens to generate (llama2.c checkpoints: at most seq_len).", DefaultValueFactory = _ => 256 };
        var temperature = new Option<double>("--temperature") { Description = "0 = greedy argmax.", DefaultValueFactory = _ => 0.0 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling threshold (1 = off).", DefaultValueFactory = _ => 1.0 };
        var topK = new Option<int>("--top-k") { Description = "Keep only the k most likely tokens (0 = off)." };
        var seed = new Option<long?>("--seed") { Description = "Sampling seed." };
        var threads = new Option<int>("--threads") { Description = "llama.cpp threads (0 = its default)." };
        var prompt = new Option<string?>("--prompt") { Description = "Prompt text (needs a tokenizer); BOS is put before it. Echoed before the generated text, as llama2.c's run does." };
        var promptIds = new Option<string?>("--prompt-ids") { Description = "Space-separated prompt token ids instead of --prompt; default: the model's BOS." };
        var idsOnly = new Option<bool>("--ids") { Description = "Print the generated token ids (space separated, one line) instead of text." };
        var sample = new Command("sample", "Generate from BOS (or a prompt) and stream the text; with --ids, print the generated token ids on one line.")
            { checkpoint, tokenizer, engine, maxNew, temperature, topP, topK, seed, threads, prompt, promptIds, idsOnly };
        sample.SetAction(parse =>
        {
            var path = parse.GetValue(checkpoint)!;
            var useLlamaCpp = parse.GetValue(engine) == "llamacpp";
            if (useLlamaCpp && !GgufFile.IsGguf(path))
                throw new ArgumentException(File.Exists(path) || Directory.Exists(path)
                    ? $"--engine llamacpp needs a .gguf file; {path} is not one. Convert it first: hn lm export-gguf --checkpoint {path} --output model.gguf"
                    : $"checkpoint not found: {path}");
            using var torchModel = useLlamaCpp ? null : HfCheckpoint.Load(path);
            using var llamaModel = useLlamaCpp ? LlamaCppModel.Load(path, new LlamaCppOptions(Threads: parse.GetValue(threads))) : null;
            var vocab = torchModel?.Config.VocabSize ?? llamaModel!.VocabSize;
            var bos = torchModel is null ? llamaModel!.Bos : torchModel.Config.BosTokenId;
            IReadOnlyList<int> eos = torchModel?.Config.EosTokenIds ?? (llamaModel!.Eos is { } e ? [e] : []);
            var isLlama2c = Llama2cCheckpoint.IsLlama2cFile(path);
            var text = DecoderTokenizerLocator.Find(path, parse.GetValue(tokenizer), vocab);
            List<int> ids;
            if (parse.GetValue(prompt) is { } p)
            {
                if (parse.GetValue(promptIds) is not null) throw new ArgumentException("give --prompt or --prompt-ids, not both");
                if (text is null) throw new ArgumentException($"--prompt needs a tokenizer, and none was found beside {path}; pass --tokenizer (tokenizer.bin or tokenizer.json) or use --prompt-ids.");
                ids = [.. bos is { } b ? [b] : Array.Empty<int>(), .. text.Encode(p)];
                if (ids.Count == 0) throw new ArgumentException("--prompt is empty and the model has no bos_token_id");
            }
            else if (parse.GetValue(promptIds) is { } pi)
                ids = [.. pi.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => int.TryParse(s, out var v) ? v : throw new ArgumentException($"--prompt-ids: '{s}' is not a token id"))];
            else
                ids = [bos ?? throw new ArgumentException($"{path}: config has no bos_token_id; pass --prompt-ids.")];
            var n = parse.GetValue(maxNew);
            // run.c semantics for llama2.c files: no more than seq_len positions, and BOS (1) delimits a sequence.
            if (isLlama2c) n = Math.Min(n, torchModel!.Config.MaxPositionEmbeddings - ids.Count + 1);
            var options = new SamplingOptions
            {
                MaxNewTokens = n, Temperature = parse.GetValue(temperature), TopP = parse.GetValue(topP), TopK = parse.GetValue(topK),
                Seed = parse.GetValue(seed), StopTokens = isLlama2c ? [Llama2cCheckpoint.Bos] : eos,
            };
            var asIds = parse.GetValue(idsOnly) || text is null;
            if (asIds && !parse.GetValue(idsOnly)) Console.Error.WriteLine($"note: no tokenizer beside {path}; printing token ids (pass --tokenizer for text).");
            ITokenTextStream? stream = null;
            if (!asIds)
            {
                // Echo the prompt (after BOS) like run.c, then stream each generated token's text as it comes.
                stream = text!.NewTextStream(previous: ids[0] == bos ? ids[0] : -1);
                foreach (var t in ids.Skip(ids[0] == bos ? 1 : 0)) Console.Write(stream.Append(t));
            }
            Action<IReadOnlyList<int>>? onStep = stream is null ? null
                : chosen => { if (chosen[0] >= 0 && !options.StopTokens.Contains(chosen[0])) Console.Write(stream.Append(chosen[0])); };
            var result = torchModel is not null
                ? new DecoderGenerator(torchModel).Generate([ids], options, onStep)
                : new LlamaCppGenerator(llamaModel!).Generate([ids], options, onStep);
            if (stream is null) Console.WriteLine(string.Join(' ', result[0].Tokens));
            else Console.WriteLine(stream.Flush());
        });
        return sample;
    }

    static Command ExportGguf()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A llama2.c .bin checkpoint or a Hugging Face model folder (Llama, Qwen2, Qwen3).", Required = true };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "The model's tokenizer: a llama2.c tokenizer.bin, or a tokenizer.json (SentencePiece-style or byte-level BPE as Llama 3 and Qwen use); default: the one beside the checkpoint." };
        var output = new Option<string>("--output") { Description = "The .gguf file to write.", Required = true };
        var type = new Option<string>("--type") { Description = "Weight type: f32 or f16 (norms stay f32).", DefaultValueFactory = _ => "f32" };
        type.AcceptOnlyFromAmong("f32", "f16");
        var export = new Command("export-gguf", "Write a checkpoint as GGUF (with its SentencePiece or byte-level BPE vocabulary) for llama.cpp and other GGUF tools.")
            { checkpoint, tokenizer, output, type };
        export.SetAction(parse =>
        {
            var path = parse.GetValue(checkpoint)!;
            if (!File.Exists(path) && !Directory.Exists(path)) throw new ArgumentException($"checkpoint not found: {path}");
            var (config, weights) = HfCheckpoint.Read(path);
            try
            {
                var found = DecoderTokenizerLocator.Find(path, parse.GetValue(tokenizer), config.VocabSize)
                    ?? throw new ArgumentException($"no tokenizer beside {path}; pass --tokenizer with the model's llama2.c tokenizer.bin or tokenizer.json");
                var outPath = parse.GetValue(output)!;
                GgufCheckpoint.Save(config, weights, found, outPath, parse.GetValue(type) == "f16" ? GgmlType.F16 : GgmlType.F32);
                Console.WriteLine($"wrote {outPath} ({new FileInfo(outPath).Length:N0} bytes)");
            }
            finally { foreach (var t in weights.Values) t.Dispose(); }
        });
        return export;
    }
}
