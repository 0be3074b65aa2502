namespace HardNegatives.Tokenization;

/// <summary>
/// Streams any whole-sequence decoder: decodes the tokens so far and returns what grew, holding back a trailing
/// U+FFFD (a UTF-8 sequence still split over byte-level tokens). Quadratic in length; fine for interactive sampling.
/// </summary>
public sealed class PrefixDecodingTextStream(Func<IReadOnlyList<int>, string> decode) : ITokenTextStream
{
    readonly List<int> _tokens = [];
    int _emitted;

    public string Append(int token)
    {
        _tokens.Add(token);
        var text = decode(_tokens);
        var stable = text.EndsWith('\uFFFD') ? text.TrimEnd('\uFFFD').Length : text.Length;
        if (stable <= _emitted) return "";
        var delta = text[_emitted..stable];
        _emitted = stable;
        return delta;
    }

    public string Flush()
    {
        var text = decode(_tokens);
        var rest = text.Length > _emitted ? text[_emitted..] : "";
        _emitted = text.Length;
        return rest;
    }
}
