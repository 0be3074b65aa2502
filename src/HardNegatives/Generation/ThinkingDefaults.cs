namespace HardNegatives.Generation;

/// <summary>
/// One default for reasoning models' thinking mode, shared by <c>hn generate</c>, <c>hn reproduce</c> (experiment specs)
/// and library callers: Qwen3 models think before answering unless told not to, which costs many tokens and adds nothing
/// to a list of passages, so for them thinking is switched off through the chat template
/// (<see cref="ThinkingControl.TemplateKwargs"/>: <c>chat_template_kwargs.enable_thinking = false</c> on servers, the embedded
/// template's <c>enable_thinking</c> flag in process). Every other model gets the prompt template's own setting.
/// An explicit choice (<c>--thinking</c>) always wins.
/// </summary>
public static class ThinkingDefaults
{
    /// <summary>The thinking control for <paramref name="model"/>: <paramref name="requested"/> when given, else TemplateKwargs for
    /// Qwen3 models, else null (the prompt template's setting).</summary>
    public static ThinkingControl? For(string model, ThinkingControl? requested = null) =>
        requested ?? (model.Contains("qwen3", StringComparison.OrdinalIgnoreCase) ? ThinkingControl.TemplateKwargs : null);

    /// <summary>Whether the embedded backend's chat template should let the model think: only when asked to leave it on.</summary>
    public static bool EmbeddedEnableThinking(ThinkingControl? thinking) => thinking == ThinkingControl.Leave;
}
