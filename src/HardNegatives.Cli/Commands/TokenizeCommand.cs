using System.CommandLine;
using HardNegatives.Data;
using HardNegatives.Tokenization;

namespace HardNegatives.Cli.Commands;

/// <summary><c>hn tokenize --vocab FILE</c>: one text per stdin line → its ids with [CLS] and [SEP], space-separated.</summary>
static class TokenizeCommand
{
    public static Command Create()
    {
        var vocab = new Option<string>("--vocab") { Description = "vocab.txt or tokenizer.json (default: the bundled bert-base-uncased vocabulary)." };
        var cased = new Option<bool>("--cased") { Description = "Keep case and accents (for cased vocabularies)." };
        var maxLength = new Option<int>("--max-length") { Description = "Truncate to this many ids, [CLS] and [SEP] included.", DefaultValueFactory = _ => 512 };
        var command = new Command("tokenize", "BERT WordPiece ids of each standard-input line (Hugging Face semantics).") { vocab, cased, maxLength };
        command.SetAction(parse =>
        {
            var tokenizer = new BertTokenizer(parse.GetValue(vocab) ?? KitPaths.BertBaseUncasedVocab,
                parse.GetValue(cased) ? BertTokenizerOptions.Cased : new BertTokenizerOptions());
            int max = parse.GetValue(maxLength);
            using var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
            string? line;
            while ((line = Console.In.ReadLine()) is not null)
                stdout.WriteLine(string.Join(' ', tokenizer.Encode(line, max)));
        });
        return command;
    }
}
