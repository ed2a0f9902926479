using System;
using System.Linq;
using NetGen;
using NetGen.Numerics;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>6,464 multiply-adds per row: 700 rows hold 4.5 million, enough for TrainingSplit to cut the batch in two.</summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam)]
[Input(64)]
[Dense(64, Activation.ReLU)]
[Dense(32, Activation.Tanh)]
[Dense(10, Activation.Softmax)]
public partial class SplitTrainingNet { }

/// <summary>The same shape in double, for the gradient against the mean of the rows' gradients.</summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, Precision = Precision.Double)]
[Input(64)]
[Dense(64, Activation.ReLU)]
[Dense(32, Activation.Tanh)]
[Dense(10, Activation.Softmax)]
public partial class SplitTrainingDoubleNet { }

/// <summary>
/// TrainBatch and ComputeGradients on two cores (NetGen.Numerics.TrainingSplit, docs/performance.md "Two cores"): the
/// cut depends on the batch only, so the worker on or off gives the same bits; the two halves together are the batch's
/// gradient; nothing is allocated per call. In RowSplit's collection: these tests turn the worker off and on.
/// </summary>
[Collection(nameof(RowSplit))]
public class TrainingSplitTests
{
    private const int Rows = 700;

    private static (float[] Inputs, int[] Labels) Batch(int seed)
    {
        var random = new SeededRandom(seed);
        float[] inputs = Enumerable.Range(0, Rows * 64).Select(_ => (float)random.NextNormal()).ToArray();
        int[] labels = Enumerable.Range(0, Rows).Select(_ => random.NextInt(10)).ToArray();
        return (inputs, labels);
    }

    [Fact]
    public void TheBatchIsCutAtWholeTilesPastHalfAndOnlyWhenLarge()
    {
        Assert.True(TrainingSplit.Splits(Rows, 32, 6464));
        Assert.False(TrainingSplit.Splits(63, 32, 1_000_000)); // fewer than two tiles
        Assert.False(TrainingSplit.Splits(640, 32, 6000)); // too little work
        Assert.Equal(352, TrainingSplit.Cut(Rows, 32));
        Assert.Equal(32, TrainingSplit.Cut(64, 32));
        Assert.Equal(32, TrainingSplit.Cut(65, 32));
        Assert.Equal(64, TrainingSplit.Cut(97, 32));
    }

    [Fact]
    public void TrainingOnTwoCoresGivesTheOneCoreBits()
    {
        (float[] inputs, int[] labels) = Batch(1);
        var one = new SplitTrainingNet(seed: 3);
        var two = new SplitTrainingNet(seed: 3);
        long chunksBefore = RowSplit.WorkerChunks;
        try
        {
            for (int step = 0; step < 5; step++)
            {
                RowSplit.Enabled = false;
                float oneLoss = one.TrainBatch(inputs, labels);
                RowSplit.Enabled = true;
                float twoLoss = two.TrainBatch(inputs, labels);
                Assert.Equal(oneLoss, twoLoss);
                Assert.True(one.LastGradients.SequenceEqual(two.LastGradients), $"step {step}: the gradients differ");
                Assert.True(one.Parameters.SequenceEqual(two.Parameters), $"step {step}: the parameters differ");
            }

            // A loaded machine may schedule the worker late (the caller then runs both halves), but over 20 split calls it
            // must have taken part, or the two-thread path would be untested.
            for (int i = 0; i < 15; i++)
            {
                two.TrainBatch(inputs, labels);
            }

            Assert.True(RowSplit.WorkerChunks > chunksBefore, "the worker thread never ran a half");
        }
        finally
        {
            RowSplit.Enabled = true;
        }
    }

    [Fact]
    public void TheHalvesTogetherAreTheMeanOfTheRowGradients()
    {
        var net = new SplitTrainingDoubleNet(seed: 5);
        var random = new SeededRandom(9);
        double[] inputs = Enumerable.Range(0, Rows * 64).Select(_ => random.NextNormal()).ToArray();
        double[] targets = new double[Rows * 10];
        for (int r = 0; r < Rows; r++)
        {
            targets[(r * 10) + random.NextInt(10)] = 1;
        }

        double[] batch = new double[SplitTrainingDoubleNet.ParameterCount];
        double batchLoss = net.ComputeGradients(inputs, targets, batch);
        double[] mean = new double[batch.Length], one = new double[batch.Length];
        double lossSum = 0;
        for (int r = 0; r < Rows; r++)
        {
            lossSum += net.ComputeGradients(inputs.AsSpan(r * 64, 64), targets.AsSpan(r * 10, 10), one);
            for (int i = 0; i < one.Length; i++)
            {
                mean[i] += one[i] / Rows;
            }
        }

        Assert.Equal(lossSum / Rows, batchLoss, 1e-12);
        for (int i = 0; i < mean.Length; i++)
        {
            Assert.True(Math.Abs(batch[i] - mean[i]) <= (1e-11 * Math.Abs(mean[i])) + 1e-15, $"parameter {i}: batch {batch[i]:R}, mean of rows {mean[i]:R}");
        }
    }

    [Fact]
    public void NoBytesAreAllocatedPerSplitStep()
    {
        RowSplit.Enabled = true;
        (float[] inputs, int[] labels) = Batch(2);
        var net = new SplitTrainingNet(seed: 4);
        for (int i = 0; i < 5; i++)
        {
            net.TrainBatch(inputs, labels); // the second half's buffers, this thread's cached work, the worker
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            net.TrainBatch(inputs, labels);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
