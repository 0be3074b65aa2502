using HardNegatives.Tokenization;
using Microsoft.ML.OnnxRuntime;

namespace HardNegatives.Tests.Models.Onnx;

/// <summary>ONNX Runtime running an exported BERT encoder on our token batches: the independent implementation we check against.</summary>
sealed class OnnxRuntimeEncoder : IDisposable
{
    readonly InferenceSession _session;

    public OnnxRuntimeEncoder(string onnxPath)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 2, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        _session = new InferenceSession(onnxPath, options);
    }

    /// <summary>last_hidden_state [B, T, H] as a flat array, for the batch's ids, mask and token types.</summary>
    public float[] LastHiddenState(TokenBatch batch) => Output(batch, "last_hidden_state");

    /// <summary>The graph output <paramref name="name"/> as a flat array (e.g. <c>pooler_output</c> [B, H]).</summary>
    public float[] Output(TokenBatch batch, string name)
    {
        long[] shape = [batch.BatchSize, batch.Length];
        var inputs = new Dictionary<string, long[]>
        {
            ["input_ids"] = batch.InputIds, ["attention_mask"] = batch.AttentionMask, ["token_type_ids"] = batch.TokenTypeIds,
        };
        var names = _session.InputMetadata.Keys.ToArray();
        var values = names.Select(n => OrtValue.CreateTensorValueFromMemory(inputs[n], shape)).ToArray();
        try
        {
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, names, values, [name]);
            return outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }
        finally { foreach (var v in values) v.Dispose(); }
    }

    /// <summary>Mean pooling over real tokens, then L2 normalisation (sentence-transformers' all-MiniLM-L6-v2 pipeline), in double.</summary>
    public float[][] MeanPooledNormalized(TokenBatch batch)
    {
        var hidden = LastHiddenState(batch);
        int h = hidden.Length / (batch.BatchSize * batch.Length);
        var result = new float[batch.BatchSize][];
        for (int b = 0; b < batch.BatchSize; b++)
        {
            var sum = new double[h];
            double count = 0;
            for (int t = 0; t < batch.Length; t++)
            {
                if (batch.AttentionMask[b * batch.Length + t] == 0) continue;
                count++;
                for (int k = 0; k < h; k++) sum[k] += hidden[((long)b * batch.Length + t) * h + k];
            }
            var mean = sum.Select(v => v / Math.Max(count, 1e-9)).ToArray();
            double norm = Math.Max(Math.Sqrt(mean.Sum(v => v * v)), 1e-12);
            result[b] = [.. mean.Select(v => (float)(v / norm))];
        }
        return result;
    }

    public void Dispose() => _session.Dispose();
}
