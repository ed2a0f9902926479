using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using NetGen.Numerics;

namespace NetGen.Runtime.Tests.Numerics;

/// <summary>
/// The packed dense kernel at every width (128, 256 and 512 bits; the widths this CPU lacks run emulated): against a
/// double-precision loop over PyTorch's layout, and bit for bit against itself across widths, tile shapes and row counts.
/// </summary>
public class PackedDenseTests
{
    private readonly struct Identity : IVectorActivation<float>, IVectorActivation<double>
    {
        public Vector128<float> Apply(Vector128<float> z) => z;

        public Vector256<float> Apply(Vector256<float> z) => z;

        public Vector512<float> Apply(Vector512<float> z) => z;

        public Vector128<double> Apply(Vector128<double> z) => z;

        public Vector256<double> Apply(Vector256<double> z) => z;

        public Vector512<double> Apply(Vector512<double> z) => z;
    }

    /// <summary>z for z &gt; 0, 0.1 z otherwise: shows the activation reaches every stored lane, padding excluded.</summary>
    private readonly struct Leaky : IVectorActivation<float>
    {
        public Vector128<float> Apply(Vector128<float> z) => Vector128.ConditionalSelect(Vector128.GreaterThan(z, Vector128<float>.Zero), z, z * 0.1f);

        public Vector256<float> Apply(Vector256<float> z) => Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256<float>.Zero), z, z * 0.1f);

        public Vector512<float> Apply(Vector512<float> z) => Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<float>.Zero), z, z * 0.1f);
    }

    private static bool FusedEverywhere => Fma.IsSupported || AdvSimd.IsSupported;

    private static T[] Run<T, TActivation>(int bits, T[] packed, int inputs, int units, T[] x, int rows, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        // One value past the last row, which no kernel may touch.
        var y = new T[(rows * units) + 1];
        T sentinel = (T)(object)(typeof(T) == typeof(float) ? (object)12345f : 12345d);
        y[^1] = sentinel;
        ref T p = ref packed[0];
        ref T xs = ref x[0];
        ref T ys = ref y[0];
        switch (bits)
        {
            case 128: PackedDense.Forward128(ref p, inputs, units, ref xs, ref ys, rows, activation); break;
            case 256: PackedDense.Forward256(ref p, inputs, units, ref xs, ref ys, rows, activation); break;
            default: PackedDense.Forward512(ref p, inputs, units, ref xs, ref ys, rows, activation); break;
        }

        Assert.Equal(sentinel, y[^1]);
        return y[..^1];
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

    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 3)]
    [InlineData(3, 10)]
    [InlineData(4, 13)]
    [InlineData(9, 23)]
    [InlineData(13, 32)]
    [InlineData(13, 33)]
    [InlineData(7, 100)]
    [InlineData(40, 130)]
    public void MatchesTheDoubleLoopAtEveryWidthForEveryRowCount(int inputs, int units)
    {
        foreach (int rows in new[] { 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 13, 17 })
        {
            (float[] w, float[] b, float[] x) = Data(inputs, units, rows, seed: (inputs * 1000) + units + rows);
            float[] packed = new float[PackedDense.PackedLength<float>(inputs, units)];
            PackedDense.Pack<float>(w, b, inputs, units, packed);
            float[] y256 = Run(256, packed, inputs, units, x, rows, new Leaky());
            for (int r = 0; r < rows; r++)
            {
                for (int u = 0; u < units; u++)
                {
                    double z = b[u], magnitude = Math.Abs(b[u]);
                    for (int i = 0; i < inputs; i++)
                    {
                        z += (double)w[(u * inputs) + i] * x[(r * inputs) + i];
                        magnitude += Math.Abs((double)w[(u * inputs) + i] * x[(r * inputs) + i]);
                    }

                    double expected = z > 0 ? z : 0.1 * z;
                    // Float accumulation over `inputs` terms: a few ulp of the sum of magnitudes.
                    Assert.True(Math.Abs(y256[(r * units) + u] - expected) <= 1e-6 * (inputs + 1) * magnitude + 1e-30,
                        $"rows {rows}, row {r}, unit {u}: {y256[(r * units) + u]} against {expected}");
                }
            }

            float[] y128 = Run(128, packed, inputs, units, x, rows, new Leaky());
            float[] y512 = Run(512, packed, inputs, units, x, rows, new Leaky());
            if (FusedEverywhere)
            {
                Assert.Equal(y256, y128);
                Assert.Equal(y256, y512);
            }
        }
    }

    [Fact]
    public void EachRowOfABatchEqualsTheRowAloneBitForBit()
    {
        const int Inputs = 29, Units = 75, Rows = 23; // 5 panels: groups of 4 and 1; tiles of 6, 4 and single rows
        (float[] w, float[] b, float[] x) = Data(Inputs, Units, Rows, seed: 5);
        float[] packed = new float[PackedDense.PackedLength<float>(Inputs, Units)];
        PackedDense.Pack<float>(w, b, Inputs, Units, packed);
        foreach (int bits in new[] { 128, 256, 512 })
        {
            float[] batch = Run(bits, packed, Inputs, Units, x, Rows, new Identity());
            for (int r = 0; r < Rows; r++)
            {
                float[] one = Run(bits, packed, Inputs, Units, x[(r * Inputs)..((r + 1) * Inputs)], 1, new Identity());
                Assert.Equal(one, batch[(r * Units)..((r + 1) * Units)]);
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(14)]
    [InlineData(15)]
    [InlineData(61)]
    [InlineData(62)]
    [InlineData(63)]
    [InlineData(65)]
    [InlineData(67)]
    public void TheRowsAfterTheWholeTilesGiveTheOneRowBits(int rows)
    {
        // The rows after the last whole 6-row (128 bits: 3-row) tile run in tiles of 2 to 5 rows, 1 to 3 left taking
        // one whole tile with them (7 = 4 + 3, 8 = 4 + 4, 9 = 5 + 4; 128 bits: 4 = 2 + 2): each row must still give
        // its one-row bits, the activation applied to every row the tail tiles store, and nothing written past the end.
        const int Inputs = 37, Units = 45; // 3 panels, the last with 13 units
        (float[] w, float[] b, float[] x) = Data(Inputs, Units, rows, seed: 100 + rows);
        float[] packed = new float[PackedDense.PackedLength<float>(Inputs, Units)];
        PackedDense.Pack<float>(w, b, Inputs, Units, packed);
        foreach (int bits in new[] { 128, 256, 512 })
        {
            float[] batch = Run(bits, packed, Inputs, Units, x, rows, new Leaky());
            for (int r = 0; r < rows; r++)
            {
                float[] one = Run(bits, packed, Inputs, Units, x[(r * Inputs)..((r + 1) * Inputs)], 1, new Leaky());
                Assert.Equal(one, batch[(r * Units)..((r + 1) * Units)]);
            }
        }
    }

    [Fact]
    public void OneRowOverALargeLayerGivesTheBatchBitsInEitherPanelOrder()
    {
        // 7 panels of 701 rows (314,048 bytes): above PackedDense.AlternateBytes, so one-row calls alternate between
        // the panel groups in order (4, 2, 1 or 2, 2, 2, 1) and the same groups last to first; the last panel has 4 units.
        const int Inputs = 700, Units = 100, Rows = 7;
        (float[] w, float[] b, float[] x) = Data(Inputs, Units, Rows, seed: 11);
        float[] packed = new float[PackedDense.PackedLength<float>(Inputs, Units)];
        Assert.True(packed.Length * sizeof(float) > PackedDense.AlternateBytes);
        PackedDense.Pack<float>(w, b, Inputs, Units, packed);
        foreach (int bits in new[] { 128, 256, 512 })
        {
            float[] batch = Run(bits, packed, Inputs, Units, x, Rows, new Leaky());
            for (int r = 0; r < Rows; r++)
            {
                // Three calls per row: both orders at least once for each row, whichever the thread's flag starts with.
                for (int call = 0; call < 3; call++)
                {
                    float[] one = Run(bits, packed, Inputs, Units, x[(r * Inputs)..((r + 1) * Inputs)], 1, new Leaky());
                    Assert.Equal(batch[(r * Units)..((r + 1) * Units)], one);
                }
            }
        }
    }

    /// <summary>tanh through VectorMath, for float and double: the activation SmallRow256 applies to its accumulators.</summary>
    private readonly struct Tanh : IVectorActivation<float>, IVectorActivation<double>
    {
        public Vector128<float> Apply(Vector128<float> z) => VectorMath.Tanh(z);

        public Vector256<float> Apply(Vector256<float> z) => VectorMath.Tanh(z);

        public Vector512<float> Apply(Vector512<float> z) => VectorMath.Tanh(z);

        public Vector128<double> Apply(Vector128<double> z) => VectorMath.Tanh(z);

        public Vector256<double> Apply(Vector256<double> z) => VectorMath.Tanh(z);

        public Vector512<double> Apply(Vector512<double> z) => VectorMath.Tanh(z);
    }

    private static T[] SmallRow<T, TActivation>(T[] packed, int inputs, int units, T[] x, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        var y = new T[units + 1];
        T sentinel = (T)(object)(typeof(T) == typeof(float) ? (object)12345f : 12345d);
        y[^1] = sentinel;
        PackedDense.SmallRow256(ref packed[0], inputs, units, ref x[0], ref y[0], activation);
        Assert.Equal(sentinel, y[^1]);
        return y[..^1];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(13)]
    [InlineData(32)]
    [InlineData(67)]
    public void TheSmallOneRowPathGivesTheBatchBits(int inputs)
    {
        // Every unit count SmallRow256 takes, in float (one vector: 1-8 units, one panel: 9-16, two: 17-32) and double
        // (1-4, 5-8, 9-16), against the same rows inside a batch through Forward256's tiles.
        const int Rows = 3;
        foreach (int units in new[] { 1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 20, 23, 24, 31, 32 })
        {
            (float[] w, float[] b, float[] x) = Data(inputs, units, Rows, seed: (inputs * 100) + units);
            float[] packed = new float[PackedDense.PackedLength<float>(inputs, units)];
            PackedDense.Pack<float>(w, b, inputs, units, packed);
            float[] leaky = Run(256, packed, inputs, units, x, Rows, new Leaky());
            float[] tanh = Run(256, packed, inputs, units, x, Rows, new Tanh());
            for (int r = 0; r < Rows; r++)
            {
                float[] row = x[(r * inputs)..((r + 1) * inputs)];
                Assert.Equal(leaky[(r * units)..((r + 1) * units)], SmallRow(packed, inputs, units, row, new Leaky()));
                Assert.Equal(tanh[(r * units)..((r + 1) * units)], SmallRow(packed, inputs, units, row, new Tanh()));
            }

            if (units > 16)
            {
                continue;
            }

            double[] wd = Array.ConvertAll(w, v => (double)v), bd = Array.ConvertAll(b, v => (double)v), xd = Array.ConvertAll(x, v => (double)v);
            double[] packedDouble = new double[PackedDense.PackedLength<double>(inputs, units)];
            PackedDense.Pack<double>(wd, bd, inputs, units, packedDouble);
            double[] tanhDouble = Run(256, packedDouble, inputs, units, xd, Rows, new Tanh());
            for (int r = 0; r < Rows; r++)
            {
                double[] row = xd[(r * inputs)..((r + 1) * inputs)];
                Assert.Equal(tanhDouble[(r * units)..((r + 1) * units)], SmallRow(packedDouble, inputs, units, row, new Tanh()));
            }
        }
    }

    /// <summary>
    /// One pre-activation as the kernel adds it, in float: a short layer (PackedDense.IsShort) as two chains (the bias and
    /// the even inputs, the odd inputs from zero, then the two), any other layer as one chain from the bias; fused
    /// multiply-adds where the kernel fuses them, else a product and a sum each rounded.
    /// </summary>
    private static float Sum(float[] w, float[] b, float[] x, int inputs, int u, int r, bool twoChains)
    {
        float even = b[u], odd = 0f;
        for (int i = 0; i < inputs; i++)
        {
            float wi = w[(u * inputs) + i], xi = x[(r * inputs) + i];
            ref float chain = ref (twoChains && (i % 2 == 1) ? ref odd : ref even);
            chain = FusedEverywhere ? MathF.FusedMultiplyAdd(xi, wi, chain) : (xi * wi) + chain;
        }

        return twoChains ? even + odd : even;
    }

    [Theory]
    [InlineData(8, 1, true)]
    [InlineData(8, 16, true)]
    [InlineData(9, 17, true)]
    [InlineData(13, 32, true)]
    [InlineData(16, 3, true)]
    [InlineData(32, 16, true)]
    [InlineData(63, 32, true)]
    [InlineData(7, 16, false)]
    [InlineData(64, 16, false)]
    [InlineData(13, 33, false)]
    public void ShortLayersAddTheirInputsInTwoChainsAtEveryWidthAndRowCount(int inputs, int units, bool isShort)
    {
        Assert.Equal(isShort, PackedDense.IsShort<float>(inputs, units));
        const int Rows = 13; // 2 x 6 + 1 at 512 bits, 6 x 2 + 1 at 256, single rows at 128
        (float[] w, float[] b, float[] x) = Data(inputs, units, Rows, seed: (inputs * 100) + units);
        float[] packed = new float[PackedDense.PackedLength<float>(inputs, units)];
        PackedDense.Pack<float>(w, b, inputs, units, packed);
        var expected = new float[Rows * units];
        int differ = 0; // values where the other order gives other bits: the data can tell the two apart
        for (int r = 0; r < Rows; r++)
        {
            for (int u = 0; u < units; u++)
            {
                float z = Sum(w, b, x, inputs, u, r, isShort);
                expected[(r * units) + u] = z > 0 ? z : z * 0.1f;
                differ += z != Sum(w, b, x, inputs, u, r, !isShort) ? 1 : 0;
            }
        }

        Assert.True(differ > 0, "every value the same in either order");
        foreach (int bits in new[] { 128, 256, 512 })
        {
            foreach (int rows in new[] { 1, 2, 3, 5, 6, 7, Rows })
            {
                Assert.Equal(expected[..(rows * units)], Run(bits, packed, inputs, units, x[..(rows * inputs)], rows, new Leaky()));
            }

            for (int r = 0; r < Rows; r++)
            {
                // One row alone: the width's driver for a single row.
                float[] row = x[(r * inputs)..((r + 1) * inputs)];
                Assert.Equal(expected[(r * units)..((r + 1) * units)], Run(bits, packed, inputs, units, row, 1, new Leaky()));
            }
        }

        for (int r = 0; r < Rows; r++)
        {
            // One row through the entry point generated Predict calls (its own one-row method at this process's width).
            var y = new float[units];
            PackedDense.Forward(ref packed[0], inputs, units, ref x[r * inputs], ref y[0], 1, new Leaky());
            Assert.Equal(expected[(r * units)..((r + 1) * units)], y);
        }

        if (units <= 32 && inputs <= PackedDense.SmallRowInputs)
        {
            Assert.Equal(expected[..units], SmallRow(packed, inputs, units, x[..inputs], new Leaky()));
        }
    }

    [Fact]
    public void ShortDoubleLayersAreTwoPanelsOfEightAndAgreeAcrossWidths()
    {
        // Double panels hold 8 units: 16 units are short, 17 are not.
        Assert.True(PackedDense.IsShort<double>(13, 16));
        Assert.False(PackedDense.IsShort<double>(13, 17));
        const int Inputs = 13, Units = 16, Rows = 9;
        (float[] wf, float[] bf, float[] xf) = Data(Inputs, Units, Rows, seed: 77);
        double[] w = Array.ConvertAll(wf, v => (double)v), b = Array.ConvertAll(bf, v => (double)v), x = Array.ConvertAll(xf, v => (double)v);
        double[] packed = new double[PackedDense.PackedLength<double>(Inputs, Units)];
        PackedDense.Pack<double>(w, b, Inputs, Units, packed);
        double[] y = Run(256, packed, Inputs, Units, x, Rows, new Identity());
        for (int r = 0; r < Rows; r++)
        {
            for (int u = 0; u < Units; u++)
            {
                double even = b[u], odd = 0;
                for (int i = 0; i < Inputs; i++)
                {
                    double product = w[(u * Inputs) + i] * x[(r * Inputs) + i];
                    if (i % 2 == 0)
                    {
                        even = FusedEverywhere ? Math.FusedMultiplyAdd(x[(r * Inputs) + i], w[(u * Inputs) + i], even) : product + even;
                    }
                    else
                    {
                        odd = FusedEverywhere ? Math.FusedMultiplyAdd(x[(r * Inputs) + i], w[(u * Inputs) + i], odd) : product + odd;
                    }
                }

                Assert.Equal(even + odd, y[(r * Units) + u]);
            }

            Assert.Equal(y[(r * Units)..((r + 1) * Units)], Run(256, packed, Inputs, Units, x[(r * Inputs)..((r + 1) * Inputs)], 1, new Identity()));
        }

        Assert.Equal(y, Run(128, packed, Inputs, Units, x, Rows, new Identity()));
        Assert.Equal(y, Run(512, packed, Inputs, Units, x, Rows, new Identity()));
    }

    [Fact]
    public void DoubleLayersMatchTheLoopAndAgreeAcrossWidths()
    {
        const int Inputs = 11, Units = 21, Rows = 8; // panels of 8 doubles: 3, the last with 5 units
        var random = new SeededRandom(3);
        double[] w = new double[Inputs * Units], x = new double[Rows * Inputs];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = random.NextNormal();
        }

        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.NextNormal();
        }

        double[] packed = new double[PackedDense.PackedLength<double>(Inputs, Units)];
        PackedDense.Pack<double>(w, default, Inputs, Units, packed); // no bias
        double[] y = Run(256, packed, Inputs, Units, x, Rows, new Identity());
        for (int r = 0; r < Rows; r++)
        {
            for (int u = 0; u < Units; u++)
            {
                double z = 0;
                for (int i = 0; i < Inputs; i++)
                {
                    z += w[(u * Inputs) + i] * x[(r * Inputs) + i];
                }

                Assert.Equal(z, y[(r * Units) + u], 1e-12);
            }
        }

        if (FusedEverywhere)
        {
            Assert.Equal(y, Run(128, packed, Inputs, Units, x, Rows, new Identity()));
            Assert.Equal(y, Run(512, packed, Inputs, Units, x, Rows, new Identity()));
        }
    }

    [Fact]
    public void PackPutsBiasFirstAndWeightsInputMajorWithZeroPadding()
    {
        // 2 inputs, 17 units: two panels of 16, the second holding unit 16 only.
        float[] w = new float[17 * 2], b = new float[17];
        for (int u = 0; u < 17; u++)
        {
            b[u] = 1000 + u;
            w[(u * 2) + 0] = u;
            w[(u * 2) + 1] = -u;
        }

        float[] packed = new float[PackedDense.PackedLength<float>(2, 17)];
        Assert.Equal(2 * 3 * 16, packed.Length);
        PackedDense.Pack<float>(w, b, 2, 17, packed);
        Assert.Equal(1000f, packed[0]);
        Assert.Equal(1015f, packed[15]);
        Assert.Equal(5f, packed[16 + 5]);     // input 0 of unit 5
        Assert.Equal(-5f, packed[32 + 5]);    // input 1 of unit 5
        Assert.Equal(1016f, packed[48]);      // the second panel's bias row
        Assert.Equal(16f, packed[48 + 16]);
        Assert.Equal(-16f, packed[48 + 32]);
        Assert.Equal(0f, packed[48 + 1]);     // padding
        Assert.Equal(0f, packed[48 + 47]);
        Assert.Equal(16, PackedDense.PanelWidth<float>());
        Assert.Equal(8, PackedDense.PanelWidth<double>());
        Assert.Contains(PackedDense.VectorBits, new[] { 128, 256, 512 });
    }

    [Fact]
    public void PackRejectsSpansOfTheWrongLength()
    {
        float[] packed = new float[PackedDense.PackedLength<float>(2, 3)];
        Assert.Throws<ArgumentException>(() => PackedDense.Pack<float>(new float[5], default, 2, 3, packed));
        Assert.Throws<ArgumentException>(() => PackedDense.Pack<float>(new float[6], new float[2], 2, 3, packed));
        Assert.Throws<ArgumentException>(() => PackedDense.Pack<float>(new float[6], default, 2, 3, new float[packed.Length - 1]));
        Assert.Throws<NotSupportedException>(() => PackedDense.Pack<int>(new int[6], default, 2, 3, new int[packed.Length]));
    }
}
