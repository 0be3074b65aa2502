using System.Text;

namespace HardNegatives.Tokenization.Bpe.ChatTemplates;

/// <summary>
/// Phi-4-mini: <c>&lt;|role|&gt;content&lt;|end|&gt;</c> per message (no newlines, no BOS); generation prompt
/// <c>&lt;|assistant|&gt;</c>, else the EOS token <c>&lt;|endoftext|&gt;</c> closes the text.
/// </summary>
public sealed class Phi4MiniChatTemplate : ChatTemplate
{
    public override IReadOnlyList<string> StopTokens { get; } = ["<|end|>", "<|endoftext|>"];

    public override string Render(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt = true)
    {
        var sb = new StringBuilder();
        foreach (var m in messages) sb.Append("<|").Append(m.Role).Append("|>").Append(m.Content).Append("<|end|>");
        sb.Append(addGenerationPrompt ? "<|assistant|>" : "<|endoftext|>");
        return sb.ToString();
    }
}
