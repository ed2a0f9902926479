using System;
using NetGen.Numerics;

namespace NetGen.Runtime.Tests.Numerics;

/// <summary>
/// The one-row tiles that skip zero inputs (PackedDense.Sparse.cs) run alone: a non-finite weight packed by any other
/// test turns the skipping off for the whole process, and these tests need it on.
/// </summary>
[CollectionDefinition(nameof(SparseRowCollection), DisableParallelization = true)]
public sealed class SparseRowCollection
{
}

/// <summary>
/// One-row calls over inputs with zeros against the batch tiles, which never skip: the same bits at every width, for
/// float and double, signed zeros included, and a non-finite weight still reaching the output.
/// </summary>
[Collection(nameof(SparseRowCollection))]
public class SparseRowTests
{
    private const int Rows = 7;

    private static T[] Run<T>(int bits, T[] packed, int inputs, int units, T[] x, int rows)
        where T : struct
    {
        var y = new T[rows * units];
        switch (bits)
        {
            case 128: PackedDense.Forward128(ref packed[0], inputs, units, ref x[0], ref y[0], rows, default(IdentityActivation<T>)); break;
            case 256: PackedDense.Forward256(ref packed[0], inputs, units, ref x[0], ref y[0], rows, default(IdentityActivation<T>)); break;
            default: PackedDense.Forward512(ref packed[0], inputs, units, ref x[0], ref y[0], rows, default(IdentityActivation<T>)); break;
        }

        return y;
    }

    /// <summary>
    /// Weights normal with some exact zeros of either sign, one unit all zeros; biases normal, some -0; inputs zero
    /// (+0 and -0 alternately) with probability <paramref name="zeros"/>.
    /// </summary>
    private static (double[] W, double[] B, double[] X) Data(int inputs, int units, double zeros, int seed)
    {
        var random = new SeededRandom(seed);
        double[] w = new double[inputs * units], b = new double[units], x = new double[Rows * inputs];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = i / inputs == 2 ? (i % 2 == 0 ? 0d : -0d) : random.NextDouble() < 0.1 ? (i % 2 == 0 ? 0d : -0d) : random.NextNormal();
        }

        for (int u = 0; u < units; u++)
        {
            b[u] = u % 3 == 0 ? -0d : random.NextNormal();
        }

        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.NextDouble() < zeros ? (i % 2 == 0 ? 0d : -0d) : random.NextNormal();
        }

        return (w, b, x);
    }

    private static float[] Floats(double[] values) => Array.ConvertAll(values, v => (float)v);

    [Theory]
    [InlineData(64, 10)]
    [InlineData(100, 33)]
    [InlineData(300, 70)]
    [InlineData(256, 128)]
    [InlineData(784, 256)]
    public void OneRowWithZeroInputsGivesTheBatchBits(int inputs, int units)
    {
        PackedDense.ForgetNonFiniteWeights();
        foreach (double zeros in new[] { 0.0, 0.3, 0.6, 0.95, 1.0 })
        {
            (double[] w, double[] b, double[] x) = Data(inputs, units, zeros, seed: inputs + units + (int)(zeros * 100));
            float[] packed = new float[PackedDense.PackedLength<float>(inputs, units)];
            PackedDense.Pack<float>(Floats(w), Floats(b), inputs, units, packed);
            double[] packedDouble = new double[PackedDense.PackedLength<double>(inputs, units)];
            PackedDense.Pack<double>(w, b, inputs, units, packedDouble);
            Assert.True(PackedDense.SkipsZeroInputs);
            float[] xf = Floats(x);
            foreach (int bits in new[] { 128, 256, 512 })
            {
                float[] batch = Run(bits, packed, inputs, units, xf, Rows);
                double[] batchDouble = Run(bits, packedDouble, inputs, units, x, Rows);
                for (int r = 0; r < Rows; r++)
                {
                    float[] one = Run(bits, packed, inputs, units, xf[(r * inputs)..((r + 1) * inputs)], 1);
                    double[] oneDouble = Run(bits, packedDouble, inputs, units, x[(r * inputs)..((r + 1) * inputs)], 1);
                    for (int u = 0; u < units; u++)
                    {
                        // Bits, not values: -0 and +0 are equal as numbers.
                        string where = $"{inputs} -> {units}, zeros {zeros}, {bits} bits, row {r}, unit {u}";
                        Assert.True(BitConverter.SingleToInt32Bits(batch[(r * units) + u]) == BitConverter.SingleToInt32Bits(one[u]), where + $": {batch[(r * units) + u]} {one[u]}");
                        Assert.True(BitConverter.DoubleToInt64Bits(batchDouble[(r * units) + u]) == BitConverter.DoubleToInt64Bits(oneDouble[u]), where + " (double)");
                    }
                }
            }
        }
    }

    [Fact]
    public void ASumOfMinusZeroTakesTheDenseTileAndComesOutAsItDoes()
    {
        // Bias -0 and every weight of unit 0 zero: the nonzero inputs' products are -0 (negative inputs times +0 and
        // positive ones times -0), so the skipped zeros alone decide the sign: the dense sum turns -0 into +0 at the
        // first zero input times +0.
        PackedDense.ForgetNonFiniteWeights();
        const int Inputs = 128, Units = 16;
        float[] w = new float[Inputs * Units], b = new float[Units];
        var random = new SeededRandom(5);
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = i < Inputs ? (i % 2 == 0 ? 0f : -0f) : (float)random.NextNormal();
        }

        b[0] = -0f;
        float[] x = new float[Rows * Inputs];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = i % 3 == 0 ? 0f : (i % 2 == 0 ? -1f : 1f) * (float)(1 + random.NextDouble());
        }

        float[] packed = new float[PackedDense.PackedLength<float>(Inputs, Units)];
        PackedDense.Pack<float>(w, b, Inputs, Units, packed);
        foreach (int bits in new[] { 128, 256, 512 })
        {
            float[] batch = Run(bits, packed, Inputs, Units, x, Rows);
            for (int r = 0; r < Rows; r++)
            {
                float[] one = Run(bits, packed, Inputs, Units, x[(r * Inputs)..((r + 1) * Inputs)], 1);
                Assert.Equal(BitConverter.SingleToInt32Bits(batch[r * Units]), BitConverter.SingleToInt32Bits(one[0]));
                Assert.Equal(0, BitConverter.SingleToInt32Bits(one[0])); // +0, not the -0 the nonzero products alone give
            }
        }
    }

    [Fact]
    public void ANonFiniteWeightStopsTheSkippingAndReachesTheOutput()
    {
        PackedDense.ForgetNonFiniteWeights();
        try
        {
            const int Inputs = 100, Units = 20;
            (double[] w, double[] b, double[] x) = Data(Inputs, Units, zeros: 0.5, seed: 9);
            float[] wf = Floats(w), xf = Floats(x);
            wf[(3 * Inputs) + 5] = float.PositiveInfinity; // unit 3, input 5
            for (int r = 0; r < Rows; r++)
            {
                xf[(r * Inputs) + 5] = 0f; // 0 x inf is NaN: every row's unit 3
            }

            float[] packed = new float[PackedDense.PackedLength<float>(Inputs, Units)];
            PackedDense.Pack<float>(wf, Floats(b), Inputs, Units, packed);
            Assert.False(PackedDense.SkipsZeroInputs);
            foreach (int bits in new[] { 128, 256, 512 })
            {
                float[] batch = Run(bits, packed, Inputs, Units, xf, Rows);
                for (int r = 0; r < Rows; r++)
                {
                    float[] one = Run(bits, packed, Inputs, Units, xf[(r * Inputs)..((r + 1) * Inputs)], 1);
                    Assert.True(float.IsNaN(one[3]));
                    Assert.Equal(batch[(r * Units)..((r + 1) * Units)], one);
                }
            }
        }
        finally
        {
            PackedDense.ForgetNonFiniteWeights();
        }
    }
}
