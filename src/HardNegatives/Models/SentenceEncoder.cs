using HardNegatives.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Models;

/// <summary>Progress of a long encoding or scoring run: items done out of total.</summary>
public sealed record BatchProgress(int Done, int Total);

/// <summary>
/// A bi-encoder: tokenizer + transformer (DistilBERT or BERT) + pooling, as sentence-transformers' Transformer → Pooling
/// (→ Normalize) pipeline. <see cref="Encode(IReadOnlyList{string})"/> returns [B, H] with gradients for training;
/// <see cref="EncodeToTensor"/>/<see cref="EncodeToArrays"/> run inference in length-sorted batches.
/// Save with <see cref="Save"/>, load with <see cref="Load"/> (also plain Hugging Face folders, mean pooling then).
/// </summary>
public sealed class SentenceEncoder : nn.Module<Tensor, Tensor, Tensor?, Tensor>
{
    readonly nn.Module _model;
    readonly ITransformerEncoder _encoder;

    /// <param name="model">A <see cref="DistilBertModel"/> or <see cref="BertModel"/>.</param>
    /// <param name="maxSeqLength">Tokens per text, [CLS]/[SEP] included (sentence-transformers' max_seq_length). Default 256.</param>
    /// <param name="prompts">Query and document prompts (see <see cref="EncoderPrompts"/>). Default none.</param>
    public SentenceEncoder(ITransformerEncoder model, BertTokenizer tokenizer, PoolingOptions? pooling = null, int maxSeqLength = 256, EncoderPrompts? prompts = null)
        : base(nameof(SentenceEncoder))
    {
        _model = model as nn.Module ?? throw new ArgumentException("the transformer must be a TorchSharp module", nameof(model));
        _encoder = model;
        Tokenizer = tokenizer;
        PoolingOptions = pooling ?? new PoolingOptions();
        MaxSeqLength = maxSeqLength;
        Prompts = prompts ?? EncoderPrompts.None;
        register_module("model", _model);
    }

    /// <summary>A new DistilBERT bi-encoder with random weights (HF init), for training from scratch or tests.</summary>
    public static SentenceEncoder CreateDistilBert(DistilBertConfig config, BertTokenizer tokenizer, PoolingOptions? pooling = null, int maxSeqLength = 256, long? seed = null) =>
        new(new DistilBertModel(config, seed), tokenizer, pooling, maxSeqLength);

    public BertTokenizer Tokenizer { get; }
    public PoolingOptions PoolingOptions { get; }
    public int MaxSeqLength { get; }

    /// <summary>Prompts put before queries (<see cref="EncodeQueries"/>) and documents (<see cref="EncodeDocuments"/>).</summary>
    public EncoderPrompts Prompts { get; }

    /// <summary>The transformer (its parameters have Hugging Face names without prefix).</summary>
    public ITransformerEncoder Transformer => _encoder;

    /// <summary>The transformer as a module (for state dicts and devices).</summary>
    public nn.Module TransformerModule => _model;

    public int Dimension => _encoder.HiddenSize;

    /// <summary>Device of the weights.</summary>
    public Device Device => parameters().First().device;

    /// <summary>Floating dtype of the weights.</summary>
    public ScalarType DType => parameters().First().dtype;

    /// <summary>Pooled embeddings [B, H] from token tensors [B, T] (on the model's device).</summary>
    public override Tensor forward(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds)
    {
        using var scope = NewDisposeScope();
        var hidden = _encoder.HiddenStates(inputIds, attentionMask, tokenTypeIds);
        return Pooling.Apply(PoolingOptions, hidden, attentionMask).MoveToOuterDisposeScope();
    }

    /// <summary>Embeddings [B, H] of <paramref name="texts"/> in the current train/eval mode; gradients flow to the weights.</summary>
    public Tensor Encode(IReadOnlyList<string> texts) => Encode(Tokenizer.EncodeBatch(texts, MaxSeqLength));

    /// <summary>Sets train (dropout on) or eval mode, then encodes with gradients.</summary>
    public Tensor Encode(IReadOnlyList<string> texts, bool train)
    {
        this.train(train);
        return Encode(texts);
    }

    /// <summary>Embeddings [B, H] of an already tokenized batch, with gradients.</summary>
    public Tensor Encode(TokenBatch batch)
    {
        using var tensors = batch.ToTensors(Device);
        return forward(tensors.InputIds, tensors.AttentionMask, tensors.TokenTypeIds);
    }

    /// <summary>
    /// Inference: eval mode, no gradients, length-sorted batches of <paramref name="batchSize"/>; returns float32 [N, H] on the CPU
    /// in the order of <paramref name="texts"/>. The previous train/eval mode is restored.
    /// </summary>
    public Tensor EncodeToTensor(IReadOnlyList<string> texts, int batchSize = 32, IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        bool wasTraining = training;
        eval();
        try
        {
            var result = zeros(texts.Count, Dimension, ScalarType.Float32);
            using var noGrad = no_grad();
            int done = 0;
            foreach (var batch in LengthSortedBatches.Singles(Tokenizer, texts, batchSize, MaxSeqLength))
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var embeddings = Encode(batch.Batch).to(ScalarType.Float32).cpu();
                result.index_copy_(0, tensor(batch.Indices.Select(i => (long)i).ToArray()), embeddings);
                done += batch.Indices.Length;
                progress?.Report(new BatchProgress(done, texts.Count));
            }
            return result;
        }
        finally { this.train(wasTraining); }
    }

    /// <summary>Inference as <see cref="EncodeToTensor"/> on queries, with the query prompt in front.</summary>
    public Tensor EncodeQueries(IReadOnlyList<string> queries, int batchSize = 32, IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default) =>
        EncodeToTensor(Prompts.ApplyToQueries(queries), batchSize, progress, cancellationToken);

    /// <summary>Inference as <see cref="EncodeToTensor"/> on documents, with the document prompt in front.</summary>
    public Tensor EncodeDocuments(IReadOnlyList<string> documents, int batchSize = 32, IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default) =>
        EncodeToTensor(Prompts.ApplyToDocuments(documents), batchSize, progress, cancellationToken);

    /// <summary>Inference as <see cref="EncodeToTensor"/>, as one float array per text.</summary>
    public float[][] EncodeToArrays(IReadOnlyList<string> texts, int batchSize = 32, IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var all = EncodeToTensor(texts, batchSize, progress, cancellationToken);
        var flat = all.data<float>().ToArray();
        return [.. Enumerable.Range(0, texts.Count).Select(i => flat.AsSpan(i * Dimension, Dimension).ToArray())];
    }

    /// <summary>Saves a folder that this kit and Python's <c>SentenceTransformer(path)</c> both load (see <see cref="SentenceEncoderFolder"/>).</summary>
    public void Save(string folder) => SentenceEncoderFolder.Save(this, folder);

    /// <summary>
    /// This encoder cutting texts to <paramref name="maxSeqLength"/> tokens instead (sentence-transformers'
    /// <c>model.max_seq_length = n</c>): the same weights, tokenizer, pooling and prompts; <c>this</c> when the limit is unchanged.
    /// The result owns the shared transformer: dispose it, not this one.
    /// </summary>
    public SentenceEncoder WithMaxSeqLength(int maxSeqLength) =>
        maxSeqLength == MaxSeqLength ? this : new SentenceEncoder(_encoder, Tokenizer, PoolingOptions, maxSeqLength, Prompts);

    /// <summary>Loads a folder saved by <see cref="Save"/>, by sentence-transformers, or a plain Hugging Face DistilBERT/BERT folder.</summary>
    public static SentenceEncoder Load(string folder, Device? device = null, ScalarType? dtype = null) => SentenceEncoderFolder.Load(folder, device, dtype);
}
