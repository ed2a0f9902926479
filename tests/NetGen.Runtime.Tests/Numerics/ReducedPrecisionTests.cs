using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using NetGen.Numerics;

namespace NetGen.Runtime.Tests.Numerics;

/// <summary>
/// The bfloat16 packed kernels (int8 has its own integer kernel: Int8KernelTests) at both widths they
/// run (Vector256 where accelerated, Vector128 as the portable path; each called directly here): against a
/// double-precision loop over the weights as the copy holds them, bit for bit across widths, tiles and row counts,
/// and the packing's rounding against values worked out by hand and against a scan of every upper half.
/// </summary>
public class ReducedPrecisionTests
{
    private readonly struct Leaky : IVectorActivation<float>
    {
        public Vector128<float> Apply(Vector128<float> z) => Vector128.ConditionalSelect(Vector128.GreaterThan(z, Vector128<float>.Zero), z, z * 0.1f);

        public Vector256<float> Apply(Vector256<float> z) => Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256<float>.Zero), z, z * 0.1f);

        public Vector512<float> Apply(Vector512<float> z) => Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<float>.Zero), z, z * 0.1f);
    }

    private static bool Fused => Fma.IsSupported || AdvSimd.IsSupported;

    [Theory]
    [InlineData(1.0f, (ushort)0x3F80)]
    [InlineData(-2.0f, (ushort)0xC000)]
    [InlineData(0.0f, (ushort)0x0000)]
    [InlineData(float.PositiveInfinity, (ushort)0x7F80)]
    [InlineData(float.NegativeInfinity, (ushort)0xFF80)]
    public void BFloat16KeepsExactValues(float value, ushort expected)
    {
        Assert.Equal(expected, PackedDense.ToBFloat16(value));
        Assert.Equal(value, PackedDense.FromBFloat16(expected));
    }

    [Fact]
    public void BFloat16RoundsToNearestTiesToEven()
    {
        // 1 + 2^-8 lies halfway between 1 (0x3F80, even) and 1 + 2^-7 (0x3F81): ties go to the even one.
        Assert.Equal((ushort)0x3F80, PackedDense.ToBFloat16(1f + MathF.Pow(2, -8)));
        // 1 + 3 * 2^-8 lies halfway between 0x3F81 (odd) and 0x3F82 (even).
        Assert.Equal((ushort)0x3F82, PackedDense.ToBFloat16(1f + (3 * MathF.Pow(2, -8))));
        // Just above halfway rounds up; just below rounds down.
        Assert.Equal((ushort)0x3F81, PackedDense.ToBFloat16(BitConverter.UInt32BitsToSingle(0x3F808001)));
        Assert.Equal((ushort)0x3F80, PackedDense.ToBFloat16(BitConverter.UInt32BitsToSingle(0x3F807FFF)));
        Assert.True(float.IsNaN(PackedDense.FromBFloat16(PackedDense.ToBFloat16(float.NaN))));
        // The largest float rounds past bfloat16's largest finite value (0x7F7F) to infinity.
        Assert.Equal((ushort)0x7F80, PackedDense.ToBFloat16(float.MaxValue));
    }

    private static (float[] W, float[] B, float[] X) Data(int inputs, int units, int rows, int seed)
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
            x[i] = (float)random.NextNormal();
        }

        return (w, b, x);
    }

    /// <summary>
    /// The weights as the packed copy holds them: units 0-7 of each panel bfloat16 values, units 8-15 the float nearest
    /// the weight with unit j's bfloat16 as its low 16 bits (found here by a scan of nearby upper halves).
    /// </summary>
    private static double Weight(float[] w, int inputs, int u, int i)
    {
        if (u % 16 < 8)
        {
            return PackedDense.FromBFloat16(PackedDense.ToBFloat16(w[(u * inputs) + i]));
        }

        ushort low = PackedDense.ToBFloat16(w[((u - 8) * inputs) + i]);
        float value = w[(u * inputs) + i];
        int upper = (int)((BitConverter.SingleToUInt32Bits(value) >> 16) & 0x7FFF);
        return BitConverter.UInt32BitsToSingle(Nearest(value, low, Math.Max(0, upper - 8), Math.Min(0x7FFF, upper + 8)));
    }

    /// <summary>
    /// The float with low bits <paramref name="low"/> nearest <paramref name="value"/> among the upper halves of magnitude
    /// <paramref name="from"/> to <paramref name="to"/> and the smallest normal one, either sign, finite, zero or normal
    /// (zero only with low bits 0); ties to the even upper half.
    /// </summary>
    private static uint Nearest(float value, ushort low, int from, int to)
    {
        uint best = 0, own = BitConverter.SingleToUInt32Bits(value) & 0x8000_0000u;
        int bestMagnitude = -1;
        double bestError = double.PositiveInfinity;
        uint[] signs = { own, own ^ 0x8000_0000u };
        for (int m = from; m <= to + 1; m++)
        {
            int magnitude = m > to ? 0x0080 : m;
            foreach (uint sign in signs)
            {
                uint pattern = sign | ((uint)magnitude << 16) | low;
                float candidate = BitConverter.UInt32BitsToSingle(pattern);
                if (!float.IsFinite(candidate) || float.IsSubnormal(candidate) || (candidate == 0 && sign != own))
                {
                    continue;
                }

                // Ties: the even upper half; between the two signs of one magnitude (a zero value), the value's own sign.
                double error = Math.Abs((double)candidate - value);
                if (error < bestError || (error == bestError && (magnitude & 1) == 0 && magnitude != bestMagnitude))
                {
                    best = pattern;
                    bestError = error;
                    bestMagnitude = magnitude;
                }
            }
        }

        return best;
    }

    [Theory]
    [InlineData(1.0f, (ushort)0x3FC0, 0x3F80_3FC0u)] // 1 + 0x3FC0 x 2^-23 = 1.00195; below 1, 0x3F7F3FC0 = 0.99707
    [InlineData(1.0f, (ushort)0x0000, 0x3F80_0000u)] // exact
    [InlineData(-2.0f, (ushort)0xFFFF, 0xBFFF_FFFFu)] // -1.99999988 (0xC000FFFF, -2.0156, is farther)
    [InlineData(0.0f, (ushort)0x0000, 0x0000_0000u)] // exact zero with low bits 0
    [InlineData(0.0f, (ushort)0x1234, 0x0080_1234u)] // no subnormal: 2^-126 x (1 + 0x1234 x 2^-23)
    [InlineData(float.PositiveInfinity, (ushort)0x3F80, 0x7F7F_3F80u)] // the largest finite float with these low bits
    [InlineData(float.NegativeInfinity, (ushort)0x0000, 0xFF80_0000u)] // still infinity with low bits 0
    public void HighUnitsTakeTheNearestFloatWithTheLowUnitsBits(float value, ushort low, uint expected)
    {
        Assert.Equal(expected, PackedDense.WithLowBits(value, low));
    }

    [Fact]
    public void HighUnitsAreAsCloseAsAnyFloatWithThoseLowBits()
    {
        // Against every upper half: the nearest float with the given low bits, and off by at most half a bfloat16 step
        // (2^-8 of the value) for normal values, as rounding to bfloat16 is.
        float[] values = { 1.0f, -2.5f, 3.14159274f, 1e-3f, -0.0f, 1e-40f, 1f + MathF.Pow(2, -8), 65504f, float.MaxValue, -7.3e-20f, 1.5e30f };
        ushort[] lows = { 0x0000, 0x0001, 0x3FC0, 0x8000, 0xFFFF, 0x7F80 };
        foreach (float value in values)
        {
            foreach (ushort low in lows)
            {
                uint bits = PackedDense.WithLowBits(value, low);
                Assert.Equal(Nearest(value, low, 0, 0x7FFF), bits);
                float packed = BitConverter.UInt32BitsToSingle(bits);
                Assert.Equal((ushort)(bits & 0xFFFF), low);
                if (float.IsNormal(value) && MathF.Abs(value) < 3e38f)
                {
                    Assert.True(Math.Abs((double)packed - value) <= Math.Pow(2, -8) * Math.Abs(value), $"{value} with low bits {low:X4}: {packed}");
                }
            }
        }

        Assert.True(float.IsNaN(BitConverter.UInt32BitsToSingle(PackedDense.WithLowBits(float.NaN, 0x1234))));
    }

    [Fact]
    public void OneShiftDecodesBothHalvesOfAPanel()
    {
        // One input, 16 units: unit j's weight is j + 1 (bfloat16-exact), unit 8 + j's 1 / (j + 1). With x = 1 and no
        // bias each output is its weight as the copy holds it.
        float[] w = new float[16];
        for (int j = 0; j < 8; j++)
        {
            w[j] = j + 1;
            w[8 + j] = 1f / (j + 1);
        }

        float[] packed = new float[PackedDense.PackedLengthBFloat16(1, 16)];
        PackedDense.PackBFloat16(w, default, 1, 16, packed);
        foreach (int bits in new[] { 128, 256, 512 })
        {
            float[] y = Run(bits, packed, 1, 16, new[] { 1f }, 1);
            for (int j = 0; j < 8; j++)
            {
                Assert.Equal(j + 1f, y[j]);
                Assert.Equal(BitConverter.UInt32BitsToSingle(Nearest(1f / (j + 1), PackedDense.ToBFloat16(j + 1f), 0, 0x7FFF)), y[8 + j]);
                Assert.True(Math.Abs(y[8 + j] - (1.0 / (j + 1))) <= Math.Pow(2, -8) / (j + 1));
            }
        }
    }

    private static float[] Run(int bits, float[] packed, int inputs, int units, float[] x, int rows)
    {
        var y = new float[(rows * units) + 1];
        y[^1] = 12345f; // one value past the last row, which no kernel may touch
        ref float p = ref packed[0];
        if (bits == 128)
        {
            PackedDense.Reduced128<PackedDense.BFloat16Rows, Leaky>(ref p, inputs, units, ref x[0], ref y[0], rows, default);
        }
        else if (bits == 256)
        {
            PackedDense.Reduced256<PackedDense.BFloat16Rows, Leaky>(ref p, inputs, units, ref x[0], ref y[0], rows, default);
        }
        else
        {
            PackedDense.Reduced512<PackedDense.BFloat16Rows, Leaky>(ref p, inputs, units, ref x[0], ref y[0], rows, default);
        }

        Assert.Equal(12345f, y[^1]);
        return y[..^1];
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(13, 33)]
    [InlineData(40, 130)]
    [InlineData(5, 120)]
    [InlineData(3, 200)]
    [InlineData(9, 256)]
    public void MatchesTheDoubleLoopAtEveryWidthForEveryRowCount(int inputs, int units)
    {
        foreach (int rows in new[] { 1, 2, 5, 6, 7, 11, 12, 13, 19, 22, 64 })
        {
            (float[] w, float[] b, float[] x) = Data(inputs, units, rows, seed: (inputs * 1000) + units + rows);
            float[] packed = new float[PackedDense.PackedLengthBFloat16(inputs, units)];
            PackedDense.PackBFloat16(w, b, inputs, units, packed);

            float[] y256 = Run(256, packed, inputs, units, x, rows);
            for (int r = 0; r < rows; r++)
            {
                for (int u = 0; u < units; u++)
                {
                    double z = b[u], magnitude = Math.Abs(b[u]);
                    for (int i = 0; i < inputs; i++)
                    {
                        double term = Weight(w, inputs, u, i) * x[(r * inputs) + i];
                        z += term;
                        magnitude += Math.Abs(term);
                    }

                    double expected = z > 0 ? z : 0.1 * z;
                    Assert.True(Math.Abs(y256[(r * units) + u] - expected) <= 1e-6 * (inputs + 2) * magnitude + 1e-30,
                        $"rows {rows}, row {r}, unit {u}: {y256[(r * units) + u]} against {expected}");
                }
            }

            float[] y128 = Run(128, packed, inputs, units, x, rows);
            if (Fused)
            {
                Assert.Equal(y256, y128);
            }

            // 512 bits: groups of 8 panels loaded in pairs (one row, and the rows a batch leaves over); the same bits.
            Assert.Equal(y256, Run(512, packed, inputs, units, x, rows));

            // Each row alone gives the bits it gets inside the batch (tiles of 4; from PackedDense.DecodedRows rows the float
            // tiles of 6 and 4 over the widened panel; groups of 8 or 4 panels, single panels).
            for (int r = 0; r < rows; r++)
            {
                float[] one = Run(256, packed, inputs, units, x[(r * inputs)..((r + 1) * inputs)], 1);
                Assert.Equal(one, y256[(r * units)..((r + 1) * units)]);
                Assert.Equal(one, Run(512, packed, inputs, units, x[(r * inputs)..((r + 1) * inputs)], 1));
            }
        }
    }

    [Fact]
    public void OneRowOfALargeLayerGivesTheSameBitsAtEveryWidthInEitherPanelOrder()
    {
        // 784 -> 200: 13 panels (a group of 8, one of 4, a partial single panel), 314 KB, over PackedDense.AlternateBytes,
        // so one-row calls take the panels last to first on every other call.
        const int inputs = 784, units = 200;
        (float[] w, float[] b, float[] x) = Data(inputs, units, 1, seed: 784200);
        float[] packed = new float[PackedDense.PackedLengthBFloat16(inputs, units)];
        PackedDense.PackBFloat16(w, b, inputs, units, packed);
        Assert.True(packed.Length * sizeof(float) > PackedDense.AlternateBytes);
        float[] expected = Run(Fused ? 128 : 256, packed, inputs, units, x, 1);
        for (int call = 0; call < 3; call++)
        {
            Assert.Equal(expected, Run(512, packed, inputs, units, x, 1));
            Assert.Equal(expected, Run(256, packed, inputs, units, x, 1));
        }
    }

    [Fact]
    public void ReducedCopiesAreSmaller()
    {
        // 784 -> 256: float 4 bytes per weight, bfloat16 2 (int8: Int8KernelTests).
        Assert.Equal(16 * 785 * 16, PackedDense.PackedLength<float>(784, 256));
        Assert.Equal(16 * (16 + (8 * 784)), PackedDense.PackedLengthBFloat16(784, 256));
    }
}
