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
/// and the packing's rounding against values worked out by hand.
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

    /// <summary>The weights as the packed copy holds them: bfloat16 values.</summary>
    private static double Weight(float[] w, int inputs, int u, int i) => PackedDense.FromBFloat16(PackedDense.ToBFloat16(w[(u * inputs) + i]));

    private static float[] Run(int bits, float[] packed, int inputs, int units, float[] x, int rows)
    {
        var y = new float[(rows * units) + 1];
        y[^1] = 12345f; // one value past the last row, which no kernel may touch
        ref float p = ref packed[0];
        if (bits == 128)
        {
            PackedDense.Reduced128<PackedDense.BFloat16Rows, Leaky>(ref p, inputs, units, ref x[0], ref y[0], rows, default);
        }
        else
        {
            PackedDense.Reduced256<PackedDense.BFloat16Rows, Leaky>(ref p, inputs, units, ref x[0], ref y[0], rows, default);
        }

        Assert.Equal(12345f, y[^1]);
        return y[..^1];
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(13, 33)]
    [InlineData(40, 130)]
    public void MatchesTheDoubleLoopAtBothWidthsForEveryRowCount(int inputs, int units)
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

            // Each row alone gives the bits it gets inside the batch (tiles of 4; from PackedDense.DecodedRows rows the float
            // tiles of 6 and 4 over the widened panel; groups of 4 panels, single panels).
            for (int r = 0; r < rows; r++)
            {
                float[] one = Run(256, packed, inputs, units, x[(r * inputs)..((r + 1) * inputs)], 1);
                Assert.Equal(one, y256[(r * units)..((r + 1) * units)]);
            }
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
