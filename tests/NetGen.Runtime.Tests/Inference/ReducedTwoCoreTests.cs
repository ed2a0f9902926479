using System;
using System.Linq;
using NetGen;
using NetGen.Numerics;

namespace NetGen.Runtime.Tests.Inference;

/// <summary>
/// A reduced-precision PredictBatch split over two threads (NetGen.Numerics.RowSplit): each thread quantises (int8) or
/// widens (bfloat16) into its own buffer, and the rows come out with the bits Predict gives them one at a time; after
/// the first calls neither thread allocates. The networks, TwoCoreInt8Net and TwoCoreBFloat16Net (TwoCoreNet's shape,
/// 256 rows split over both threads), are declared in TwoCoreTests.cs.
/// </summary>
[Collection(nameof(RowSplit))]
public class ReducedTwoCoreTests
{
    private static float[] Rows(int count, int width, int seed)
    {
        var random = new SeededRandom(seed);
        return Enumerable.Range(0, count * width).Select(_ => (float)random.NextNormal()).ToArray();
    }

    private static float[] RowByRow(INeuralNetwork<float> net, float[] inputs, int rows)
    {
        var outputs = new float[rows * net.OutputSize];
        for (int r = 0; r < rows; r++)
        {
            net.Predict(inputs.AsSpan(r * net.InputSize, net.InputSize), outputs.AsSpan(r * net.OutputSize, net.OutputSize));
        }

        return outputs;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SplitBatchesEqualRowByRowAndAllocateNothingOnEitherThread(bool int8)
    {
        RowSplit.Enabled = true;
        INeuralNetwork<float> net = int8 ? new TwoCoreInt8Net(seed: 21) : new TwoCoreBFloat16Net(seed: 21);
        long chunksBefore = RowSplit.WorkerChunks;
        foreach (int rows in new[] { 163, 256, 1000 })
        {
            float[] inputs = Rows(rows, net.InputSize, rows);
            float[] expected = RowByRow(net, inputs, rows);
            var outputs = new float[rows * net.OutputSize];
            for (int repeat = 0; repeat < 10; repeat++)
            {
                net.PredictBatch(inputs, outputs);
                Assert.Equal(expected, outputs);
            }
        }

        Assert.True(RowSplit.WorkerChunks > chunksBefore, "the worker thread never ran a chunk");

        float[] batch = Rows(256, net.InputSize, 5);
        var results = new float[256 * net.OutputSize];
        long caller = GC.GetAllocatedBytesForCurrentThread();
        long worker = RowSplit.WorkerAllocatedBytes;
        long chunks = RowSplit.WorkerChunks;
        for (int i = 0; i < 50; i++)
        {
            net.PredictBatch(batch, results);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - caller);
        if (RowSplit.WorkerChunks > chunks)
        {
            Assert.Equal(0, RowSplit.WorkerAllocatedBytes - worker);
        }
    }
}
