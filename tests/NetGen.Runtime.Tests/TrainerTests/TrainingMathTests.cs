using System;
using System.Linq;

namespace NetGen.Runtime.Tests.TrainerTests;

/// <summary>
/// The scans Trainer.Fit runs over every batch's gradient (<see cref="TrainingMath"/>): the sum of squares against a
/// double reference at lengths that end in each of its loops (four vectors at a time, one vector, single values), its
/// double fallback when the float sum overflows, and the non-finite checks.
/// </summary>
public class TrainingMathTests
{
    public static TheoryData<int> Lengths() => new() { 1, 3, 7, 8, 15, 16, 17, 31, 63, 64, 65, 129, 1_000, 235_146 };

    private static double Reference(double[] values) => values.Sum(v => v * v);

    [Theory]
    [MemberData(nameof(Lengths))]
    [Trait("Category", "VectorWidth")]
    public void SumOfSquaresMatchesDouble(int length)
    {
        var random = new SeededRandom(length);
        double[] values = Enumerable.Range(0, length).Select(_ => random.NextUniform(-3, 3)).ToArray();
        float[] floats = values.Select(v => (float)v).ToArray();
        double floatReference = Reference(floats.Select(v => (double)v).ToArray());

        // Float sums of positive terms: at most one rounding of 2^-24 per addition, far less on average.
        double floatSum = TrainingMath.SumOfSquares<float>(floats);
        Assert.True(Math.Abs(floatSum - floatReference) <= 1e-6 * floatReference * Math.Max(1, Math.Log2(length)), $"float: {floatSum:R} against {floatReference:R}");
        // Double: the reference is a sum in order, itself rounded once per addition.
        double doubleSum = TrainingMath.SumOfSquares<double>(values), doubleReference = Reference(values);
        Assert.True(Math.Abs(doubleSum - doubleReference) <= 2.3e-16 * length * doubleReference, $"double: {doubleSum:R} against {doubleReference:R}");
    }

    [Fact]
    public void AFloatSumThatOverflowsIsSummedAgainInDouble()
    {
        float[] large = Enumerable.Repeat(3e19f, 100).ToArray(); // each square about 9e38, more than float.MaxValue
        double square = (double)3e19f * 3e19f, sum = TrainingMath.SumOfSquares<float>(large);
        Assert.True(Math.Abs(sum - (100 * square)) <= 1e-14 * 100 * square, $"{sum:R} against {100 * square:R}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(70)]
    [InlineData(99)]
    public void NonFiniteValuesAreFoundWherever(int at)
    {
        float[] values = Enumerable.Range(0, 100).Select(i => i * 0.01f).ToArray();
        Assert.True(TrainingMath.AllFinite<float>(values));
        Assert.Equal(-1, TrainingMath.FirstNonFinite<float>(values));
        values[at] = float.NaN;
        Assert.True(double.IsNaN(TrainingMath.SumOfSquares<float>(values)));
        Assert.False(TrainingMath.AllFinite<float>(values));
        Assert.Equal(at, TrainingMath.FirstNonFinite<float>(values));
        values[at] = float.PositiveInfinity;
        Assert.True(double.IsPositiveInfinity(TrainingMath.SumOfSquares<float>(values)));
        Assert.Equal(at, TrainingMath.FirstNonFinite<float>(values));
    }
}
