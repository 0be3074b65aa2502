namespace HardNegatives.Tokenization.Bpe.ChatTemplates;

/// <summary>One message of a conversation: role "system", "user" or "assistant".</summary>
public sealed record ChatTurn(string Role, string Content);

/// <summary>
/// A model family's chat format, written natively (no Jinja engine): renders exactly the text its Hugging Face
/// <c>chat_template</c> renders (special tokens as text), which <see cref="ByteLevelBpeTokenizer.Encode"/> then tokenizes.
/// </summary>
public abstract class ChatTemplate
{
    /// <summary>The conversation as the model saw it in training; with <paramref name="addGenerationPrompt"/>, ready for the assistant's reply.</summary>
    public abstract string Render(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt = true);

    /// <summary>Tokens (as text) that end an assistant turn.</summary>
    public abstract IReadOnlyList<string> StopTokens { get; }

    /// <summary>
    /// The template for a model folder, chosen from its <c>tokenizer_config.json</c> chat template (by its distinctive
    /// markers) or, failing that, the architecture.
    /// </summary>
    public static ChatTemplate ForModel(string modelDir, string architecture) => FromSource(TemplateSource(modelDir), architecture, modelDir);

    /// <summary>
    /// The native template for a Jinja chat template's source (e.g. a GGUF's <c>tokenizer.chat_template</c>), recognised by
    /// its distinctive markers, else by <paramref name="architecture"/>; <paramref name="where"/> names the model in errors.
    /// </summary>
    public static ChatTemplate FromSource(string template, string architecture, string where)
    {
        var modelDir = where;
        if (template.Contains("<|im_sep|>")) return new Phi4ChatTemplate();
        if (template.Contains("<|end|>"))
            return template.Contains("|>\n") || template.Contains("|>\\n") // Phi-3 puts a newline (or a Jinja "\n") after each role tag
                ? throw new InvalidDataException($"{modelDir}: Phi-3 chat models (SentencePiece tokenizer, \"<|user|>\\n\" template) are not supported by the embedded backend; Phi-4 and Phi-4-mini are.")
                : new Phi4MiniChatTemplate();
        if (template.Contains("<think>") || template.Contains("<|im_start|>") || architecture.StartsWith("Qwen", StringComparison.Ordinal)) return new Qwen3ChatTemplate();
        if (template.Contains("Cutting Knowledge Date")) return new Llama3ChatTemplate(includeKnowledgeDates: true);
        if (template.Contains("<|start_header_id|>") || architecture.StartsWith("Llama", StringComparison.Ordinal)) return new Llama3ChatTemplate();
        throw new InvalidDataException($"{modelDir}: no native chat template for this model (supported: Llama 3 / 3.1, Qwen3, Phi-4, Phi-4-mini).");
    }

    /// <summary>The Jinja source of a model's chat template: <c>chat_template.jinja</c>, or <c>tokenizer_config.json</c>'s
    /// <c>chat_template</c> (a string, or a list of named templates, all concatenated); empty when there is none.</summary>
    static string TemplateSource(string modelDir)
    {
        var jinja = Path.Combine(modelDir, "chat_template.jinja");
        if (File.Exists(jinja)) return File.ReadAllText(jinja);
        var configPath = Path.Combine(modelDir, "tokenizer_config.json");
        if (!File.Exists(configPath)) return "";
        return System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(configPath))?["chat_template"] switch
        {
            System.Text.Json.Nodes.JsonValue v => v.GetValue<string>(),
            System.Text.Json.Nodes.JsonArray a => string.Concat(a.Select(t => t?["template"]?.GetValue<string>())),
            _ => "",
        };
    }
}
