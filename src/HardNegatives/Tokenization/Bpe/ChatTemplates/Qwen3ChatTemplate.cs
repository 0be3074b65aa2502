using System.Text;

namespace HardNegatives.Tokenization.Bpe.ChatTemplates;

/// <summary>
/// Qwen3 (ChatML): <c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c> per message, no BOS. Assistant turns before
/// the last user message lose their <c>&lt;think&gt;…&lt;/think&gt;</c> part, as in Qwen3's template. The generation
/// prompt is <c>&lt;|im_start|&gt;assistant\n</c>, plus an empty think block when <paramref name="enableThinking"/> is false
/// (the default here: generating hard negatives needs no visible reasoning).
/// </summary>
public sealed class Qwen3ChatTemplate(bool enableThinking = false) : ChatTemplate
{
    public override IReadOnlyList<string> StopTokens { get; } = ["<|im_end|>", "<|endoftext|>"];

    public override string Render(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt = true)
    {
        var sb = new StringBuilder();
        var lastUser = -1;
        for (var i = 0; i < messages.Count; i++) if (messages[i].Role == "user") lastUser = i;
        for (var i = 0; i < messages.Count; i++)
        {
            var (role, content) = (messages[i].Role, messages[i].Content);
            if (role != "assistant")
            {
                sb.Append("<|im_start|>").Append(role).Append('\n').Append(content).Append("<|im_end|>\n");
                continue;
            }
            var reasoning = "";
            var end = content.IndexOf("</think>", StringComparison.Ordinal);
            if (end >= 0)
            {
                var beforeEnd = content[..end].TrimEnd('\n');
                var start = beforeEnd.LastIndexOf("<think>", StringComparison.Ordinal);
                reasoning = (start >= 0 ? beforeEnd[(start + "<think>".Length)..] : beforeEnd).TrimStart('\n');
                content = content[(content.LastIndexOf("</think>", StringComparison.Ordinal) + "</think>".Length)..].TrimStart('\n');
            }
            sb.Append("<|im_start|>assistant\n");
            if (i > lastUser && (i == messages.Count - 1 || reasoning.Length > 0))
                sb.Append("<think>\n").Append(reasoning.Trim('\n')).Append("\n</think>\n\n").Append(content.TrimStart('\n'));
            else
                sb.Append(content);
            sb.Append("<|im_end|>\n");
        }
        if (addGenerationPrompt)
        {
            sb.Append("<|im_start|>assistant\n");
            if (!enableThinking) sb.Append("<think>\n\n</think>\n\n");
        }
        return sb.ToString();
    }
}
