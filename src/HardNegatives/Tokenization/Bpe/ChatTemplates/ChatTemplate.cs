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
    public static ChatTemplate ForModel(string modelDir, string architecture)
    {
        var configPath = Path.Combine(modelDir, "tokenizer_config.json");
        var template = File.Exists(configPath) ? File.ReadAllText(configPath) : "";
        if (template.Contains("<|im_sep|>")) return new Phi4ChatTemplate();
        if (template.Contains("<think>") || template.Contains("<|im_start|>") || architecture.StartsWith("Qwen", StringComparison.Ordinal)) return new Qwen3ChatTemplate();
        if (template.Contains("Cutting Knowledge Date")) return new Llama3ChatTemplate(includeKnowledgeDates: true);
        if (template.Contains("<|start_header_id|>") || architecture.StartsWith("Llama", StringComparison.Ordinal)) return new Llama3ChatTemplate();
        throw new InvalidDataException($"{modelDir}: no native chat template for this model (supported: Llama 3 / 3.1, Qwen3, Phi-4).");
    }
}
