using System.CommandLine;
using HardNegatives.Generation.Embedded;

namespace HardNegatives.Cli.Commands;

/// <summary><c>hn lm sample</c>: run the embedded decoder on a checkpoint and print token ids (no tokenizer needed).</summary>
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
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Most tokens to generate (llama2.c checkpoints: at most seq_len).", DefaultValueFactory = _ => 256 };
        var temperature = new Option<double>("--temperature") { Description = "0 = greedy argmax.", DefaultValueFactory = _ => 0.0 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling threshold (1 = off).", DefaultValueFactory = _ => 1.0 };
        var topK = new Option<int>("--top-k") { Description = "Keep only the k most likely tokens (0 = off)." };
        var seed = new Option<long?>("--seed") { Description = "Sampling seed." };
        var prompt = new Option<string?>("--prompt-ids") { Description = "Space-separated prompt token ids; default: the model's BOS." };
        var sample = new Command("sample", "Generate from BOS (or given ids) and print the generated token ids, space separated, on one line.")
            { checkpoint, maxNew, temperature, topP, topK, seed, prompt };
        sample.SetAction(parse =>
        {
            var path = parse.GetValue(checkpoint)!;
            using var model = HfCheckpoint.Load(path);
            var isLlama2c = Llama2cCheckpoint.IsLlama2cFile(path);
            var bos = model.Config.BosTokenId ?? throw new ArgumentException($"{path}: config has no bos_token_id; pass --prompt-ids.");
            var ids = parse.GetValue(prompt) is { } p
                ? p.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => int.TryParse(s, out var v) ? v : throw new ArgumentException($"--prompt-ids: '{s}' is not a token id")).ToList()
                : [bos];
            var n = parse.GetValue(maxNew);
            // run.c semantics for llama2.c files: no more than seq_len positions, and BOS (1) delimits a sequence.
            if (isLlama2c) n = Math.Min(n, model.Config.MaxPositionEmbeddings - ids.Count + 1);
            var options = new SamplingOptions
            {
                MaxNewTokens = n, Temperature = parse.GetValue(temperature), TopP = parse.GetValue(topP), TopK = parse.GetValue(topK),
                Seed = parse.GetValue(seed), StopTokens = isLlama2c ? [Llama2cCheckpoint.Bos] : model.Config.EosTokenIds,
            };
            var result = new DecoderGenerator(model).Generate([ids], options);
            Console.WriteLine(string.Join(' ', result[0].Tokens));
        });
        return sample;
    }
}
