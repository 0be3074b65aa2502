namespace HardNegatives.Tests.Generation.Embedded;

/// <summary>
/// An independent plain-C# port of karpathy/llama2.c run.c's forward pass (float32 throughout, same loop order),
/// reading the legacy checkpoint itself. It shares no code with the library's TorchSharp decoder; the tests compare
/// the two, and this port against ids produced by compiling run.c itself (TestData/golden/tinyllamas-stories260K/README.md).
/// </summary>
sealed class Llama2cReference
{
    readonly int _dim, _hidden, _layers, _heads, _kvHeads, _vocab, _seqLen, _headSize, _kvDim;
    readonly float[] _emb, _rmsAtt, _wq, _wk, _wv, _wo, _rmsFfn, _w1, _w2, _w3, _rmsFinal, _wcls;
    readonly float[] _keyCache, _valueCache;

    public Llama2cReference(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        _dim = reader.ReadInt32(); _hidden = reader.ReadInt32(); _layers = reader.ReadInt32(); _heads = reader.ReadInt32();
        _kvHeads = reader.ReadInt32(); var vocab = reader.ReadInt32(); _seqLen = reader.ReadInt32();
        var shared = vocab > 0;
        _vocab = Math.Abs(vocab);
        _headSize = _dim / _heads;
        _kvDim = _dim * _kvHeads / _heads;
        float[] Read(int n) { var a = new float[n]; for (var i = 0; i < n; i++) a[i] = reader.ReadSingle(); return a; }
        _emb = Read(_vocab * _dim);
        _rmsAtt = Read(_layers * _dim);
        _wq = Read(_layers * _dim * _dim);
        _wk = Read(_layers * _dim * _kvDim);
        _wv = Read(_layers * _dim * _kvDim);
        _wo = Read(_layers * _dim * _dim);
        _rmsFfn = Read(_layers * _dim);
        _w1 = Read(_layers * _dim * _hidden);
        _w2 = Read(_layers * _hidden * _dim);
        _w3 = Read(_layers * _dim * _hidden);
        _rmsFinal = Read(_dim);
        Read(_seqLen * _headSize); // freq_cis_real, freq_cis_imag: unused by run.c
        _wcls = shared ? _emb : Read(_vocab * _dim);
        _keyCache = new float[_layers * _seqLen * _kvDim];
        _valueCache = new float[_layers * _seqLen * _kvDim];
    }

    public int SeqLen => _seqLen;

    static void RmsNorm(float[] o, float[] x, float[] weight, int wOff, int size)
    {
        var ss = 0.0f;
        for (var j = 0; j < size; j++) ss += x[j] * x[j];
        ss /= size;
        ss += 1e-5f;
        ss = 1.0f / MathF.Sqrt(ss);
        for (var j = 0; j < size; j++) o[j] = weight[wOff + j] * (ss * x[j]);
    }

    static void Softmax(float[] x, int off, int size)
    {
        var max = x[off];
        for (var i = 1; i < size; i++) if (x[off + i] > max) max = x[off + i];
        var sum = 0.0f;
        for (var i = 0; i < size; i++) { x[off + i] = MathF.Exp(x[off + i] - max); sum += x[off + i]; }
        for (var i = 0; i < size; i++) x[off + i] /= sum;
    }

    // W (d, n) @ x (n) -> xout (d)
    static void MatMul(float[] xout, float[] x, float[] w, int wOff, int n, int d)
    {
        for (var i = 0; i < d; i++)
        {
            var val = 0.0f;
            for (var j = 0; j < n; j++) val += w[wOff + i * n + j] * x[j];
            xout[i] = val;
        }
    }

    /// <summary>run.c's transformer(token, pos): returns the logits for the next token.</summary>
    public float[] Forward(int token, int pos)
    {
        int dim = _dim, kvDim = _kvDim, hidden = _hidden, hs = _headSize, kvMul = _heads / _kvHeads;
        var x = new float[dim];
        Array.Copy(_emb, token * dim, x, 0, dim);
        float[] xb = new float[dim], xb2 = new float[dim], hb = new float[hidden], hb2 = new float[hidden];
        float[] q = new float[dim], k = new float[kvDim], v = new float[kvDim], att = new float[_heads * _seqLen];
        for (var l = 0; l < _layers; l++)
        {
            RmsNorm(xb, x, _rmsAtt, l * dim, dim);
            MatMul(q, xb, _wq, l * dim * dim, dim, dim);
            MatMul(k, xb, _wk, l * dim * kvDim, dim, kvDim);
            MatMul(v, xb, _wv, l * dim * kvDim, dim, kvDim);
            for (var i = 0; i < dim; i += 2)
            {
                var headDim = i % hs;
                var freq = 1.0f / MathF.Pow(10000.0f, headDim / (float)hs);
                var val = pos * freq;
                float fcr = MathF.Cos(val), fci = MathF.Sin(val);
                var rotn = i < kvDim ? 2 : 1;
                for (var r = 0; r < rotn; r++)
                {
                    var vec = r == 0 ? q : k;
                    float v0 = vec[i], v1 = vec[i + 1];
                    vec[i] = v0 * fcr - v1 * fci;
                    vec[i + 1] = v0 * fci + v1 * fcr;
                }
            }
            var loff = l * _seqLen * kvDim;
            Array.Copy(k, 0, _keyCache, loff + pos * kvDim, kvDim);
            Array.Copy(v, 0, _valueCache, loff + pos * kvDim, kvDim);
            for (var h = 0; h < _heads; h++)
            {
                var qOff = h * hs;
                var attOff = h * _seqLen;
                for (var t = 0; t <= pos; t++)
                {
                    var kOff = loff + t * kvDim + h / kvMul * hs;
                    var score = 0.0f;
                    for (var i = 0; i < hs; i++) score += q[qOff + i] * _keyCache[kOff + i];
                    score /= MathF.Sqrt(hs);
                    att[attOff + t] = score;
                }
                Softmax(att, attOff, pos + 1);
                Array.Clear(xb, qOff, hs);
                for (var t = 0; t <= pos; t++)
                {
                    var vOff = loff + t * kvDim + h / kvMul * hs;
                    var a = att[attOff + t];
                    for (var i = 0; i < hs; i++) xb[qOff + i] += a * _valueCache[vOff + i];
                }
            }
            MatMul(xb2, xb, _wo, l * dim * dim, dim, dim);
            for (var i = 0; i < dim; i++) x[i] += xb2[i];
            RmsNorm(xb, x, _rmsFfn, l * dim, dim);
            MatMul(hb, xb, _w1, l * dim * hidden, dim, hidden);
            MatMul(hb2, xb, _w3, l * dim * hidden, dim, hidden);
            for (var i = 0; i < hidden; i++) hb[i] = hb[i] * (1.0f / (1.0f + MathF.Exp(-hb[i])));
            for (var i = 0; i < hidden; i++) hb[i] = hb[i] * hb2[i];
            MatMul(xb, hb, _w2, l * dim * hidden, hidden, dim);
            for (var i = 0; i < dim; i++) x[i] += xb[i];
        }
        RmsNorm(x, x, _rmsFinal, 0, dim);
        var logits = new float[_vocab];
        MatMul(logits, x, _wcls, 0, dim, _vocab);
        return logits;
    }

    static int ArgMax(float[] p)
    {
        var best = 0;
        for (var i = 1; i < p.Length; i++) if (p[i] > p[best]) best = i;
        return best;
    }

    /// <summary>run.c's main loop at temperature 0 with no prompt: from BOS (1), stop at BOS or after <paramref name="steps"/>.</summary>
    public (List<int> Tokens, List<float[]> Logits) Greedy(int steps)
    {
        if (steps <= 0 || steps > _seqLen) steps = _seqLen;
        var tokens = new List<int>();
        var logits = new List<float[]>();
        int token = 1, pos = 0;
        while (pos < steps)
        {
            var l = Forward(token, pos);
            logits.Add(l);
            var next = ArgMax(l);
            pos++;
            if (next == 1) break;
            tokens.Add(next);
            token = next;
        }
        return (tokens, logits);
    }
}
