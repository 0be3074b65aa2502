using HardNegatives.Tokenization.Bpe.ChatTemplates;

namespace HardNegatives.Tests.Tokenization.Bpe;

/// <summary>Exact renderings, written out from each model's tokenizer_config.json chat_template.</summary>
public class ChatTemplateTests
{
    static readonly ChatTurn[] Conversation =
    [
        new("system", "You write hard negatives."),
        new("user", "Query: what is BM25?"),
        new("assistant", "A ranking function."),
        new("user", " Another one. "),
    ];

    [Fact]
    public void Llama3()
    {
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou write hard negatives.<|eot_id|>" +
            "<|start_header_id|>user<|end_header_id|>\n\nQuery: what is BM25?<|eot_id|>" +
            "<|start_header_id|>assistant<|end_header_id|>\n\nA ranking function.<|eot_id|>" +
            "<|start_header_id|>user<|end_header_id|>\n\nAnother one.<|eot_id|>" + // content | trim
            "<|start_header_id|>assistant<|end_header_id|>\n\n",
            new Llama3ChatTemplate().Render(Conversation));
    }

    [Fact]
    public void Llama31WithKnowledgeDates()
    {
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n" +
            "You write hard negatives.<|eot_id|>" +
            "<|start_header_id|>user<|end_header_id|>\n\nQuery: what is BM25?<|eot_id|>" +
            "<|start_header_id|>assistant<|end_header_id|>\n\nA ranking function.<|eot_id|>" +
            "<|start_header_id|>user<|end_header_id|>\n\nAnother one.<|eot_id|>" +
            "<|start_header_id|>assistant<|end_header_id|>\n\n",
            new Llama3ChatTemplate(includeKnowledgeDates: true).Render(Conversation));
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|>" +
            "<|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>",
            new Llama3ChatTemplate(includeKnowledgeDates: true).Render([new("user", "hi")], addGenerationPrompt: false));
    }

    [Fact]
    public void Qwen3WithoutThinking()
    {
        Assert.Equal(
            "<|im_start|>system\nYou write hard negatives.<|im_end|>\n" +
            "<|im_start|>user\nQuery: what is BM25?<|im_end|>\n" +
            "<|im_start|>assistant\nA ranking function.<|im_end|>\n" +
            "<|im_start|>user\n Another one. <|im_end|>\n" + // Qwen does not trim
            "<|im_start|>assistant\n<think>\n\n</think>\n\n",
            new Qwen3ChatTemplate().Render(Conversation));
        Assert.EndsWith("<|im_start|>assistant\n", new Qwen3ChatTemplate(enableThinking: true).Render(Conversation));
    }

    [Fact]
    public void Qwen3DropsReasoningOfEarlierAssistantTurns()
    {
        ChatTurn[] turns = [new("user", "a"), new("assistant", "<think>\nsteps\n</think>\n\nanswer"), new("user", "b")];
        Assert.Equal(
            "<|im_start|>user\na<|im_end|>\n<|im_start|>assistant\nanswer<|im_end|>\n<|im_start|>user\nb<|im_end|>\n",
            new Qwen3ChatTemplate().Render(turns, addGenerationPrompt: false));
        // A final assistant turn after the last user message keeps its reasoning in a think block.
        ChatTurn[] last = [new("user", "a"), new("assistant", "<think>\nsteps\n</think>\n\nanswer")];
        Assert.Equal(
            "<|im_start|>user\na<|im_end|>\n<|im_start|>assistant\n<think>\nsteps\n</think>\n\nanswer<|im_end|>\n",
            new Qwen3ChatTemplate().Render(last, addGenerationPrompt: false));
    }

    [Fact]
    public void Phi4()
    {
        Assert.Equal(
            "<|im_start|>system<|im_sep|>You write hard negatives.<|im_end|>" +
            "<|im_start|>user<|im_sep|>Query: what is BM25?<|im_end|>" +
            "<|im_start|>assistant<|im_sep|>A ranking function.<|im_end|>" +
            "<|im_start|>user<|im_sep|> Another one. <|im_end|>" +
            "<|im_start|>assistant<|im_sep|>",
            new Phi4ChatTemplate().Render(Conversation));
    }

    [Fact]
    public void Phi4Mini()
    {
        Assert.Equal(
            "<|system|>You write hard negatives.<|end|><|user|>Query: what is BM25?<|end|>" +
            "<|assistant|>A ranking function.<|end|><|user|> Another one. <|end|><|assistant|>",
            new Phi4MiniChatTemplate().Render(Conversation));
        Assert.Equal("<|user|>hi<|end|><|endoftext|>", new Phi4MiniChatTemplate().Render([new("user", "hi")], addGenerationPrompt: false));
    }

    [Fact]
    public void TemplateIsChosenFromTokenizerConfig()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hn-tpl-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            ChatTemplate For(string template)
            {
                File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), new System.Text.Json.Nodes.JsonObject { ["chat_template"] = template }.ToJsonString());
                return ChatTemplate.ForModel(dir, "Phi3ForCausalLM");
            }
            Assert.IsType<Phi4ChatTemplate>(For("{{'<|im_start|>user<|im_sep|>' + message['content'] + '<|im_end|>'}}"));
            Assert.IsType<Phi4MiniChatTemplate>(For("{{ '<|' + message['role'] + '|>' + message['content'] + '<|end|>' }}"));
            Assert.Contains("Phi-3", Assert.Throws<InvalidDataException>(() => For("{{'<|user|>\n' + message['content'] + '<|end|>\n'}}")).Message);
            var qwen = For("{{- '<|im_start|>assistant\n<think>\n' }}");
            Assert.IsType<Qwen3ChatTemplate>(qwen);
            Assert.IsType<Llama3ChatTemplate>(For("{{- \"Cutting Knowledge Date: December 2023\\n\" }}<|start_header_id|>"));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
