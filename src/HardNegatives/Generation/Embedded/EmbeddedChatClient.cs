using System.Runtime.CompilerServices;
using System.Threading.Channels;
using HardNegatives.Tokenization.Bpe;
using HardNegatives.Tokenization.Bpe.ChatTemplates;
using Microsoft.Extensions.AI;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Generation.Embedded;

/// <summary>
/// An in-process <see cref="IChatClient"/> over the embedded decoder: the chat is rendered with the model family's own
/// template, tokenized with its tokenizer.json, generated with the KV-cached decoder and decoded back to text, so the
/// kit's LLM steps run with no server. Requests are served one at a time (the model is not thread-safe);
/// <see cref="GetResponsesAsync"/> batches many conversations into one left-padded generation for throughput.
/// </summary>
public sealed class EmbeddedChatClient : IChatClient, IChatClientCapacity
{
    readonly DecoderModel _model;
    readonly ByteLevelBpeTokenizer _tokenizer;
    readonly ChatTemplate _template;
    readonly EmbeddedChatClientOptions _options;
    readonly IReadOnlyList<int> _stopIds;
    readonly SemaphoreSlim _gate = new(1, 1);
    readonly string _modelId;

    public EmbeddedChatClient(DecoderModel model, ByteLevelBpeTokenizer tokenizer, ChatTemplate template, EmbeddedChatClientOptions? options = null)
    {
        _model = model;
        _tokenizer = tokenizer;
        _template = template;
        _options = options ?? new EmbeddedChatClientOptions();
        _stopIds = template.StopTokens.Select(tokenizer.TokenToId).OfType<int>().Concat(model.Config.EosTokenIds).Distinct().ToList();
        _modelId = _options.ModelId ?? DecoderConfig.ArchitectureName(model.Config.Family);
    }

    /// <summary>
    /// Loads a Hugging Face model folder (config.json, safetensors, tokenizer.json, tokenizer_config.json) of a Llama 3,
    /// Qwen3 or Phi-4 model, or a repo id already in the local Hub cache (<see cref="EmbeddedModelLocator"/>); the chat
    /// template is picked from tokenizer_config.json.
    /// </summary>
    public static EmbeddedChatClient Load(string modelDir, EmbeddedChatClientOptions? options = null)
    {
        options ??= new EmbeddedChatClientOptions();
        var requested = modelDir;
        modelDir = EmbeddedModelLocator.Resolve(modelDir);
        var tokenizerPath = Path.Combine(modelDir, "tokenizer.json");
        if (!File.Exists(tokenizerPath)) throw new FileNotFoundException($"{modelDir}: no tokenizer.json; the embedded backend needs a Hugging Face model folder with its tokenizer.", tokenizerPath);
        var device = options.Device is { } d ? torch.device(d) : cuda.is_available() ? CUDA : CPU;
        var bf16 = options.BFloat16 ?? device.type == DeviceType.CUDA;
        var model = HfCheckpoint.Load(modelDir, device, bf16 ? ScalarType.BFloat16 : ScalarType.Float32);
        try
        {
            var tokenizer = ByteLevelBpeTokenizer.Load(tokenizerPath);
            var template = ChatTemplate.ForModel(modelDir, DecoderConfig.ArchitectureName(model.Config.Family));
            if (template is Qwen3ChatTemplate) template = new Qwen3ChatTemplate(options.EnableThinking);
            return new EmbeddedChatClient(model, tokenizer, template, options with { ModelId = options.ModelId ?? (Directory.Exists(requested) ? Path.GetFileName(Path.TrimEndingDirectorySeparator(requested)) : requested) });
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public DecoderModel Model => _model;

    /// <summary>One request at a time (batches go through <see cref="GetResponsesAsync"/>).</summary>
    public int MaxConcurrentRequests => 1;
    public ByteLevelBpeTokenizer Tokenizer => _tokenizer;
    public ChatTemplate Template => _template;

    /// <summary>The prompt token ids for a conversation (template rendered, then tokenized with special tokens recognized).</summary>
    public IReadOnlyList<int> PromptIds(IEnumerable<ChatMessage> messages, ChatOptions? options = null)
    {
        var turns = new List<ChatTurn>();
        if (options?.Instructions is { Length: > 0 } instructions) turns.Add(new ChatTurn("system", instructions));
        turns.AddRange(messages.Select(m => new ChatTurn(m.Role.Value, m.Text)));
        return _tokenizer.Encode(_template.Render(turns, addGenerationPrompt: true));
    }

    SamplingOptions Sampling(ChatOptions? options) => new()
    {
        Temperature = options?.Temperature ?? 0,
        TopP = options?.TopP ?? 1.0,
        TopK = options?.TopK ?? 0,
        Seed = options?.Seed,
        MaxNewTokens = options?.MaxOutputTokens ?? _options.DefaultMaxOutputTokens,
        StopTokens = _stopIds.Concat(SingleTokenStops(options)).Distinct().ToList(),
    };

    // Stop sequences that are one token (e.g. "<|im_end|>") stop generation directly; longer ones cut the text afterwards.
    IEnumerable<int> SingleTokenStops(ChatOptions? options) =>
        (options?.StopSequences ?? []).Select(s => _tokenizer.TokenToId(s)).OfType<int>();

    static (string Text, bool Cut) CutAtStopSequence(string text, ChatOptions? options)
    {
        var cut = (options?.StopSequences ?? []).Where(s => s.Length > 0).Select(s => text.IndexOf(s, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();
        return cut >= 0 ? (text[..cut], true) : (text, false);
    }

    ChatResponse ToResponse(IReadOnlyList<int> prompt, GeneratedSequence generated, ChatOptions? options)
    {
        var (text, cut) = CutAtStopSequence(_tokenizer.Decode(generated.Tokens, skipSpecialTokens: true), options);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = _modelId,
            FinishReason = cut || generated.FinishReason == FinishReason.Stop ? ChatFinishReason.Stop : ChatFinishReason.Length,
            Usage = new UsageDetails { InputTokenCount = prompt.Count, OutputTokenCount = generated.Tokens.Count, TotalTokenCount = prompt.Count + generated.Tokens.Count },
        };
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        (await GetResponsesAsync([messages.ToList()], options, cancellationToken))[0];

    /// <summary>Answers many conversations in one batched, left-padded generation (same options for all).</summary>
    public async Task<IReadOnlyList<ChatResponse>> GetResponsesAsync(IReadOnlyList<IReadOnlyList<ChatMessage>> conversations, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prompts = conversations.Select(c => PromptIds(c, options)).ToList();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var generated = await Task.Run(() => new DecoderGenerator(_model).Generate(prompts, Sampling(options), cancellationToken: cancellationToken), cancellationToken);
            return prompts.Select((p, i) => ToResponse(p, generated[i], options)).ToList();
        }
        finally { _gate.Release(); }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prompt = PromptIds(messages, options);
        var channel = Channel.CreateUnbounded<int>();
        using var stopEarly = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        Task<IReadOnlyList<GeneratedSequence>> run;
        try
        {
            var sampling = Sampling(options);
            var stops = sampling.StopTokens.ToHashSet();
            run = Task.Run(() =>
            {
                try
                {
                    return new DecoderGenerator(_model).Generate([prompt], sampling,
                        step => { if (step[0] >= 0 && !stops.Contains(step[0])) channel.Writer.TryWrite(step[0]); }, stopEarly.Token);
                }
                finally { channel.Writer.TryComplete(); }
            }, CancellationToken.None);
        }
        catch { _gate.Release(); throw; }
        try
        {
            // Decode everything so far and emit the new suffix; hold back while the text ends in an incomplete UTF-8 sequence.
            var tokens = new List<int>();
            var emitted = 0;
            var stopped = false;
            await foreach (var token in channel.Reader.ReadAllAsync(cancellationToken))
            {
                tokens.Add(token);
                var (text, cut) = CutAtStopSequence(_tokenizer.Decode(tokens, skipSpecialTokens: true), options);
                if (cut) { stopped = true; stopEarly.Cancel(); }
                if (!cut && text.EndsWith('\uFFFD')) continue;
                if (text.Length > emitted)
                {
                    yield return new ChatResponseUpdate(ChatRole.Assistant, text[emitted..]) { ModelId = _modelId };
                    emitted = text.Length;
                }
                if (stopped) break;
            }
            GeneratedSequence? result = null;
            try { result = (await run)[0]; }
            catch (OperationCanceledException) when (stopped) { }
            var finish = stopped || result?.FinishReason == FinishReason.Stop ? ChatFinishReason.Stop : ChatFinishReason.Length;
            var final = _tokenizer.Decode(result?.Tokens ?? tokens, skipSpecialTokens: true);
            if (!stopped && final.Length > emitted)
                yield return new ChatResponseUpdate(ChatRole.Assistant, final[emitted..]) { ModelId = _modelId };
            yield return new ChatResponseUpdate { Role = ChatRole.Assistant, FinishReason = finish, ModelId = _modelId };
        }
        finally
        {
            stopEarly.Cancel(); // a consumer that stops reading early also stops the generation
            try { await run.ConfigureAwait(false); } catch { /* already reported or cancelled */ }
            _gate.Release();
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("hardnegatives-embedded", null, _modelId)
        : null;

    public void Dispose()
    {
        _model.Dispose();
        _gate.Dispose();
    }
}
