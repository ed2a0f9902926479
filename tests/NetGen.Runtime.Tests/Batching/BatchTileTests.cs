using System;
using NetGen;

namespace NetGen.Runtime.Tests.Batching;

[Input(37)]
[Dense(19, Activation.PReLU, Alpha = 0.2)]
[Dropout(0.3)]
[Dense(3, Activation.GELU, Bias = false)]
[Dense(5, Activation.Softmax)]
public partial class OddTileNet { }

[Network(Precision = Precision.Double)]
[Input(2)]
[Dense(64, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class NarrowInputTileNet { }

/// <summary>PredictBatch runs tiles of rows together; every row must come out exactly as Predict computes it.</summary>
public class BatchTileTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(11)]
    [InlineData(6)]
    [InlineData(10)]
    [InlineData(13)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(200)]
    [Trait("Category", "VectorWidth")]
    public void BatchRowsEqualSingleRowPredictionsBitForBit(int rows)
    {
        var net = new OddTileNet(seed: 9);
        var random = new SeededRandom(rows);
        net.Parameters[net.Info.Layers[0].SlopeOffset] = 0.2f;
        float[] inputs = new float[rows * OddTileNet.InputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)random.NextNormal();
        }

        float[] batch = new float[rows * OddTileNet.OutputSize];
        net.PredictBatch(inputs, batch);
        float[] single = new float[OddTileNet.OutputSize];
        for (int row = 0; row < rows; row++)
        {
            net.Predict(inputs.AsSpan(row * OddTileNet.InputSize, OddTileNet.InputSize), single);
            Assert.Equal(single, batch.AsSpan(row * OddTileNet.OutputSize, OddTileNet.OutputSize).ToArray());
        }
    }

    [Fact]
    [Trait("Category", "VectorWidth")]
    public void InputsNarrowerThanAVectorUseScalarCodeInTilesToo()
    {
        var net = new NarrowInputTileNet(seed: 2);
        double[] inputs = { 0.5, -1, 2, 0.25, -3, 1, 0, 0, 1.5, -0.5 };
        double[] batch = new double[5];
        net.PredictBatch(inputs, batch);
        double[] single = new double[1];
        for (int row = 0; row < 5; row++)
        {
            net.Predict(inputs.AsSpan(row * 2, 2), single);
            Assert.Equal(single[0], batch[row]);
        }
    }
}
