using System;
using System.Numerics;
using NetGen.Numerics;
using Xunit;

namespace NetGen.Runtime.Tests.Numerics;

/// <summary>
/// The tile products of backpropagation against plain loops that add one row (or one unit) after another: the same
/// bits for every shape, including rows, units and inputs that are not multiples of the register blocks or of the
/// vector width, at every Vector&lt;T&gt; width the CI reruns.
/// </summary>
public class TrainingKernelsTests
{
    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int rows in new[] { 1, 3, 4, 5, 8, 9, 32 })
        {
            foreach (int units in new[] { 1, 3, 4, 7, 16, 17 })
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

    [Fact]
    public void ShortSpansAreRejected()
    {
        float[] small = new float[5];
        Assert.Throws<ArgumentException>(() => TrainingKernels.AddWeightGradient<float>(new float[6], small, new float[6], 2, 3, 2));
        Assert.Throws<ArgumentException>(() => TrainingKernels.InputGradient<float>(new float[4], new float[6], small, 2, 3, 2));
        Assert.Throws<ArgumentException>(() => TrainingKernels.AddColumnSums<float>(new float[3], small, 2));
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

        // One row after another, as backpropagation row by row adds them.
        for (int r = 0; r < rows; r++)
        {
            for (int u = 0; u < units; u++)
            {
                T d = deltas[(r * units) + u];
                expectedDb[u] += d;
                for (int i = 0; i < inputs; i++)
                {
                    expectedDw[(u * inputs) + i] += d * x[(r * inputs) + i];
                    expectedGIn[(r * inputs) + i] += d * weights[(u * inputs) + i];
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
    }
}
