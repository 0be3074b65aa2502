using System.Text;

namespace HardNegatives.Tokenization.Bpe.ChatTemplates;

/// <summary>
/// Llama 3 Instruct: <c>&lt;|begin_of_text|&gt;</c>, then per message
/// <c>&lt;|start_header_id|&gt;role&lt;|end_header_id|&gt;\n\n</c> + trimmed content + <c>&lt;|eot_id|&gt;</c>.
/// Llama 3.1+ templates always open with a system header holding "Cutting Knowledge Date: December 2023" and
/// "Today Date: …" (default "26 Jul 2024") before any system prompt (<paramref name="includeKnowledgeDates"/>).
/// </summary>
public sealed class Llama3ChatTemplate(bool includeKnowledgeDates = false, string todayDate = "26 Jul 2024") : ChatTemplate
{
    public override IReadOnlyList<string> StopTokens { get; } = ["<|eot_id|>", "<|end_of_text|>", "<|eom_id|>"];

    public override string Render(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt = true)
    {
        var sb = new StringBuilder("<|begin_of_text|>");
        var rest = messages;
        if (includeKnowledgeDates)
        {
            // 3.1: the first system message (trimmed) goes after the dates inside one system block.
            var system = messages.Count > 0 && messages[0].Role == "system" ? messages[0].Content.Trim() : "";
            if (messages.Count > 0 && messages[0].Role == "system") rest = messages.Skip(1).ToList();
            sb.Append("<|start_header_id|>system<|end_header_id|>\n\n")
              .Append("Cutting Knowledge Date: December 2023\n")
              .Append("Today Date: ").Append(todayDate).Append("\n\n")
              .Append(system).Append("<|eot_id|>");
        }
        foreach (var m in rest)
            sb.Append("<|start_header_id|>").Append(m.Role).Append("<|end_header_id|>\n\n").Append(m.Content.Trim()).Append("<|eot_id|>");
        if (addGenerationPrompt) sb.Append("<|start_header_id|>assistant<|end_header_id|>\n\n");
        return sb.ToString();
    }
}
