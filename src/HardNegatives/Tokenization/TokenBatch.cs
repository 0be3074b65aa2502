using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Tokenization;

/// <summary>
/// A padded batch of token ids as flat row-major <c>long[]</c> arrays of shape [<see cref="BatchSize"/>, <see cref="Length"/>]
/// (plain arrays so that tokenizing needs no native memory and a batch can cross threads; <see cref="ToTensors"/> makes the
/// int64 tensors a model takes). Padding is on the right with the <c>[PAD]</c> id, attention mask 1 for real tokens, 0 for padding;
/// token type ids are 0 for the first text (with its <c>[CLS]</c> and <c>[SEP]</c>) and 1 for the second text of a pair.
/// </summary>
public sealed record TokenBatch(long[] InputIds, long[] AttentionMask, long[] TokenTypeIds, int BatchSize, int Length)
{
    /// <summary>Real (unpadded) length of each row.</summary>
    public int[] Lengths
    {
        get
        {
            var lengths = new int[BatchSize];
            for (int b = 0; b < BatchSize; b++)
                for (int t = 0; t < Length; t++) lengths[b] += (int)AttentionMask[b * Length + t];
            return lengths;
        }
    }

    /// <summary>The ids of row <paramref name="row"/> without padding.</summary>
    public long[] Row(int row) => InputIds.AsSpan(row * Length, Lengths[row]).ToArray();

    /// <summary>The three tensors (int64, shape [B, T]) on <paramref name="device"/> (CPU when null). The caller disposes them.</summary>
    public TokenTensors ToTensors(Device? device = null)
    {
        long[] shape = [BatchSize, Length];
        return new TokenTensors(
            tensor(InputIds, shape, dtype: ScalarType.Int64, device: device),
            tensor(AttentionMask, shape, dtype: ScalarType.Int64, device: device),
            tensor(TokenTypeIds, shape, dtype: ScalarType.Int64, device: device));
    }

    /// <summary>Builds a right-padded batch from per-row ids and type ids.</summary>
    public static TokenBatch Pad(IReadOnlyList<int[]> ids, IReadOnlyList<int[]> typeIds, int padId)
    {
        int batch = ids.Count, length = batch == 0 ? 0 : ids.Max(r => r.Length);
        var inputIds = new long[batch * length];
        var mask = new long[batch * length];
        var types = new long[batch * length];
        if (padId != 0) Array.Fill(inputIds, padId);
        for (int b = 0; b < batch; b++)
        {
            var row = ids[b];
            for (int t = 0; t < row.Length; t++)
            {
                inputIds[b * length + t] = row[t];
                mask[b * length + t] = 1;
                types[b * length + t] = typeIds[b][t];
            }
        }
        return new TokenBatch(inputIds, mask, types, batch, length);
    }
}

/// <summary>A batch's tensors: input ids, attention mask and token type ids, each int64 [B, T].</summary>
public sealed record TokenTensors(Tensor InputIds, Tensor AttentionMask, Tensor TokenTypeIds) : IDisposable
{
    public void Dispose()
    {
        InputIds.Dispose();
        AttentionMask.Dispose();
        TokenTypeIds.Dispose();
    }
}
