namespace HardNegatives.Experiments;

/// <summary>Why a negative source cannot run as configured, and the one option that enables it.</summary>
public sealed record NotRunReason(string Source, string Reason, string Enable);

/// <summary>
/// Decides whether a source can run here. Cross-encoder and LLM arms need a model (and, for server backends, an endpoint);
/// without them they appear in reports as "not run" instead of failing the whole experiment.
/// </summary>
public static class SourceReadiness
{
    public static NotRunReason? WhyNotRunnable(NegativeSourceSpec source, int index) => source.Kind switch
    {
        NegativeSourceKind.Ce when string.IsNullOrWhiteSpace(source.Model) =>
            new(source.Name, "no cross-encoder configured", $"sources[{index}].model = a cross-encoder folder or Hugging Face name"),
        NegativeSourceKind.Llm when string.IsNullOrWhiteSpace(source.Model) =>
            new(source.Name, "no generator model configured", $"sources[{index}].model = the generator's name (server) or folder (embedded)"),
        NegativeSourceKind.Llm when source.Backend is null =>
            new(source.Name, "no LLM backend configured", $"sources[{index}].backend = openai | ollama | embedded | llamacpp"),
        NegativeSourceKind.Llm when source.Backend is "openai" or "ollama" && source.Endpoints is not { Count: > 0 } =>
            new(source.Name, "no LLM endpoint configured", $"sources[{index}].endpoints = [\"http://host:8000/v1\"]"),
        _ => null,
    };
}
