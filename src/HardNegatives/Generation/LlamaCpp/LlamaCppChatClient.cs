using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using HardNegatives.Generation.Embedded;
using HardNegatives.Tokenization.Bpe.ChatTemplates;
using LLama;
using Microsoft.Extensions.AI;

namespace HardNegatives.Generation.LlamaCpp;

/// <summary>
/// An in-process <see cref="IChatClient"/> over llama.cpp (LLamaSharp's CPU backend) for any GGUF model: the chat is
/// rendered with the kit's native template or the GGUF's own (<see cref="LlamaCppChatClientOptions.Template"/>), tokenized
/// and detokenized by llama.cpp, and sampled with the kit's <see cref="SamplingOptions"/> (temperature 0 = argmax).
/// Requests are served one at a time (one llama.cpp context).
/// </summary>
public sealed class LlamaCppChatClient : IChatClient, IChatClientCapacity
{
    readonly LlamaCppModel _model;
    readonly LlamaCppChatClientOptions _options;
    readonly ChatTemplate? _template;       // the kit's template, or null
    readonly bool _ggufTemplate;            // llama.cpp applies the GGUF's template
    readonly IReadOnlyList<int> _stops;
    readonly SemaphoreSlim _gate = new(1, 1);
    readonly string _modelId;

    public LlamaCppChatClient(LlamaCppModel model, LlamaCppChatClientOptions? options = null)
    {
        _model = model;
        _options = options ?? new LlamaCppChatClientOptions();
        _modelId = _options.ModelId ?? Path.GetFileNameWithoutExtension(model.Path);
        var source = model.Metadata.TryGetValue("tokenizer.chat_template", out var t) ? t : null;
        switch (_options.Template)
        {
            case "llama3": _template = new Llama3ChatTemplate(); break;
            case "qwen3": _template = new Qwen3ChatTemplate(_options.EnableThinking); break;
            case "phi4": _template = new Phi4ChatTemplate(); break;
            case "phi4-mini": _template = new Phi4MiniChatTemplate(); break;
            case "gguf":
                _ggufTemplate = source is not null ? true : throw new InvalidDataException($"{model.Path}: the GGUF has no tokenizer.chat_template; choose a template (llama3, qwen3, phi4, phi4-mini) or plain.");
                break;
            case "plain": break;
            case null:
                if (source is null) break;
                try { _template = ChatTemplate.FromSource(source, "", model.Path); }
                catch (InvalidDataException) { _ggufTemplate = true; }
                if (_template is Qwen3ChatTemplate) _template = new Qwen3ChatTemplate(_options.EnableThinking);
                break;
            default: throw new ArgumentException($"unknown chat template '{_options.Template}'; use llama3, qwen3, phi4, phi4-mini, gguf or plain");
        }
        _stops = (_template?.StopTokens ?? []).Select(s => model.Tokenize(s, addBos: false)).Where(ids => ids.Length == 1).Select(ids => ids[0])
            .Concat(Enumerable.Range(0, model.VocabSize).Where(model.IsEndOfGeneration)).Distinct().ToList();
    }

    /// <summary>Loads a GGUF file with llama.cpp.</summary>
    public static LlamaCppChatClient Load(string ggufPath, LlamaCppChatClientOptions? options = null)
    {
        options ??= new LlamaCppChatClientOptions();
        var model = LlamaCppModel.Load(ggufPath, options.Engine);
        try { return new LlamaCppChatClient(model, options); }
        catch { model.Dispose(); throw; }
    }

    public LlamaCppModel Model => _model;

    /// <summary>One request at a time (one llama.cpp context).</summary>
    public int MaxConcurrentRequests => 1;

    /// <summary>Which template renders chats: the kit's template's type name, <c>gguf</c> or <c>plain</c>.</summary>
    public string TemplateName => _template?.GetType().Name ?? (_ggufTemplate ? "gguf" : "plain");

    /// <summary>The prompt text for a conversation.</summary>
    public string PromptText(IEnumerable<ChatMessage> messages, ChatOptions? options = null)
    {
        var turns = new List<ChatTurn>();
        if (options?.Instructions is { Length: > 0 } instructions) turns.Add(new ChatTurn("system", instructions));
        turns.AddRange(messages.Select(m => new ChatTurn(m.Role.Value, m.Text)));
        if (_template is not null) return _template.Render(turns, addGenerationPrompt: true);
        if (!_ggufTemplate) return string.Join("\n\n", turns.Select(t => t.Content));
        var llamaTemplate = new LLamaTemplate(_model.Weights) { AddAssistant = true };
        foreach (var turn in turns) llamaTemplate.Add(turn.Role, turn.Content);
        return Encoding.UTF8.GetString(llamaTemplate.Apply());
    }

    /// <summary>The prompt token ids (BOS added when the model wants one and the rendered text does not start with it).</summary>
    public IReadOnlyList<int> PromptIds(IEnumerable<ChatMessage> messages, ChatOptions? options = null)
    {
        var text = PromptText(messages, options);
        var ids = _model.Tokenize(text, addBos: _model.Weights.Vocab.ShouldAddBOS);
        // Templates that write BOS as text would give it twice.
        return ids.Length > 1 && ids[0] == _model.Bos && ids[1] == _model.Bos ? ids[1..] : ids;
    }

    // The answer gets what is left of llama.cpp's context after the prompt (finish reason "length" when it runs out).
    SamplingOptions Sampling(ChatOptions? options, int promptLength) => new()
    {
        Temperature = options?.Temperature ?? 0,
        TopP = options?.TopP ?? 1.0,
        TopK = options?.TopK ?? 0,
        Seed = options?.Seed,
        MaxNewTokens = Math.Min(options?.MaxOutputTokens ?? _options.DefaultMaxOutputTokens, Math.Max(0, _model.ContextSize - promptLength + 1)),
        StopTokens = _stops,
    };

    string Decode(IEnumerable<int> tokens)
    {
        var decoder = new StreamingTokenDecoder(_model.Context) { DecodeSpecialTokens = false };
        foreach (var t in tokens) decoder.Add(t);
        return decoder.Read();
    }

    static (string Text, bool Cut) CutAtStopSequence(string text, ChatOptions? options)
    {
        var cut = (options?.StopSequences ?? []).Where(s => s.Length > 0).Select(s => text.IndexOf(s, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();
        return cut >= 0 ? (text[..cut], true) : (text, false);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prompt = PromptIds(messages, options);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var generated = await Task.Run(() => new LlamaCppGenerator(_model).Generate([prompt], Sampling(options, prompt.Count), cancellationToken: cancellationToken)[0], cancellationToken);
            var (text, cut) = CutAtStopSequence(Decode(generated.Tokens), options);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
            {
                ModelId = _modelId,
                FinishReason = cut || generated.FinishReason == FinishReason.Stop ? ChatFinishReason.Stop : ChatFinishReason.Length,
                Usage = new UsageDetails { InputTokenCount = prompt.Count, OutputTokenCount = generated.Tokens.Count, TotalTokenCount = prompt.Count + generated.Tokens.Count },
            };
        }
        finally { _gate.Release(); }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prompt = PromptIds(messages, options);
        var sampling = Sampling(options, prompt.Count);
        var stops = sampling.StopTokens.ToHashSet();
        var channel = Channel.CreateUnbounded<int>();
        using var stopEarly = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        var run = Task.Run(() =>
        {
            try { return new LlamaCppGenerator(_model).Generate([prompt], sampling, step => { if (!stops.Contains(step[0])) channel.Writer.TryWrite(step[0]); }, stopEarly.Token)[0]; }
            finally { channel.Writer.TryComplete(); }
        }, CancellationToken.None);
        try
        {
            var decoder = new StreamingTokenDecoder(_model.Context) { DecodeSpecialTokens = false };
            var text = new StringBuilder();
            var emitted = 0;
            var stopped = false;
            await foreach (var token in channel.Reader.ReadAllAsync(cancellationToken))
            {
                decoder.Add(token);
                text.Append(decoder.Read());
                var (visible, cut) = CutAtStopSequence(text.ToString(), options);
                if (cut) { stopped = true; stopEarly.Cancel(); }
                if (visible.Length > emitted)
                {
                    yield return new ChatResponseUpdate(ChatRole.Assistant, visible[emitted..]) { ModelId = _modelId };
                    emitted = visible.Length;
                }
                if (stopped) break;
            }
            GeneratedSequence? result = null;
            try { result = await run; }
            catch (OperationCanceledException) when (stopped) { }
            var finish = stopped || result?.FinishReason == FinishReason.Stop ? ChatFinishReason.Stop : ChatFinishReason.Length;
            yield return new ChatResponseUpdate { Role = ChatRole.Assistant, FinishReason = finish, ModelId = _modelId };
        }
        finally
        {
            stopEarly.Cancel();
            try { await run.ConfigureAwait(false); } catch { /* reported above or cancelled */ }
            _gate.Release();
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("hardnegatives-llamacpp", null, _modelId)
        : null;

    public void Dispose()
    {
        _model.Dispose();
        _gate.Dispose();
    }
}
