using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using NetGen.Numerics;
using Xunit;

namespace NetGen.Runtime.Tests.Numerics;

/// <summary>
/// The tile products of backpropagation against plain loops that add one row (or one unit) after another (float with
/// one fused multiply-add per product): the same bits for every shape, including rows, units and inputs that are not
/// multiples of the register blocks or of the vector width, at every Vector&lt;T&gt; width the CI reruns.
/// </summary>
public class TrainingKernelsTests
{
    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int rows in new[] { 1, 3, 4, 5, 8, 9, 32 })
        {
            foreach (int units in new[] { 1, 3, 4, 7, 16, 17, 33 })
            {
                foreach (int inputs in new[] { 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 33, 40 })
                {
                    data.Add(rows, units, inputs);
                }
            }
        }

        return data;
    }

    [Theory]
    [Trait("Category", "VectorWidth")]
    [MemberData(nameof(Shapes))]
    public void FloatProductsEqualRowByRowSums(int rows, int units, int inputs) => Check<float>(rows, units, inputs);

    [Theory]
    [Trait("Category", "VectorWidth")]
    [MemberData(nameof(Shapes))]
    public void DoubleProductsEqualRowByRowSums(int rows, int units, int inputs) => Check<double>(rows, units, inputs);

    /// <summary>
    /// Wide float layers (more than 32 units and more than 32 inputs) take the fused kernels: shapes around their register
    /// blocks (6 units or rows by 16 inputs), their groups of 48 units and their 64-row pieces.
    /// </summary>
    public static TheoryData<int, int, int> WideShapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int rows in new[] { 1, 5, 6, 7, 32, 64, 70 })
        {
            foreach (int units in new[] { 33, 36, 40, 48, 49, 100 })
            {
                foreach (int inputs in new[] { 33, 40, 47, 48, 64, 100 })
                {
                    data.Add(rows, units, inputs);
                }
            }
        }

        return data;
    }

    [Theory]
    [Trait("Category", "VectorWidth")]
    [MemberData(nameof(WideShapes))]
    public void WideFloatProductsEqualFusedRowByRowSums(int rows, int units, int inputs) => Check<float>(rows, units, inputs);

    [Theory]
    [Trait("Category", "VectorWidth")]
    [InlineData(7, 40, 47)]
    [InlineData(64, 100, 100)]
    public void WideDoubleProductsKeepTheSeparateMultiplyAndAdd(int rows, int units, int inputs) => Check<double>(rows, units, inputs);

    [Fact]
    public void ShortSpansAreRejected()
    {
        float[] small = new float[5];
        Assert.Throws<ArgumentException>(() => TrainingKernels.AddWeightGradient<float>(new float[6], small, new float[6], 2, 3, 2));
        Assert.Throws<ArgumentException>(() => TrainingKernels.InputGradient<float>(new float[4], new float[6], small, 2, 3, 2));
        Assert.Throws<ArgumentException>(() => TrainingKernels.InputGradient<float, OneMinusSquare<float>>(new float[4], new float[6], new float[6], 2, 3, 2, new float[3], default));
        Assert.Throws<ArgumentException>(() => TrainingKernels.AddColumnSums<float>(new float[3], small, 2));
    }

    public static TheoryData<int, int, int> ForwardShapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int rows in new[] { 1, 4, 5, 6, 7, 8, 13, 32 })
        {
            foreach (int units in new[] { 1, 3, 4, 8, 9, 16, 17, 33 })
            {
                foreach (int inputs in new[] { 1, 4, 13 })
                {
                    data.Add(rows, units, inputs);
                }
            }
        }

        return data;
    }

    /// <summary>
    /// Training's forward (the packed kernel with the identity, then the activation as a pass of its own) gives the bits
    /// of Predict's kernel, which applies the activation to its accumulators; z is the identity kernel's output.
    /// </summary>
    [Theory]
    [Trait("Category", "VectorWidth")]
    [MemberData(nameof(ForwardShapes))]
    public void DenseForwardEqualsThePackedKernelWithItsActivation(int rows, int units, int inputs)
    {
        var random = new SeededRandom((rows * 1000) + (units * 10) + inputs);
        float[] Fill(int length)
        {
            var values = new float[length];
            for (int i = 0; i < length; i++)
            {
                values[i] = (float)random.NextNormal();
            }

            return values;
        }

        float[] weights = Fill(units * inputs), bias = Fill(units), x = Fill(rows * inputs);
        var packed = new float[PackedDense.PackedLength<float>(inputs, units)];
        PackedDense.Pack<float>(weights, bias, inputs, units, packed);
        float[] expectedY = new float[rows * units], expectedZ = new float[rows * units];
        PackedDense.Forward(ref packed[0], inputs, units, ref x[0], ref expectedY[0], rows, default(TanhActivation));
        PackedDense.Forward(ref packed[0], inputs, units, ref x[0], ref expectedZ[0], rows, default(IdentityActivation<float>));

        float[] z = new float[rows * units], y = new float[rows * units];
        TrainingKernels.DenseForward(ref packed[0], inputs, units, ref x[0], ref z[0], ref y[0], rows, default(TanhActivation));
        Assert.Equal(expectedZ, z);
        Assert.Equal(expectedY, y);

        // In place (the layer keeps no z), and the identity with and without a separate z.
        float[] inPlace = new float[rows * units];
        TrainingKernels.DenseForward(ref packed[0], inputs, units, ref x[0], ref inPlace[0], ref inPlace[0], rows, default(TanhActivation));
        Assert.Equal(expectedY, inPlace);
        float[] linearZ = new float[rows * units], linearY = new float[rows * units];
        TrainingKernels.DenseForward(ref packed[0], inputs, units, ref x[0], ref linearZ[0], ref linearY[0], rows, default(IdentityActivation<float>));
        Assert.Equal(expectedZ, linearZ);
        Assert.Equal(expectedZ, linearY);
    }

    /// <summary>
    /// The packed copy training reads before every batch: panel p, row 0 the biases of units 16p..16p+15, row i + 1
    /// their weights for input i, zeros past the last unit (and for a missing bias), whatever the buffer held before.
    /// </summary>
    [Theory]
    [InlineData(1, 1, true)]
    [InlineData(4, 32, true)]
    [InlineData(13, 17, false)]
    [InlineData(3, 40, true)]
    [InlineData(24, 48, true)]
    [InlineData(785, 20, false)]
    public void PackWritesEveryValueOfTheLayout(int inputs, int units, bool hasBias)
    {
        var weights = new float[units * inputs];
        var bias = new float[hasBias ? units : 0];
        for (int k = 0; k < weights.Length; k++)
        {
            weights[k] = k + 1;
        }

        for (int u = 0; u < bias.Length; u++)
        {
            bias[u] = -(u + 1);
        }

        var packed = new float[PackedDense.PackedLength<float>(inputs, units)];
        Array.Fill(packed, float.NaN);
        PackedDense.Pack<float>(weights, bias, inputs, units, packed);
        const int Width = 16;
        int block = (inputs + 1) * Width;
        for (int k = 0; k < packed.Length; k++)
        {
            int panel = k / block, row = (k % block) / Width, lane = k % Width, unit = (panel * Width) + lane;
            float expected = unit >= units ? 0 : row == 0 ? (hasBias ? bias[unit] : 0) : weights[(unit * inputs) + row - 1];
            Assert.Equal(expected, packed[k]);
        }
    }

    /// <summary>Activate applies f lane by lane, the values past the last full vector included (through a padded vector).</summary>
    [Theory]
    [Trait("Category", "VectorWidth")]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(31)]
    [InlineData(67)]
    public void ActivateAppliesTheFunctionToEveryValue(int count)
    {
        var random = new SeededRandom(count);
        var z = new double[count + 1];
        for (int i = 0; i < z.Length; i++)
        {
            z[i] = random.NextNormal() * 3;
        }

        var y = new double[count + 1];
        y[count] = 42; // past the end: untouched
        TrainingKernels.Activate(ref z[0], ref y[0], count, default(DoubleTanhActivation));
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(VectorMath.Tanh(z[i]), y[i]);
        }

        Assert.Equal(42, y[count]);
    }

    private readonly struct TanhActivation : IVectorActivation<float>
    {
        public Vector128<float> Apply(Vector128<float> z) => VectorMath.Tanh(z);

        public Vector256<float> Apply(Vector256<float> z) => VectorMath.Tanh(z);

        public Vector512<float> Apply(Vector512<float> z) => VectorMath.Tanh(z);
    }

    private readonly struct DoubleTanhActivation : IVectorActivation<double>
    {
        public Vector128<double> Apply(Vector128<double> z) => VectorMath.Tanh(z);

        public Vector256<double> Apply(Vector256<double> z) => VectorMath.Tanh(z);

        public Vector512<double> Apply(Vector512<double> z) => VectorMath.Tanh(z);
    }

    private static void Check<T>(int rows, int units, int inputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new SeededRandom((rows * 10_000) + (units * 100) + inputs);
        T[] Fill(int length)
        {
            var values = new T[length];
            for (int i = 0; i < length; i++)
            {
                // Some exact zeros, as ReLU's δ has.
                values[i] = random.NextDouble() < 0.2 ? T.Zero : T.CreateChecked(random.NextNormal());
            }

            return values;
        }

        T[] deltas = Fill(rows * units), x = Fill(rows * inputs), weights = Fill(units * inputs);
        T[] dw = Fill(units * inputs), db = Fill(units);
        T[] expectedDw = (T[])dw.Clone(), expectedDb = (T[])db.Clone();
        var expectedGIn = new T[rows * inputs];

        // One row after another, as backpropagation row by row adds them; float products with one fused multiply-add
        // each, double products with a separate multiply and add (docs/performance.md, "Training kernels").
        bool fused = typeof(T) == typeof(float);
        for (int r = 0; r < rows; r++)
        {
            for (int u = 0; u < units; u++)
            {
                T d = deltas[(r * units) + u];
                expectedDb[u] += d;
                for (int i = 0; i < inputs; i++)
                {
                    ref T dwValue = ref expectedDw[(u * inputs) + i];
                    ref T gValue = ref expectedGIn[(r * inputs) + i];
                    if (fused)
                    {
                        dwValue = T.FusedMultiplyAdd(d, x[(r * inputs) + i], dwValue);
                        gValue = T.FusedMultiplyAdd(d, weights[(u * inputs) + i], gValue);
                    }
                    else
                    {
                        dwValue += d * x[(r * inputs) + i];
                        gValue += d * weights[(u * inputs) + i];
                    }
                }
            }
        }

        TrainingKernels.AddColumnSums<T>(db, deltas, rows);
        TrainingKernels.AddWeightGradient<T>(dw, deltas, x, rows, units, inputs);
        T[] gIn = Fill(rows * inputs); // overwritten
        TrainingKernels.InputGradient<T>(gIn, deltas, weights, rows, units, inputs);

        Assert.Equal(expectedDb, db);
        Assert.Equal(expectedDw, dw);
        Assert.Equal(expectedGIn, gIn);

        // With the layer below's f' (tanh's 1 - y², y = this layer's inputs): each value is the sum above times f'.
        var expectedDelta = new T[rows * inputs];
        for (int k = 0; k < expectedDelta.Length; k++)
        {
            expectedDelta[k] = expectedGIn[k] * (T.One - (x[k] * x[k]));
        }

        T[] delta = Fill(rows * inputs); // overwritten
        TrainingKernels.InputGradient<T, OneMinusSquare<T>>(delta, deltas, weights, rows, units, inputs, x, default);
        Assert.Equal(expectedDelta, delta);
    }

    /// <summary>f' = 1 - y², tanh's derivative from its output, as a generated tanh layer's activation struct writes it.</summary>
    private readonly struct OneMinusSquare<T> : IVectorDerivative<T>
        where T : unmanaged, INumberBase<T>
    {
        public T Derivative(T z, T y) => T.One - (y * y);

        public Vector<T> Derivative(Vector<T> z, Vector<T> y) => Vector<T>.One - (y * y);
    }
}
