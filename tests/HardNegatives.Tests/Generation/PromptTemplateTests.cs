using HardNegatives.Generation;
using Microsoft.Extensions.AI;

namespace HardNegatives.Tests.Generation;

public class PromptTemplateTests
{
    [Fact]
    public void Bundled_templates_load_with_ids_and_versions()
    {
        Assert.Contains("hn-negatives-v1", PromptTemplates.Ids);
        Assert.Contains("hn-negatives-fewshot-v1", PromptTemplates.Ids);
        var t = PromptTemplates.Get(PromptTemplates.DefaultId);
        Assert.Equal(1, t.Version);
        Assert.Equal(ThinkingControl.Leave, t.Thinking);
    }

    [Fact]
    public void The_default_v2_asks_for_neither_support_nor_refutation_and_v1_is_kept_unchanged()
    {
        Assert.Equal("hn-negatives-v2", PromptTemplates.DefaultId);
        var v2 = PromptTemplates.Get("hn-negatives-v2");
        var user = v2.Render("Vitamin D reduces fractures.", "A trial found fewer fractures.", 2, ThinkingControl.Leave)[^1].Text!;
        Assert.Contains("same topic", user);
        Assert.Contains("neither support nor refute", user);
        Assert.DoesNotContain("contradicts the key claim", user);
        Assert.Contains("the kit's own", v2.Description);
        Assert.Contains("not the paper's prompt", v2.Description);
        // v1 is kept as it was, so runs and caches made with it stay reproducible.
        Assert.Contains("states a claim that contradicts the key claim", PromptTemplates.Get("hn-negatives-v1").Render("q", "p", 1, ThinkingControl.Leave)[^1].Text);
    }

    [Fact]
    public void Render_fills_placeholders_once()
    {
        var t = PromptTemplates.Get("hn-negatives-v1");
        var messages = t.Render("what about {{positive}}?", "one two three", 4, ThinkingControl.Leave);
        Assert.Equal(ChatRole.System, messages[0].Role);
        var user = messages[^1].Text;
        Assert.Contains("what about {{positive}}?", user);
        Assert.Contains("Write 4 different passages", user);
        Assert.Contains("about 3 words", user);
        Assert.DoesNotContain("{{", user.Replace("{{positive}}", ""));
    }

    [Fact]
    public void Soft_switch_appends_no_think()
    {
        var messages = PromptTemplates.Get("hn-negatives-v1").Render("q", "p", 1, ThinkingControl.SoftSwitch);
        Assert.EndsWith(" /no_think", messages[^1].Text);
    }

    [Fact]
    public void Few_shot_examples_become_previous_turns()
    {
        var messages = PromptTemplates.Get("hn-negatives-fewshot-v1").Render("q", "p", 2, ThinkingControl.Leave);
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.User], messages.Select(m => m.Role));
        Assert.Equal(2, GeneratedPassageParser.Parse(messages[2].Text).Passages.Count);
    }

    [Fact]
    public void Template_files_are_validated()
    {
        Assert.Throws<InvalidDataException>(() => PromptTemplate.Parse("""{"id":"x","version":1,"user":"no placeholders"}""", "x.json"));
        Assert.Throws<InvalidDataException>(() => PromptTemplate.Parse("""{"id":"x","version":0,"user":"{{query}} {{positive}}"}""", "x.json"));
        var ok = PromptTemplate.Parse("""{"id":"mine-v2","version":2,"system":"","user":"{{query}} / {{positive}}","thinking":"soft-switch"}""", "mine.json");
        Assert.Equal(ThinkingControl.SoftSwitch, ok.Thinking);
        Assert.Throws<ArgumentException>(() => PromptTemplates.Get("no-such-template"));
    }
}
