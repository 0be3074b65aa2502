using System.CommandLine;
using HardNegatives.Generation.Embedded;
using HardNegatives.Tokenization;

namespace HardNegatives.Cli.Commands;

/// <summary><c>hn lm sample</c>: run a decoder on a checkpoint and stream its text (or token ids).</summary>
static class LmCommand
{
    public static Command Create()
    {
        var lm = new Command("lm", "The embedded (in-process) decoder: sample from a checkpoint.");
        lm.Subcommands.Add(Sample());
        return lm;
    }

    static Command Sample()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A llama2.c .bin checkpoint or a Hugging Face model folder.", Required = true };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "A llama2.c tokenizer.bin or a tokenizer.json; default: the one beside the checkpoint (tokenizer.bin, the only tok*.bin, or the folder's tokenizer.json)." };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Most tokens to generate (llama2.c checkpoints: at most seq_len).", DefaultValueFactory = _ => 256 };
        var temperature = new Option<double>("--temperature") { Description = "0 = greedy argmax.", DefaultValueFactory = _ => 0.0 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling threshold (1 = off).", DefaultValueFactory = _ => 1.0 };
        var topK = new Option<int>("--top-k") { Description = "Keep only the k most likely tokens (0 = off)." };
        var seed = new Option<long?>("--seed") { Description = "Sampling seed." };
        var prompt = new Option<string?>("--prompt") { Description = "Prompt text (needs a tokenizer); BOS is put before it. Echoed before the generated text, as llama2.c's run does." };
        var promptIds = new Option<string?>("--prompt-ids") { Description = "Space-separated prompt token ids instead of --prompt; default: the model's BOS." };
        var idsOnly = new Option<bool>("--ids") { Description = "Print the generated token ids (space separated, one line) instead of text." };
        var sample = new Command("sample", "Generate from BOS (or a prompt) and stream the text; with --ids, print the generated token ids on one line.")
            { checkpoint, tokenizer, maxNew, temperature, topP, topK, seed, prompt, promptIds, idsOnly };
        sample.SetAction(parse =>
        {
            var path = parse.GetValue(checkpoint)!;
            using var model = HfCheckpoint.Load(path);
            var isLlama2c = Llama2cCheckpoint.IsLlama2cFile(path);
            var text = DecoderTokenizerLocator.Find(path, parse.GetValue(tokenizer), model.Config.VocabSize);
            var bos = model.Config.BosTokenId;
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
            if (isLlama2c) n = Math.Min(n, model.Config.MaxPositionEmbeddings - ids.Count + 1);
            var options = new SamplingOptions
            {
                MaxNewTokens = n, Temperature = parse.GetValue(temperature), TopP = parse.GetValue(topP), TopK = parse.GetValue(topK),
                Seed = parse.GetValue(seed), StopTokens = isLlama2c ? [Llama2cCheckpoint.Bos] : model.Config.EosTokenIds,
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
            var result = new DecoderGenerator(model).Generate([ids], options,
                onStep: stream is null ? null : chosen => { if (chosen[0] >= 0 && !options.StopTokens.Contains(chosen[0])) Console.Write(stream.Append(chosen[0])); });
            if (stream is null) Console.WriteLine(string.Join(' ', result[0].Tokens));
            else Console.WriteLine(stream.Flush());
        });
        return sample;
    }
}
