using HardNegatives.Generation;

namespace HardNegatives.Tests.Generation;

public class GeneratedPassageParserTests
{
    [Fact]
    public void Object_with_negatives_list_is_json()
    {
        var r = GeneratedPassageParser.Parse("""{"negatives": ["alpha one", "beta two"]}""");
        Assert.Equal(AnswerForm.Json, r.Form);
        Assert.Equal(["alpha one", "beta two"], r.Passages);
    }

    [Fact]
    public void Bare_list_and_list_of_objects()
    {
        Assert.Equal(["a b", "c d"], GeneratedPassageParser.Parse("""["a b", "c d"]""").Passages);
        Assert.Equal(["first text", "second text"],
            GeneratedPassageParser.Parse("""[{"id": 1, "text": "first text"}, {"passage": "second text"}]""").Passages);
    }

    [Fact]
    public void Object_with_other_list_field_uses_first_list()
    {
        var r = GeneratedPassageParser.Parse("""{"count": 2, "outputs": ["x y z", "u v w"]}""");
        Assert.Equal(["x y z", "u v w"], r.Passages);
    }

    [Fact]
    public void Code_fence_is_removed()
    {
        var r = GeneratedPassageParser.Parse("```json\n{\"negatives\": [\"p1 text\", \"p2 text\"]}\n```");
        Assert.Equal(AnswerForm.Json, r.Form);
        Assert.Equal(["p1 text", "p2 text"], r.Passages);
    }

    [Fact]
    public void Json_inside_prose_is_found()
    {
        var r = GeneratedPassageParser.Parse("Sure! Here they are:\n{\"negatives\": [\"one [with] bracket }\", \"two\"]}\nHope this helps.");
        Assert.Equal(AnswerForm.JsonInText, r.Form);
        Assert.Equal(["one [with] bracket }", "two"], r.Passages);
    }

    [Fact]
    public void Numbered_list_is_last_structured_resort_and_joins_continuation_lines()
    {
        var r = GeneratedPassageParser.Parse("Here are the passages:\n\n1. First passage\ncontinues here.\n2) Second passage.\n3: Third.");
        Assert.Equal(AnswerForm.PlainList, r.Form);
        Assert.Equal(["First passage continues here.", "Second passage.", "Third."], r.Passages);
    }

    [Fact]
    public void Passage_labels_count_as_list_markers()
    {
        var r = GeneratedPassageParser.Parse("**Passage 1:** Alpha text.\n\n**Passage 2:** Beta text.");
        Assert.Equal(["Alpha text.", "Beta text."], r.Passages);
    }

    [Fact]
    public void Json_cut_off_at_the_token_limit_keeps_its_complete_strings()
    {
        var r = GeneratedPassageParser.Parse("{\"negatives\": [\"first \\\"quoted\\\" one\", \"second, complete\" , \"third is cut of");
        Assert.Equal(AnswerForm.JsonSalvaged, r.Form);
        Assert.Equal(["first \"quoted\" one", "second, complete"], r.Passages);
    }

    [Fact]
    public void Broken_json_with_nothing_complete_is_unparseable_not_prose()
    {
        Assert.Equal(AnswerForm.None, GeneratedPassageParser.Parse("{\"negatives\": [\"unterminated").Form);
        Assert.Equal(AnswerForm.None, GeneratedPassageParser.Parse("{\"negatives\": 12,").Form);
    }

    [Fact]
    public void Unstructured_prose_falls_back_to_paragraphs()
    {
        var r = GeneratedPassageParser.Parse("First paragraph text.\n\nSecond paragraph text.");
        Assert.Equal(AnswerForm.Paragraphs, r.Form);
        Assert.Equal(["First paragraph text.", "Second paragraph text."], r.Passages);
    }

    [Fact]
    public void Think_blocks_are_removed_closed_unterminated_and_lone_close()
    {
        Assert.Equal(["a b"], GeneratedPassageParser.Parse("<think>\nplan: [\"no\"]\n</think>\n[\"a b\"]").Passages);
        Assert.Equal(["a b"], GeneratedPassageParser.Parse("[\"a b\"]\n<think>the model ran out of tokens while thinking [\"x\"]").Passages);
        // Qwen3 templates on some servers put <think> in the prompt, so only the closing tag is in the answer.
        Assert.Equal(["a b"], GeneratedPassageParser.Parse("reasoning [\"no\"] more reasoning</think>\n\n[\"a b\"]").Passages);
        Assert.Equal(AnswerForm.None, GeneratedPassageParser.Parse("<think>only thoughts, never finished").Form);
    }

    [Fact]
    public void Empty_answer_is_none() => Assert.Equal(AnswerForm.None, GeneratedPassageParser.Parse("   ").Form);
}
