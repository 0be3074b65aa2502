using System.Text;

namespace HardNegatives.Tokenization.Bpe.ChatTemplates;

/// <summary>
/// Phi-4: <c>&lt;|im_start|&gt;role&lt;|im_sep|&gt;content&lt;|im_end|&gt;</c> per system/user/assistant message (no newlines,
/// no BOS, other roles dropped), generation prompt <c>&lt;|im_start|&gt;assistant&lt;|im_sep|&gt;</c>.
/// </summary>
public sealed class Phi4ChatTemplate : ChatTemplate
{
    public override IReadOnlyList<string> StopTokens { get; } = ["<|im_end|>", "<|endoftext|>"];

    public override string Render(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt = true)
    {
        var sb = new StringBuilder();
        foreach (var m in messages.Where(m => m.Role is "system" or "user" or "assistant"))
            sb.Append("<|im_start|>").Append(m.Role).Append("<|im_sep|>").Append(m.Content).Append("<|im_end|>");
        if (addGenerationPrompt) sb.Append("<|im_start|>assistant<|im_sep|>");
        return sb.ToString();
    }
}
