using System;
using System.Linq;
using System.Threading;
using NetGen;

namespace NetGen.Runtime.Tests.Inference;

[Input(21)]
[Dense(40, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01)]
public partial class PackedCopyNet { }

[Input(5)]
[Dense(17, Activation.PReLU)]
[Dense(2, Activation.Linear)]
public partial class PackedSlopeNet { }

/// <summary>
/// Predictions read a packed copy of the parameters (docs/architecture.md): every write path must be seen by the next
/// prediction, and concurrent first predictions after a change must all see the complete copy.
/// </summary>
public class PackedCopyTests
{
    private static float[] Rows(int count, int width, int seed)
    {
        var random = new SeededRandom(seed);
        return Enumerable.Range(0, count * width).Select(_ => (float)random.NextNormal()).ToArray();
    }

    /// <summary>What a network that never predicted before computes from the same parameters.</summary>
    private static float[] Fresh(ReadOnlySpan<float> parameters, float[] inputs, int rows)
    {
        var fresh = new PackedCopyNet(seed: 0);
        parameters.CopyTo(fresh.Parameters);
        float[] outputs = new float[rows * PackedCopyNet.OutputSize];
        fresh.PredictBatch(inputs, outputs);
        return outputs;
    }

    [Fact]
    public void WritesThroughParametersInitializeAndTrainBatchAreSeenByTheNextPrediction()
    {
        const int RowCount = 7;
        var net = new PackedCopyNet(seed: 1);
        float[] inputs = Rows(RowCount, PackedCopyNet.InputSize, 2);
        float[] outputs = new float[RowCount * PackedCopyNet.OutputSize];
        net.PredictBatch(inputs, outputs);
        float[] before = outputs.ToArray();

        // A write through Parameters after a prediction.
        net.Parameters[PackedCopyNet.InputSize * 40] += 0.5f; // the first bias of layer 1
        net.PredictBatch(inputs, outputs);
        Assert.NotEqual(before, outputs);
        Assert.Equal(Fresh(net.Parameters, inputs, RowCount), outputs);

        // Initialize draws new weights.
        net.Initialize(seed: 7);
        net.PredictBatch(inputs, outputs);
        var seven = new PackedCopyNet(seed: 7);
        float[] expected = new float[outputs.Length];
        seven.PredictBatch(inputs, expected);
        Assert.Equal(expected, outputs);

        // An optimizer step between predictions.
        int[] labels = { 0, 1, 2, 0, 1, 2, 0 };
        net.TrainBatch(inputs, labels);
        float[] row = new float[PackedCopyNet.OutputSize];
        net.Predict(inputs.AsSpan(0, PackedCopyNet.InputSize), row);
        float[] trained = Fresh(net.Parameters, inputs, RowCount);
        Assert.NotEqual(expected.AsSpan(0, 3).ToArray(), row);
        Assert.Equal(trained.AsSpan(0, 3).ToArray(), row);
    }

    [Fact]
    public void TheLearnedSlopeTravelsInThePackedCopy()
    {
        var net = new PackedSlopeNet(seed: 3);
        float[] input = Rows(1, PackedSlopeNet.InputSize, 4);
        float[] a = new float[2], b = new float[2];
        net.Predict(input, a);
        int slope = net.Info.Layers[0].SlopeOffset;
        net.Parameters[slope] = -3f; // negative slope: a different output for every unit below zero
        net.Predict(input, b);
        Assert.NotEqual(a, b);

        // The same result from a network that packs these parameters for the first time.
        var fresh = new PackedSlopeNet(seed: 0);
        net.Parameters.CopyTo(fresh.Parameters);
        float[] c = new float[2];
        fresh.Predict(input, c);
        Assert.Equal(c, b);
    }

    [Fact]
    public void ConcurrentFirstPredictionsAfterAChangeAllSeeTheCompleteCopy()
    {
        const int Threads = 8, RowCount = 13;
        var net = new PackedCopyNet(seed: 5);
        float[] inputs = Rows(RowCount, PackedCopyNet.InputSize, 6);
        var random = new SeededRandom(8);
        for (int round = 0; round < 20; round++)
        {
            // Change every parameter (one thread, no prediction running), then race the threads into the repack.
            Span<float> parameters = net.Parameters;
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i] = (float)(0.3 * random.NextNormal());
            }

            float[] expected = Fresh(net.Parameters, inputs, RowCount);
            float[][] results = new float[Threads][];
            using var start = new Barrier(Threads);
            Thread[] threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
            {
                float[] outputs = new float[RowCount * PackedCopyNet.OutputSize];
                start.SignalAndWait();
                net.PredictBatch(inputs, outputs);
                results[t] = outputs;
            })).ToArray();
            foreach (Thread thread in threads)
            {
                thread.Start();
            }

            foreach (Thread thread in threads)
            {
                thread.Join();
            }

            foreach (float[] result in results)
            {
                Assert.Equal(expected, result);
            }
        }
    }

    [Fact]
    public void RepackingAfterAWriteAllocatesNothing()
    {
        var net = new PackedCopyNet(seed: 1);
        float[] inputs = Rows(70, PackedCopyNet.InputSize, 2);
        float[] outputs = new float[70 * PackedCopyNet.OutputSize];
        net.PredictBatch(inputs, outputs); // first calls: the packed copy and this thread's buffers
        net.Predict(inputs.AsSpan(0, PackedCopyNet.InputSize), outputs.AsSpan(0, PackedCopyNet.OutputSize));
        AllocationProbe.AssertNone(() =>
        {
            for (int i = 0; i < 50; i++)
            {
                net.Parameters[i] += 0.01f;
                net.PredictBatch(inputs, outputs);
                net.Predict(inputs.AsSpan(0, PackedCopyNet.InputSize), outputs.AsSpan(0, PackedCopyNet.OutputSize));
            }
        });
    }

    [Fact]
    public void TheRuntimeHelperPacksOnFirstUseAndAfterEachInvalidateOnly()
    {
        int packs = 0;
        float[] parameters = { 1, 2, 3 };
        var copy = new PackedCopy<float>(3, (p, packed) =>
        {
            packs++;
            for (int i = 0; i < p.Length; i++)
            {
                packed[i] = 10 * p[i];
            }
        });

        copy.Invalidate(); // as Initialize does
        float[] first = copy.Get(parameters);
        Assert.Equal(new float[] { 10, 20, 30 }, first);
        Assert.Same(first, copy.Get(parameters));
        Assert.Equal(1, packs);

        parameters[1] = 5;
        Assert.Equal(20, copy.Get(parameters)[1]); // not told: the copy stays (docs/architecture.md, the documented gap)
        copy.Invalidate();
        Assert.Same(first, copy.Get(parameters)); // the same array, repacked in place
        Assert.Equal(50, first[1]);
        Assert.Equal(2, packs);
    }

    /// <summary>
    /// The generated Initialize is one call into WeightInitializer.Initialize: layer n (dropout counted) draws from
    /// stream n of the seed, biases are zero and a learned slope starts at Alpha, exactly as each layer filled by hand.
    /// </summary>
    [Fact]
    public void InitializeFromInfoIsEachLayerFilledFromItsOwnStream()
    {
        var info = new NetworkInfo("Test", Precision.Single, Loss.None, 4, new[]
        {
            LayerInfo.Dense(4, 3, Activation.PReLU, Init.HeNormal, weightOffset: 0, biasOffset: 12, slopeOffset: 15, alpha: 0.3),
            LayerInfo.Dropout(3, 0.5),
            LayerInfo.Dense(3, 2, Activation.Tanh, Init.GlorotUniform, weightOffset: 16),
        });
        float[] parameters = Enumerable.Repeat(7f, 22).ToArray();
        WeightInitializer.Initialize<float>(parameters, info, seed: 42);

        float[] expected = new float[22];
        var first = new SeededRandom(42, stream: 1);
        WeightInitializer.Fill(expected.AsSpan(0, 12), Init.HeNormal, fanIn: 4, fanOut: 3, ref first);
        expected[15] = 0.3f;
        var third = new SeededRandom(42, stream: 3);
        WeightInitializer.Fill(expected.AsSpan(16, 6), Init.GlorotUniform, fanIn: 3, fanOut: 2, ref third);
        Assert.Equal(expected, parameters);
    }
}
