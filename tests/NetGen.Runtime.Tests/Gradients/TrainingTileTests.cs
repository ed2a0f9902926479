using System;
using System.Linq;
using NetGen;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>PReLU (δ row by row, with the slope's gradient), tanh, and an unfused softmax (its row Jacobian); 9 inputs and 13, 6, 5 units fit no vector width.</summary>
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(9)]
[Dense(13, Activation.PReLU)]
[Dense(6, Activation.Tanh)]
[Dense(5, Activation.Softmax)]
public partial class TileGradientNet { }

/// <summary>Two dropout layers: training draws both layers' masks row after row before the forward pass, so they come in row order.</summary>
[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)]
[Input(6)]
[Dense(10, Activation.Tanh)]
[Dropout(0.2)]
[Dense(9, Activation.ReLU)]
[Dropout(0.1)]
[Dense(3, Activation.Softmax)]
public partial class TwoDropoutTileNet { }

/// <summary>
/// Backpropagation runs tiles of up to 32 rows, 128 for narrow networks (these three). A batch's gradient must be the
/// mean of its rows' gradients whatever the number of rows: fewer than a tile, one tile, a tile and a remainder,
/// remainders that are not a multiple of the 4-row blocks.
/// </summary>
public class TrainingTileTests
{
    [Theory]
    [InlineData(nameof(TileGradientNet), 1)]
    [InlineData(nameof(TileGradientNet), 3)]
    [InlineData(nameof(TileGradientNet), 5)]
    [InlineData(nameof(TileGradientNet), 31)]
    [InlineData(nameof(TileGradientNet), 32)]
    [InlineData(nameof(TileGradientNet), 33)]
    [InlineData(nameof(TileGradientNet), 70)]
    [InlineData(nameof(TileGradientNet), 128)] // one whole tile
    [InlineData(nameof(TileGradientNet), 129)] // a tile and one row
    [InlineData(nameof(TileGradientNet), 300)] // two tiles and a remainder
    [InlineData(nameof(TwoDropoutTileNet), 7)]
    [InlineData(nameof(TwoDropoutTileNet), 37)]
    [InlineData(nameof(TwoDropoutTileNet), 150)] // dropout's path, a tile and a remainder
    [InlineData("GradTanhCe", 67)]
    [InlineData("GradTanhCe", 200)]
    [Trait("Category", "VectorWidth")]
    public void BatchGradientIsTheMeanOfTheRowGradients(string networkName, int rows)
    {
        ITrainableNetwork<double> net = GradientCheckTests.Create(networkName);
        var random = new SeededRandom(rows);
        double[] inputs = new double[rows * net.InputSize];
        double[] targets = new double[rows * net.OutputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = random.NextNormal();
        }

        for (int r = 0; r < rows; r++)
        {
            targets[(r * net.OutputSize) + random.NextInt(net.OutputSize)] = 1;
        }

        double[] batch = new double[net.ParameterCount];
        double batchLoss = net.ComputeGradients(inputs, targets, batch);

        // Each row alone (a tile of one row), then the mean: the same quantity, rounded differently.
        double[] mean = new double[net.ParameterCount];
        double[] one = new double[net.ParameterCount];
        double lossSum = 0;
        for (int r = 0; r < rows; r++)
        {
            lossSum += net.ComputeGradients(inputs.AsSpan(r * net.InputSize, net.InputSize), targets.AsSpan(r * net.OutputSize, net.OutputSize), one);
            for (int i = 0; i < one.Length; i++)
            {
                mean[i] += one[i] / rows;
            }
        }

        Assert.Equal(lossSum / rows, batchLoss, 1e-13);
        for (int i = 0; i < mean.Length; i++)
        {
            double error = Math.Abs(batch[i] - mean[i]);
            Assert.True(error <= (1e-12 * Math.Abs(mean[i])) + 1e-15, $"{networkName}, {rows} rows: parameter {i}: batch {batch[i]:R}, mean of rows {mean[i]:R}");
        }

        Assert.Contains(batch, g => Math.Abs(g) > 1e-6);

        // Again, after the single rows left their gradients in the network's buffer: every value is written anew.
        double[] again = new double[net.ParameterCount];
        Assert.Equal(BitConverter.DoubleToInt64Bits(batchLoss), BitConverter.DoubleToInt64Bits(net.ComputeGradients(inputs, targets, again)));
        Assert.Equal(batch.Select(BitConverter.DoubleToInt64Bits), again.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void TrainingWithTwoDropoutLayersIsRepeatable()
    {
        double[] Train()
        {
            var net = new TwoDropoutTileNet(seed: 4);
            var random = new SeededRandom(8);
            double[] inputs = new double[45 * TwoDropoutTileNet.InputSize];
            int[] labels = new int[45];
            for (int i = 0; i < inputs.Length; i++)
            {
                inputs[i] = random.NextNormal();
            }

            for (int r = 0; r < labels.Length; r++)
            {
                labels[r] = random.NextInt(TwoDropoutTileNet.OutputSize);
            }

            for (int step = 0; step < 5; step++)
            {
                net.TrainBatch(inputs, labels);
            }

            return net.Parameters.ToArray();
        }

        double[] first = Train();
        Assert.Equal(first, Train());
        Assert.NotEqual(new TwoDropoutTileNet(seed: 4).Parameters.ToArray(), first);
    }

    /// <summary>
    /// The dropout masks come from one stream, row after row and in each row layer after layer, whatever the tile: with
    /// learning rate 0 (the parameters stay put), a batch's gradient equals the mean of its rows' gradients when each row
    /// is trained alone in the same order, the stream moving on from row to row.
    /// </summary>
    [Theory]
    [InlineData(7)]
    [InlineData(37)]
    [Trait("Category", "VectorWidth")]
    public void DropoutMasksAreDrawnInRowOrderWhateverTheTile(int rows)
    {
        const int Inputs = TwoDropoutTileNet.InputSize, Outputs = TwoDropoutTileNet.OutputSize;
        var random = new SeededRandom(100 + rows);
        double[] inputs = new double[rows * Inputs];
        double[] targets = new double[rows * Outputs];
        int[] labels = new int[rows];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = random.NextNormal();
        }

        for (int r = 0; r < rows; r++)
        {
            labels[r] = random.NextInt(Outputs);
            targets[(r * Outputs) + labels[r]] = 1;
        }

        var batchNet = new TwoDropoutTileNet(seed: 3) { LearningRate = 0 };
        batchNet.TrainBatch(inputs, labels);
        double[] batch = batchNet.LastGradients.ToArray();

        var rowNet = new TwoDropoutTileNet(seed: 3) { LearningRate = 0 };
        double[] mean = new double[TwoDropoutTileNet.ParameterCount];
        for (int r = 0; r < rows; r++)
        {
            rowNet.TrainBatch(inputs.AsSpan(r * Inputs, Inputs), labels.AsSpan(r, 1));
            for (int i = 0; i < mean.Length; i++)
            {
                mean[i] += rowNet.LastGradients[i] / rows;
            }
        }

        Assert.Equal(new TwoDropoutTileNet(seed: 3).Parameters.ToArray(), rowNet.Parameters.ToArray());
        for (int i = 0; i < mean.Length; i++)
        {
            double error = Math.Abs(batch[i] - mean[i]);
            Assert.True(error <= (1e-12 * Math.Abs(mean[i])) + 1e-15, $"{rows} rows: parameter {i}: batch {batch[i]:R}, mean of rows {mean[i]:R}");
        }

        // The masks dropped something: without dropout (ComputeGradients) the same batch has another gradient.
        double[] plain = new double[TwoDropoutTileNet.ParameterCount];
        new TwoDropoutTileNet(seed: 3).ComputeGradients(inputs, targets, plain);
        Assert.Contains(Enumerable.Range(0, plain.Length), i => Math.Abs(plain[i] - batch[i]) > 1e-6);
    }
}
