using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Bench.Prototypes;

/// <summary>
/// Hand-written forward kernels for 784-256-128-10 (ReLU, ReLU, softmax) with compile-time sizes, to choose the
/// shapes the generator will emit (docs/performance.md, "Kernel prototypes"). Weights arrive in PyTorch's layout
/// ([out, in] then bias per layer). Two families:
/// <list type="bullet">
/// <item>dot: PyTorch's layout read as is; each accumulator is a vector of partial sums along the inputs of one
/// (row, unit) pair, reduced horizontally at the end. Tile: 4 rows x 2 units = 8 accumulators.</item>
/// <item>packed: a copy of the weights as panels of 16 units, input-major (panel p, input k: the 16 weights of units
/// 16p..16p+15), so a tile broadcasts one input of each row and multiplies it by two vectors of weights. Tile: 6 rows x
/// 16 units = 12 accumulators (4 rows for the remainder: 64 = 10 x 6 + 4). Bias and ReLU fused into the store.</item>
/// </list>
/// All use Vector256 and fused multiply-adds.
/// </summary>
public sealed class DenseKernels
{
    private const int In1 = 784, Out1 = 256, Out2 = 128, Out3 = 10, Out3Padded = 16;

    private readonly float[] _w1, _b1, _w2, _b2, _w3, _b3;
    private readonly float[] _p1, _pb1, _p2, _pb2, _p3, _pb3;
    private readonly float[] _h1, _h2, _logits;

    public DenseKernels(float[] parameters, int maxRows)
    {
        int o = 0;
        float[] Take(int n)
        {
            float[] part = parameters.AsSpan(o, n).ToArray();
            o += n;
            return part;
        }

        _w1 = Take(Out1 * In1);
        _b1 = Take(Out1);
        _w2 = Take(Out2 * Out1);
        _b2 = Take(Out2);
        _w3 = Take(Out3 * Out2);
        _b3 = Take(Out3);
        (_p1, _pb1) = Pack(_w1, _b1, Out1, In1);
        (_p2, _pb2) = Pack(_w2, _b2, Out2, Out1);
        (_p3, _pb3) = Pack(_w3, _b3, Out3, Out2);
        _h1 = new float[maxRows * Out1];
        _h2 = new float[maxRows * Out2];
        _logits = new float[maxRows * Out3Padded];
    }

    /// <summary>Panels of 16 units, input-major, units past <paramref name="units"/> zero; the bias padded alike.</summary>
    private static (float[] Packed, float[] Bias) Pack(float[] w, float[] b, int units, int inputs)
    {
        int panels = (units + 15) / 16;
        var packed = new float[panels * inputs * 16];
        var bias = new float[panels * 16];
        for (int u = 0; u < units; u++)
        {
            bias[u] = b[u];
            for (int k = 0; k < inputs; k++)
            {
                packed[((u / 16) * inputs * 16) + (k * 16) + (u % 16)] = w[(u * inputs) + k];
            }
        }

        return (packed, bias);
    }

    // ---------------------------------------------------------------- packed 6x16 / 4x16

    /// <summary>Rows of 784 inputs to rows of 10 probabilities, packed kernels; panels outer, row tiles inner.</summary>
    public void PredictPacked(ReadOnlySpan<float> x, Span<float> y, int rows) => PredictPacked(x, y, 0, rows);

    /// <summary>Rows [first, first + count) only: what one thread of a fixed two-way split runs.</summary>
    public void PredictPacked(ReadOnlySpan<float> x, Span<float> y, int first, int count)
    {
        ref float xs = ref Unsafe.AsRef(in x[0]);
        PackedLayer(ref xs, In1, ref _p1[0], ref _pb1[0], Out1 / 16, ref _h1[0], Out1, first, count, relu: true);
        PackedLayer(ref _h1[0], Out1, ref _p2[0], ref _pb2[0], Out2 / 16, ref _h2[0], Out2, first, count, relu: true);
        PackedLayer(ref _h2[0], Out2, ref _p3[0], ref _pb3[0], 1, ref _logits[0], Out3Padded, first, count, relu: false);
        SoftmaxRows(y, first, count);
    }

    private void SoftmaxRows(Span<float> y, int first, int count)
    {
        for (int r = first; r < first + count; r++)
        {
            Span<float> row = y.Slice(r * Out3, Out3);
            _logits.AsSpan(r * Out3Padded, Out3).CopyTo(row);
            float max = row[0];
            for (int i = 1; i < Out3; i++)
            {
                max = MathF.Max(max, row[i]);
            }

            float sum = 0;
            for (int i = 0; i < Out3; i++)
            {
                row[i] = MathF.Exp(row[i] - max);
                sum += row[i];
            }

            float scale = 1f / sum;
            for (int i = 0; i < Out3; i++)
            {
                row[i] *= scale;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PackedLayer(ref float x, int inputs, ref float packed, ref float bias, int panels, ref float y, int stride,
        int first, int count, bool relu)
    {
        for (int p = 0; p < panels; p++)
        {
            ref float panel = ref Unsafe.Add(ref packed, p * inputs * 16);
            ref float b = ref Unsafe.Add(ref bias, p * 16);
            int r = first;
            for (; r + 6 <= first + count; r += 6)
            {
                Tile6(ref Unsafe.Add(ref x, r * inputs), inputs, ref panel, ref b, ref Unsafe.Add(ref y, (r * stride) + (p * 16)), stride, relu);
            }

            for (; r + 4 <= first + count; r += 4)
            {
                Tile4(ref Unsafe.Add(ref x, r * inputs), inputs, ref panel, ref b, ref Unsafe.Add(ref y, (r * stride) + (p * 16)), stride, relu);
            }

            for (; r < first + count; r++)
            {
                Tile1(ref Unsafe.Add(ref x, r * inputs), inputs, ref panel, ref b, ref Unsafe.Add(ref y, (r * stride) + (p * 16)), relu);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector256<float> v, ref float y, bool relu) =>
        (relu ? Vector256.Max(v, Vector256<float>.Zero) : v).StoreUnsafe(ref y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile6(ref float x, int inputs, ref float panel, ref float bias, ref float y, int stride, bool relu)
    {
        Vector256<float> b0 = Vector256.LoadUnsafe(ref bias), b1 = Vector256.LoadUnsafe(ref bias, 8);
        Vector256<float> a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1;
        Vector256<float> a30 = b0, a31 = b1, a40 = b0, a41 = b1, a50 = b0, a51 = b1;
        ref float x1 = ref Unsafe.Add(ref x, inputs);
        ref float x2 = ref Unsafe.Add(ref x, 2 * inputs);
        ref float x3 = ref Unsafe.Add(ref x, 3 * inputs);
        ref float x4 = ref Unsafe.Add(ref x, 4 * inputs);
        ref float x5 = ref Unsafe.Add(ref x, 5 * inputs);
        for (int k = 0; k < inputs; k++)
        {
            Vector256<float> w0 = Vector256.LoadUnsafe(ref panel, (nuint)(k * 16));
            Vector256<float> w1 = Vector256.LoadUnsafe(ref panel, (nuint)((k * 16) + 8));
            Vector256<float> v = Vector256.Create(Unsafe.Add(ref x, k));
            a00 = Vector256.FusedMultiplyAdd(v, w0, a00);
            a01 = Vector256.FusedMultiplyAdd(v, w1, a01);
            v = Vector256.Create(Unsafe.Add(ref x1, k));
            a10 = Vector256.FusedMultiplyAdd(v, w0, a10);
            a11 = Vector256.FusedMultiplyAdd(v, w1, a11);
            v = Vector256.Create(Unsafe.Add(ref x2, k));
            a20 = Vector256.FusedMultiplyAdd(v, w0, a20);
            a21 = Vector256.FusedMultiplyAdd(v, w1, a21);
            v = Vector256.Create(Unsafe.Add(ref x3, k));
            a30 = Vector256.FusedMultiplyAdd(v, w0, a30);
            a31 = Vector256.FusedMultiplyAdd(v, w1, a31);
            v = Vector256.Create(Unsafe.Add(ref x4, k));
            a40 = Vector256.FusedMultiplyAdd(v, w0, a40);
            a41 = Vector256.FusedMultiplyAdd(v, w1, a41);
            v = Vector256.Create(Unsafe.Add(ref x5, k));
            a50 = Vector256.FusedMultiplyAdd(v, w0, a50);
            a51 = Vector256.FusedMultiplyAdd(v, w1, a51);
        }

        Store(a00, ref y, relu);
        Store(a01, ref Unsafe.Add(ref y, 8), relu);
        Store(a10, ref Unsafe.Add(ref y, stride), relu);
        Store(a11, ref Unsafe.Add(ref y, stride + 8), relu);
        Store(a20, ref Unsafe.Add(ref y, 2 * stride), relu);
        Store(a21, ref Unsafe.Add(ref y, (2 * stride) + 8), relu);
        Store(a30, ref Unsafe.Add(ref y, 3 * stride), relu);
        Store(a31, ref Unsafe.Add(ref y, (3 * stride) + 8), relu);
        Store(a40, ref Unsafe.Add(ref y, 4 * stride), relu);
        Store(a41, ref Unsafe.Add(ref y, (4 * stride) + 8), relu);
        Store(a50, ref Unsafe.Add(ref y, 5 * stride), relu);
        Store(a51, ref Unsafe.Add(ref y, (5 * stride) + 8), relu);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4(ref float x, int inputs, ref float panel, ref float bias, ref float y, int stride, bool relu)
    {
        Vector256<float> b0 = Vector256.LoadUnsafe(ref bias), b1 = Vector256.LoadUnsafe(ref bias, 8);
        Vector256<float> a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
        ref float x1 = ref Unsafe.Add(ref x, inputs);
        ref float x2 = ref Unsafe.Add(ref x, 2 * inputs);
        ref float x3 = ref Unsafe.Add(ref x, 3 * inputs);
        for (int k = 0; k < inputs; k++)
        {
            Vector256<float> w0 = Vector256.LoadUnsafe(ref panel, (nuint)(k * 16));
            Vector256<float> w1 = Vector256.LoadUnsafe(ref panel, (nuint)((k * 16) + 8));
            Vector256<float> v = Vector256.Create(Unsafe.Add(ref x, k));
            a00 = Vector256.FusedMultiplyAdd(v, w0, a00);
            a01 = Vector256.FusedMultiplyAdd(v, w1, a01);
            v = Vector256.Create(Unsafe.Add(ref x1, k));
            a10 = Vector256.FusedMultiplyAdd(v, w0, a10);
            a11 = Vector256.FusedMultiplyAdd(v, w1, a11);
            v = Vector256.Create(Unsafe.Add(ref x2, k));
            a20 = Vector256.FusedMultiplyAdd(v, w0, a20);
            a21 = Vector256.FusedMultiplyAdd(v, w1, a21);
            v = Vector256.Create(Unsafe.Add(ref x3, k));
            a30 = Vector256.FusedMultiplyAdd(v, w0, a30);
            a31 = Vector256.FusedMultiplyAdd(v, w1, a31);
        }

        Store(a00, ref y, relu);
        Store(a01, ref Unsafe.Add(ref y, 8), relu);
        Store(a10, ref Unsafe.Add(ref y, stride), relu);
        Store(a11, ref Unsafe.Add(ref y, stride + 8), relu);
        Store(a20, ref Unsafe.Add(ref y, 2 * stride), relu);
        Store(a21, ref Unsafe.Add(ref y, (2 * stride) + 8), relu);
        Store(a30, ref Unsafe.Add(ref y, 3 * stride), relu);
        Store(a31, ref Unsafe.Add(ref y, (3 * stride) + 8), relu);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile1(ref float x, int inputs, ref float panel, ref float bias, ref float y, bool relu)
    {
        Vector256<float> a0 = Vector256.LoadUnsafe(ref bias), a1 = Vector256.LoadUnsafe(ref bias, 8);
        for (int k = 0; k < inputs; k++)
        {
            Vector256<float> v = Vector256.Create(Unsafe.Add(ref x, k));
            a0 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref panel, (nuint)(k * 16)), a0);
            a1 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref panel, (nuint)((k * 16) + 8)), a1);
        }

        Store(a0, ref y, relu);
        Store(a1, ref Unsafe.Add(ref y, 8), relu);
    }

    // ---------------------------------------------------------------- dot 4x2 (PyTorch layout)

    /// <summary>Rows of 784 inputs to rows of 10 probabilities reading PyTorch's [out, in] weights directly.</summary>
    public void PredictDot(ReadOnlySpan<float> x, Span<float> y, int rows)
    {
        ref float xs = ref Unsafe.AsRef(in x[0]);
        DotLayer(ref xs, In1, ref _w1[0], ref _b1[0], Out1, ref _h1[0], rows, relu: true);
        DotLayer(ref _h1[0], Out1, ref _w2[0], ref _b2[0], Out2, ref _h2[0], rows, relu: true);
        DotLayer(ref _h2[0], Out2, ref _w3[0], ref _b3[0], Out3, ref _logits[0], rows, relu: false, stride: Out3Padded);
        SoftmaxRows(y, 0, rows);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DotLayer(ref float x, int inputs, ref float w, ref float bias, int units, ref float y, int rows, bool relu, int stride = 0)
    {
        if (stride == 0)
        {
            stride = units;
        }

        for (int u = 0; u < units; u += 2)
        {
            int r = 0;
            for (; r + 4 <= rows; r += 4)
            {
                Dot4x2(ref Unsafe.Add(ref x, r * inputs), inputs, ref Unsafe.Add(ref w, u * inputs), ref Unsafe.Add(ref bias, u),
                    ref Unsafe.Add(ref y, (r * stride) + u), stride, relu);
            }

            for (; r < rows; r++)
            {
                for (int j = u; j < u + 2; j++)
                {
                    float s = Dot(ref Unsafe.Add(ref x, r * inputs), ref Unsafe.Add(ref w, j * inputs), inputs) + Unsafe.Add(ref bias, j);
                    Unsafe.Add(ref y, (r * stride) + j) = relu ? MathF.Max(s, 0f) : s;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(ref float a, ref float b, int n)
    {
        Vector256<float> s0 = Vector256<float>.Zero, s1 = Vector256<float>.Zero;
        int k = 0;
        for (; k + 16 <= n; k += 16)
        {
            s0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref a, (nuint)k), Vector256.LoadUnsafe(ref b, (nuint)k), s0);
            s1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref a, (nuint)(k + 8)), Vector256.LoadUnsafe(ref b, (nuint)(k + 8)), s1);
        }

        for (; k + 8 <= n; k += 8)
        {
            s0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref a, (nuint)k), Vector256.LoadUnsafe(ref b, (nuint)k), s0);
        }

        return Vector256.Sum(s0 + s1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot4x2(ref float x, int inputs, ref float w, ref float bias, ref float y, int stride, bool relu)
    {
        Vector256<float> a00 = default, a01 = default, a10 = default, a11 = default;
        Vector256<float> a20 = default, a21 = default, a30 = default, a31 = default;
        ref float w1 = ref Unsafe.Add(ref w, inputs);
        for (int k = 0; k < inputs; k += 8)
        {
            Vector256<float> u0 = Vector256.LoadUnsafe(ref w, (nuint)k), u1 = Vector256.LoadUnsafe(ref w1, (nuint)k);
            Vector256<float> v = Vector256.LoadUnsafe(ref x, (nuint)k);
            a00 = Vector256.FusedMultiplyAdd(v, u0, a00);
            a01 = Vector256.FusedMultiplyAdd(v, u1, a01);
            v = Vector256.LoadUnsafe(ref x, (nuint)(inputs + k));
            a10 = Vector256.FusedMultiplyAdd(v, u0, a10);
            a11 = Vector256.FusedMultiplyAdd(v, u1, a11);
            v = Vector256.LoadUnsafe(ref x, (nuint)((2 * inputs) + k));
            a20 = Vector256.FusedMultiplyAdd(v, u0, a20);
            a21 = Vector256.FusedMultiplyAdd(v, u1, a21);
            v = Vector256.LoadUnsafe(ref x, (nuint)((3 * inputs) + k));
            a30 = Vector256.FusedMultiplyAdd(v, u0, a30);
            a31 = Vector256.FusedMultiplyAdd(v, u1, a31);
        }

        float b0 = bias, b1 = Unsafe.Add(ref bias, 1);
        Put(ref y, Vector256.Sum(a00) + b0, Vector256.Sum(a01) + b1, relu);
        Put(ref Unsafe.Add(ref y, stride), Vector256.Sum(a10) + b0, Vector256.Sum(a11) + b1, relu);
        Put(ref Unsafe.Add(ref y, 2 * stride), Vector256.Sum(a20) + b0, Vector256.Sum(a21) + b1, relu);
        Put(ref Unsafe.Add(ref y, 3 * stride), Vector256.Sum(a30) + b0, Vector256.Sum(a31) + b1, relu);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(ref float y, float s0, float s1, bool relu)
    {
        y = relu ? MathF.Max(s0, 0f) : s0;
        Unsafe.Add(ref y, 1) = relu ? MathF.Max(s1, 0f) : s1;
    }

    // ---------------------------------------------------------------- one row

    /// <summary>
    /// One row, PyTorch layout: 4 units at a time, two accumulators each (8 independent chains), so the loop is
    /// bound by how fast the weights arrive.
    /// </summary>
    public void PredictOne(ReadOnlySpan<float> x, Span<float> y)
    {
        ref float xs = ref Unsafe.AsRef(in x[0]);
        OneLayer(ref xs, In1, ref _w1[0], ref _b1[0], Out1, ref _h1[0], relu: true);
        OneLayer(ref _h1[0], Out1, ref _w2[0], ref _b2[0], Out2, ref _h2[0], relu: true);
        OneLayer(ref _h2[0], Out2, ref _w3[0], ref _b3[0], Out3 - 2, ref _logits[0], relu: false);
        for (int u = Out3 - 2; u < Out3; u++)
        {
            _logits[u] = Dot(ref _h2[0], ref _w3[u * Out2], Out2) + _b3[u];
        }

        SoftmaxOne(y);
    }

    private void SoftmaxOne(Span<float> y)
    {
        _logits.AsSpan(0, Out3).CopyTo(y);
        float max = y[0];
        for (int i = 1; i < Out3; i++)
        {
            max = MathF.Max(max, y[i]);
        }

        float sum = 0;
        for (int i = 0; i < Out3; i++)
        {
            y[i] = MathF.Exp(y[i] - max);
            sum += y[i];
        }

        float scale = 1f / sum;
        for (int i = 0; i < Out3; i++)
        {
            y[i] *= scale;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OneLayer(ref float x, int inputs, ref float w, ref float bias, int units, ref float y, bool relu)
    {
        for (int u = 0; u + 4 <= units; u += 4)
        {
            ref float w0 = ref Unsafe.Add(ref w, u * inputs);
            ref float w1 = ref Unsafe.Add(ref w0, inputs);
            ref float w2 = ref Unsafe.Add(ref w1, inputs);
            ref float w3 = ref Unsafe.Add(ref w2, inputs);
            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
            Vector256<float> t0 = default, t1 = default, t2 = default, t3 = default;
            int k = 0;
            for (; k + 16 <= inputs; k += 16)
            {
                Vector256<float> v = Vector256.LoadUnsafe(ref x, (nuint)k), v2 = Vector256.LoadUnsafe(ref x, (nuint)(k + 8));
                s0 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref w0, (nuint)k), s0);
                s1 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref w1, (nuint)k), s1);
                s2 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref w2, (nuint)k), s2);
                s3 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref w3, (nuint)k), s3);
                t0 = Vector256.FusedMultiplyAdd(v2, Vector256.LoadUnsafe(ref w0, (nuint)(k + 8)), t0);
                t1 = Vector256.FusedMultiplyAdd(v2, Vector256.LoadUnsafe(ref w1, (nuint)(k + 8)), t1);
                t2 = Vector256.FusedMultiplyAdd(v2, Vector256.LoadUnsafe(ref w2, (nuint)(k + 8)), t2);
                t3 = Vector256.FusedMultiplyAdd(v2, Vector256.LoadUnsafe(ref w3, (nuint)(k + 8)), t3);
            }

            float y0 = Vector256.Sum(s0 + t0) + Unsafe.Add(ref bias, u), y1 = Vector256.Sum(s1 + t1) + Unsafe.Add(ref bias, u + 1);
            float y2 = Vector256.Sum(s2 + t2) + Unsafe.Add(ref bias, u + 2), y3 = Vector256.Sum(s3 + t3) + Unsafe.Add(ref bias, u + 3);
            Unsafe.Add(ref y, u) = relu ? MathF.Max(y0, 0f) : y0;
            Unsafe.Add(ref y, u + 1) = relu ? MathF.Max(y1, 0f) : y1;
            Unsafe.Add(ref y, u + 2) = relu ? MathF.Max(y2, 0f) : y2;
            Unsafe.Add(ref y, u + 3) = relu ? MathF.Max(y3, 0f) : y3;
        }
    }
}
