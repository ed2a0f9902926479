using System;
using System.Linq;
using NetGen;

namespace NetGen.Runtime.Tests.Inference;

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam)]
[Input(37)]
[Dense(50, Activation.Tanh)]
[Dense(20, Activation.ReLU)]
[Dense(4, Activation.Softmax)]
public partial class FullWeightsNet { }

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, WeightPrecision = WeightPrecision.BFloat16)]
[Input(37)]
[Dense(50, Activation.Tanh)]
[Dense(20, Activation.ReLU)]
[Dense(4, Activation.Softmax)]
public partial class BFloat16Net { }

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, WeightPrecision = WeightPrecision.Int8)]
[Input(37)]
[Dense(50, Activation.Tanh)]
[Dense(20, Activation.ReLU)]
[Dense(4, Activation.Softmax)]
public partial class Int8Net { }

[Network(WeightPrecision = WeightPrecision.Int8)]
[Input(5)]
[Dense(17, Activation.PReLU)]
[Dense(2, Activation.Linear)]
public partial class Int8SlopeNet { }

/// <summary>
/// [Network(WeightPrecision = ...)]: Predict and PredictBatch read a bfloat16 or int8 copy; Parameters and training
/// keep float; results stay close to the float network's, equal between Predict and PredictBatch, and allocate nothing.
/// </summary>
public class ReducedWeightsTests
{
    private static float[] Rows(int count, int width, int seed)
    {
        var random = new SeededRandom(seed);
        return Enumerable.Range(0, count * width).Select(_ => (float)random.NextNormal()).ToArray();
    }

    private static float[] Batch(INeuralNetwork<float> net, float[] inputs, int rows)
    {
        var outputs = new float[rows * net.OutputSize];
        net.PredictBatch(inputs, outputs);
        return outputs;
    }

    [Theory]
    [InlineData(false, 0.02)]
    [InlineData(true, 0.05)]
    public void OutputsStayCloseToFloatAndPredictEqualsPredictBatch(bool int8, double tolerance)
    {
        const int RowCount = 23;
        var full = new FullWeightsNet(seed: 3);
        INeuralNetwork<float> reduced = int8 ? new Int8Net(seed: 0) : new BFloat16Net(seed: 0);
        full.Parameters.CopyTo(reduced.Parameters);
        float[] inputs = Rows(RowCount, 37, 4);
        float[] expected = Batch(full, inputs, RowCount);
        float[] actual = Batch(reduced, inputs, RowCount);

        // Softmax probabilities: bfloat16 moves each weight by at most 2^-8 relative, int8 by half its unit's scale.
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= tolerance, $"largest probability change {worst}");
        Assert.True(worst > 0, "the reduced copy gave the float network's exact outputs: it is not reduced");

        var row = new float[4];
        for (int r = 0; r < RowCount; r++)
        {
            reduced.Predict(inputs.AsSpan(r * 37, 37), row);
            Assert.Equal(actual.AsSpan(r * 4, 4).ToArray(), row);
        }
    }

    [Fact]
    public void ParametersAndTrainingKeepFloatWeights()
    {
        var full = new FullWeightsNet(seed: 5);
        var reduced = new Int8Net(seed: 0);
        full.Parameters.CopyTo(reduced.Parameters);
        float[] inputs = Rows(8, 37, 6);
        reduced.Predict(inputs.AsSpan(0, 37), new float[4]);
        Assert.Equal(full.Parameters.ToArray(), reduced.Parameters.ToArray());

        // The same training step on both: identical float parameters afterwards, so training never reads the int8 copy.
        int[] labels = { 0, 1, 2, 3, 0, 1, 2, 3 };
        full.TrainBatch(inputs, labels);
        reduced.TrainBatch(inputs, labels);
        Assert.Equal(full.Parameters.ToArray(), reduced.Parameters.ToArray());

        // And the next prediction reads the new weights (the repacked int8 copy).
        float[] after = Batch(reduced, inputs, 8);
        var fresh = new Int8Net(seed: 0);
        reduced.Parameters.CopyTo(fresh.Parameters);
        Assert.Equal(Batch(fresh, inputs, 8), after);
    }

    [Fact]
    public void TheLearnedSlopeStaysFloat()
    {
        var net = new Int8SlopeNet(seed: 2);
        float[] input = Rows(1, 5, 7);
        float[] a = new float[2], b = new float[2];
        net.Predict(input, a);
        net.Parameters[Int8SlopeNet.ParameterCount - 2 - 34 - 1] = 0.9f; // layer 1's slope, after its weights and biases
        net.Predict(input, b);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void NoBytesAreAllocatedPerCall()
    {
        var net = new BFloat16Net(seed: 1);
        var int8 = new Int8Net(seed: 1);
        float[] inputs = Rows(64, 37, 8);
        var outputs = new float[64 * 4];
        for (int i = 0; i < 20; i++)
        {
            net.Predict(inputs.AsSpan(0, 37), outputs.AsSpan(0, 4));
            net.PredictBatch(inputs, outputs);
            int8.Predict(inputs.AsSpan(0, 37), outputs.AsSpan(0, 4));
            int8.PredictBatch(inputs, outputs);
        }

        AllocationProbe.AssertNone(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                net.Predict(inputs.AsSpan(0, 37), outputs.AsSpan(0, 4));
                net.PredictBatch(inputs, outputs);
                int8.Predict(inputs.AsSpan(0, 37), outputs.AsSpan(0, 4));
                int8.PredictBatch(inputs, outputs);
            }
        });
    }
}
