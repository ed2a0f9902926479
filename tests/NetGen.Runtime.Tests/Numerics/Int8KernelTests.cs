using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using NetGen.Numerics;

namespace NetGen.Runtime.Tests.Numerics;

// AvxVnni (vpdpbusd) is still marked [RequiresPreviewFeatures] in .NET 10; it is a plain instruction used only where
// AvxVnni.IsSupported, and the analyzer's warning is all the preview marking does.
#pragma warning disable CA2252

/// <summary>
/// The int8 kernel (PackedDense.Int8.cs: 7-bit weights with a scale per unit, inputs quantised per row to 0..127 with
/// a scale and zero point, exact int32 sums): against a scalar reference of the same quantisation written out here
/// (exact sums, bit for bit), against the float layer within the error bound of the two quantisations, with AVX-VNNI,
/// with AVX2's vpmaddubsw/vpmaddwd and on the portable path (each called directly), and for row, unit and input counts
/// that leave remainders.
/// </summary>
public class Int8KernelTests
{
    private const int WeightLevels = 63, InputLevels = 127;

    private readonly struct Leaky : IVectorActivation<float>
    {
        public Vector128<float> Apply(Vector128<float> z) => Vector128.ConditionalSelect(Vector128.GreaterThan(z, Vector128<float>.Zero), z, z * 0.1f);

        public Vector256<float> Apply(Vector256<float> z) => Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256<float>.Zero), z, z * 0.1f);

        public Vector512<float> Apply(Vector512<float> z) => Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<float>.Zero), z, z * 0.1f);
    }

    private static float LeakyOf(float z) => z > 0 ? z : z * 0.1f;

    private static bool Fused => Fma.IsSupported || AdvSimd.IsSupported;

    /// <summary>The kernel's paths: the portable one, AVX2's products, AVX-VNNI's (6-row tiles).</summary>
    public enum KernelPath
    {
        Portable,
        Avx2,
        Vnni,
        Avx512,
    }

    /// <summary>The paths this machine can run; the best first (what <see cref="PackedDense.ForwardInt8"/> takes).</summary>
    private static KernelPath[] Paths
    {
        get
        {
            var paths = new System.Collections.Generic.List<KernelPath>();
            if (AvxVnni.IsSupported)
            {
                paths.Add(KernelPath.Vnni);
            }

            if (PackedDense.Wide512Int8)
            {
                paths.Add(KernelPath.Avx512);
            }

            if (Avx2.IsSupported)
            {
                paths.Add(KernelPath.Avx2);
            }

            paths.Add(KernelPath.Portable);
            return [.. paths];
        }
    }

    /// <summary>Normal weights and biases; inputs normal (negative values: a zero point) or, with <paramref name="relu"/>, max(0, normal) as after a ReLU layer.</summary>
    private static (float[] W, float[] B, float[] X) Data(int inputs, int units, int rows, int seed, bool relu)
    {
        var random = new SeededRandom(seed);
        float[] w = new float[inputs * units], b = new float[units], x = new float[rows * inputs];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = (float)random.NextNormal();
        }

        for (int i = 0; i < b.Length; i++)
        {
            b[i] = (float)random.NextNormal();
        }

        for (int i = 0; i < x.Length; i++)
        {
            float v = (float)random.NextNormal();
            x[i] = relu ? MathF.Max(v, 0) : v;
        }

        return (w, b, x);
    }

    private static float[] Pack(float[] w, float[] b, int inputs, int units)
    {
        float[] packed = new float[PackedDense.PackedLengthInt8(inputs, units)];
        PackedDense.PackInt8(w, b, inputs, units, packed);
        return packed;
    }

    private static float[] Run(KernelPath path, float[] packed, int inputs, int units, float[] x, int rows)
    {
        var y = new float[(rows * units) + 1];
        y[^1] = 12345f; // one value past the last row, which no kernel may touch
        Call(path, packed, inputs, units, x, y, rows);
        Assert.Equal(12345f, y[^1]);
        return y[..^1];
    }

    private static void Call(KernelPath path, float[] packed, int inputs, int units, float[] x, float[] y, int rows)
    {
        if (path == KernelPath.Portable)
        {
            PackedDense.Int8Portable(ref packed[0], inputs, units, ref x[0], ref y[0], rows, default(Leaky));
        }
        else
        {
            PackedDense.Int8Avx2(ref packed[0], inputs, units, ref x[0], ref y[0], rows, default(Leaky), vnni: path == KernelPath.Vnni, wide: path == KernelPath.Avx512);
        }
    }

    /// <summary>Unit u's scale as documented: largest |w| over 63.</summary>
    private static float WeightScale(float[] w, int inputs, int u)
    {
        float largest = 0;
        for (int i = 0; i < inputs; i++)
        {
            largest = MathF.Max(largest, MathF.Abs(w[(u * inputs) + i]));
        }

        return largest / WeightLevels;
    }

    private static int Weight(float[] w, int inputs, int u, int i, float scale) =>
        scale > 0 ? (int)Math.Clamp(MathF.Round(w[(u * inputs) + i] / scale, MidpointRounding.ToEven), -WeightLevels, WeightLevels) : 0;

    /// <summary>
    /// A row's quantisation as documented: range [min(0, min x), max(0, max x)]; no negative value: s = max / 127, z = 0;
    /// otherwise s = (max - min) / 127, z = round(-min 127 / (max - min)); a = clamp(round(x 127 / range) + z, 0, 127).
    /// </summary>
    private static (float Scale, int Zero, int[] Levels) Quantise(float[] x, int row, int inputs)
    {
        float min = 0, max = 0;
        for (int i = 0; i < inputs; i++)
        {
            min = Math.Min(min, x[(row * inputs) + i]);
            max = Math.Max(max, x[(row * inputs) + i]);
        }

        float scale, inverse;
        int zero;
        if (min == 0)
        {
            scale = max / InputLevels;
            inverse = max > 0 ? InputLevels / max : 0;
            zero = 0;
        }
        else
        {
            scale = (max - min) / InputLevels;
            inverse = InputLevels / (max - min);
            zero = (int)MathF.Round(-min * inverse);
        }

        int[] levels = new int[inputs];
        for (int i = 0; i < inputs; i++)
        {
            levels[i] = Math.Clamp((int)MathF.Round(x[(row * inputs) + i] * inverse) + zero, 0, InputLevels);
        }

        return (scale, zero, levels);
    }

    [Fact]
    public void PackingScalesEachUnitTo63LevelsAndKeepsItsWeightSum()
    {
        // Unit 0 over 5 inputs: largest |w| 3.9375 = 63 / 16, so its scale is 1/16 exactly; unit 1 is all zero.
        float[] w = { 3.9375f, -1.0f, 0.03125f, 0.09375f, -0.5f, 0, 0, 0, 0, 0 }, b = { 0.5f, -0.25f };
        float[] packed = Pack(w, b, 5, 2);
        Assert.Equal(48 + (4 * 8), packed.Length); // one panel: bias, scale and sum rows, then 8 inputs (5 padded) x 16 bytes
        Assert.Equal(0.5f, packed[0]);
        Assert.Equal(-0.25f, packed[1]);
        Assert.Equal(0.0625f, packed[16]);
        Assert.Equal(0f, packed[17]);
        ReadOnlySpan<sbyte> q = MemoryMarshal.Cast<float, sbyte>(packed.AsSpan(48));
        // Inputs 0-3 of unit 0 side by side, then unit 1's; input 4 starts the next group of 64 bytes.
        Assert.Equal(63, q[0]);  // 3.9375 * 16
        Assert.Equal(-16, q[1]); // -1 * 16
        Assert.Equal(0, q[2]);   // 0.5: ties to even, 0
        Assert.Equal(2, q[3]);   // 1.5: ties to even, 2
        Assert.Equal(-8, q[64]); // input 4
        Assert.Equal(0, q[4]);
        Assert.Equal(63 - 16 + 0 + 2 - 8, MemoryMarshal.Cast<float, int>(packed.AsSpan(32))[0]);
        Assert.Equal(0, MemoryMarshal.Cast<float, int>(packed.AsSpan(32))[1]);
        Assert.Equal(16 * (48 + (4 * 784)), PackedDense.PackedLengthInt8(784, 256));
        Assert.Equal(8 * (48 + (4 * 256)), PackedDense.PackedLengthInt8(256, 128));
    }

    [Fact]
    public void RowQuantisationUsesEveryLevelAndAZeroPointOnlyForNegativeRows()
    {
        // Non-negative row: 0..7.9375 over 127 levels, scale 1/16, no zero point.
        float[] x = { 0, 7.9375f, 3.96875f, 0.03125f, 0.09375f };
        byte[] q = new byte[8];
        (float scale, int zero) = PackedDense.QuantiseRowPortable(ref x[0], 5, 8, InputLevels, ref q[0]);
        Assert.Equal(0.0625f, scale);
        Assert.Equal(0, zero);
        Assert.Equal(new byte[] { 0, 127, 64, 0, 2, 0, 0, 0 }, q); // 63.5 -> 64 (even), 0.5 -> 0 (even), 1.5 -> 2 (even)

        // -1..3: scale 4 / 127, zero point round(127 / 4) = 32, so -1 -> 0 and 3 -> 127.
        float[] y = { -1, 3, 0 };
        (scale, zero) = PackedDense.QuantiseRowPortable(ref y[0], 3, 8, InputLevels, ref q[0]);
        Assert.Equal(4f / 127, scale);
        Assert.Equal(32, zero);
        Assert.Equal(new byte[] { 0, 127, 32, 0, 0, 0, 0, 0 }, q);

        // A NaN or an infinity: NaN scale, zero bytes.
        float[] bad = { 1, float.PositiveInfinity };
        (scale, _) = PackedDense.QuantiseRowPortable(ref bad[0], 2, 8, InputLevels, ref q[0]);
        Assert.True(float.IsNaN(scale));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(8, 16)]
    [InlineData(9, 17)]
    [InlineData(13, 33)]
    [InlineData(40, 70)]
    [InlineData(100, 20)]
    [InlineData(801, 5)]
    public void SumsAreExactAndEqualTheScalarReferenceOnBothPaths(int inputs, int units)
    {
        foreach (bool relu in new[] { false, true })
        {
            foreach (int rows in new[] { 1, 2, 3, 4, 5, 7, 8, 10, 11, 13, 64, 65, 130 })
            {
                (float[] w, float[] b, float[] x) = Data(inputs, units, rows, seed: (inputs * 1000) + units + rows + (relu ? 7 : 0), relu);
                float[] packed = Pack(w, b, inputs, units);
                float[] expected = new float[rows * units];
                for (int r = 0; r < rows; r++)
                {
                    (float scale, int zero, int[] levels) = Quantise(x, r, inputs);
                    if (relu)
                    {
                        Assert.Equal(0, zero);
                    }

                    for (int u = 0; u < units; u++)
                    {
                        float unitScale = WeightScale(w, inputs, u);
                        long sum = 0;
                        for (int i = 0; i < inputs; i++)
                        {
                            sum += (long)Weight(w, inputs, u, i, unitScale) * (levels[i] - zero);
                        }

                        float pre = Fused ? MathF.FusedMultiplyAdd(sum, scale * unitScale, b[u]) : (sum * (scale * unitScale)) + b[u];
                        expected[(r * units) + u] = LeakyOf(pre);
                    }
                }

                string where = $"{inputs} inputs, {units} units, {rows} rows, relu {relu}";
                foreach (KernelPath path in Paths)
                {
                    float[] batch = Run(path, packed, inputs, units, x, rows);
                    Assert.True(expected.AsSpan().SequenceEqual(batch), where + $", {path}");

                    // Each row alone (one-row kernels over groups of 4 panels and single panels) gives its bits in the batch
                    // (tiles of 6 and 4 rows, rows left over, chunks of 64 rows).
                    for (int r = 0; r < rows; r += Math.Max(1, rows / 7))
                    {
                        float[] one = Run(path, packed, inputs, units, x[(r * inputs)..((r + 1) * inputs)], 1);
                        Assert.True(one.AsSpan().SequenceEqual(batch.AsSpan(r * units, units)), where + $", {path}, row {r} alone");
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(13, 33, false)]
    [InlineData(784, 40, true)]
    [InlineData(256, 20, true)]
    [InlineData(50, 20, false)]
    public void OutputsStayWithinTheQuantisationBoundOfFloat(int inputs, int units, bool relu)
    {
        const int RowCount = 20;
        (float[] w, float[] b, float[] x) = Data(inputs, units, RowCount, seed: inputs + units, relu);
        float[] packed = Pack(w, b, inputs, units);
        float[] y = Run(Paths[0], packed, inputs, units, x, RowCount);
        double worstShare = 0;
        for (int r = 0; r < RowCount; r++)
        {
            // Each input is off by at most its row's scale s (half a level from rounding, up to one at a clamped end),
            // each weight by at most half its unit's scale; so |y - y_float| <= Σ (s_u/2 |x| + s |w| + s s_u / 2), before
            // float rounding (1e-5 of the magnitude); the leaky activation's slope is at most 1.
            (float scale, _, _) = Quantise(x, r, inputs);
            for (int u = 0; u < units; u++)
            {
                float unitScale = WeightScale(w, inputs, u);
                double z = b[u], bound = 0, magnitude = Math.Abs(b[u]);
                for (int i = 0; i < inputs; i++)
                {
                    double wi = w[(u * inputs) + i], xi = x[(r * inputs) + i];
                    z += wi * xi;
                    bound += (unitScale / 2.0 * Math.Abs(xi)) + (scale * Math.Abs(wi)) + (scale * unitScale / 2.0);
                    magnitude += Math.Abs(wi * xi);
                }

                double expected = z > 0 ? z : 0.1 * z, error = Math.Abs(y[(r * units) + u] - expected);
                Assert.True(error <= bound + (1e-5 * magnitude), $"row {r}, unit {u}: {y[(r * units) + u]} against {expected}, bound {bound}");
                worstShare = Math.Max(worstShare, error / bound);
            }
        }

        // The copy is quantised: the outputs are not the float layer's.
        Assert.True(worstShare > 1e-6, $"largest error {worstShare} of the bound");
    }

    [Fact]
    public void ANonFiniteInputMakesOnlyItsRowNaN()
    {
        (float[] w, float[] b, float[] x) = Data(20, 18, 6, seed: 3, relu: false);
        float[] packed = Pack(w, b, 20, 18);
        float[] clean = Run(Paths[0], packed, 20, 18, x, 6);
        x[(2 * 20) + 5] = float.NaN;
        x[(4 * 20) + 19] = float.NegativeInfinity;
        x[(5 * 20) + 9] = float.PositiveInfinity; // in the first 16 values: AVX2's vector check, not its scalar tail
        float[] y = Run(Paths[0], packed, 20, 18, x, 6);
        for (int r = 0; r < 6; r++)
        {
            for (int u = 0; u < 18; u++)
            {
                if (r is 2 or 4 or 5)
                {
                    Assert.True(float.IsNaN(y[(r * 18) + u]));
                }
                else
                {
                    Assert.Equal(clean[(r * 18) + u], y[(r * 18) + u]);
                }
            }
        }
    }

    [Fact]
    public void NoBytesAreAllocatedAfterTheFirstCallOnEveryPath()
    {
        (float[] w, float[] b, float[] x) = Data(300, 40, 70, seed: 9, relu: false);
        float[] packed = Pack(w, b, 300, 40);
        float[] y = new float[70 * 40];
        foreach (KernelPath path in Paths)
        {
            void Call(int rows) => Int8KernelTests.Call(path, packed, 300, 40, x, y, rows);

            Call(1); // the thread's quantisation buffer comes here, at its full size for this layer
            Call(70);
            Call(5);
            AllocationProbe.AssertNone(() =>
            {
                for (int i = 0; i < 20; i++)
                {
                    Call(1);
                    Call(70);
                    Call(5);
                }
            });
        }
    }
}
