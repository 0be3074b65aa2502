namespace HardNegatives;

/// <summary>
/// An options record holds a value it cannot work with. The message names the property as C# and F# callers write it
/// (<c>TrainingOptions.Epochs must be at least 1 (got 0)</c>); front ends that expose the property under another name
/// (the CLI's <c>--epochs</c>) use <see cref="Property"/> and <see cref="Problem"/> to say it in their own words.
/// </summary>
public sealed class OptionsValidationException(string property, string problem)
    : ArgumentException($"{property} {problem}")
{
    /// <summary>The property (<see cref="Property"/>); kept out of <see cref="Exception.Message"/>, which already starts with it.</summary>
    public override string ParamName => Property;

    /// <summary>The property, qualified by its record: <c>TrainingOptions.Epochs</c>.</summary>
    public string Property { get; } = property;

    /// <summary>What is wrong, without the property's name: <c>must be at least 1 (got 0)</c>.</summary>
    public string Problem { get; } = problem;
}
