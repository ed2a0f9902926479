using System;
using System.Linq;
using System.Threading;
using NetGen;
using NetGen.Numerics;

namespace NetGen.Runtime.Tests.Inference;

[Input(784)]
[Dense(256, Activation.ReLU)]
[Dropout(0.2)]
[Dense(128, Activation.GELU)]
[Dense(10, Activation.Softmax)]
public partial class InferenceNet { }

/// <summary>200,000 inputs into 8 units: the scratch is per thread on the heap, never on the stack.</summary>
[Input(200_000)]
[Dense(8, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class VeryWideNet { }

// A 9-row PredictBatch of InferenceNet passes RowSplit's threshold, so its first split call allocates this thread's
// work item (and the worker, once per process). TrainingSplitTests turns the worker off for a moment; if that happened
// during the warm-up here, the first split call fell into the measured loop (152 B, seen once in a full run).
[Collection(nameof(RowSplit))]
public class InferenceTests
{
    private static float[] Rows(int count, int width, int seed)
    {
        var random = new SeededRandom(seed);
        return Enumerable.Range(0, count * width).Select(_ => (float)random.NextNormal()).ToArray();
    }

    [Fact]
    public void PredictAndPredictBatchAllocateNothingAfterWarmUp()
    {
        var net = new InferenceNet(seed: 1);
        float[] input = Rows(1, InferenceNet.InputSize, 1), inputs = Rows(9, InferenceNet.InputSize, 2);
        float[] output = new float[InferenceNet.OutputSize], outputs = new float[9 * InferenceNet.OutputSize];
        net.Predict(input, output);
        net.PredictBatch(inputs, outputs);
        net.PredictClass(input);

        AllocationProbe.AssertNone(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                net.Predict(input, output);
                net.PredictBatch(inputs, outputs);
                net.PredictClass(input);
            }
        });
    }

    [Fact]
    [Trait("Category", "VectorWidth")]
    public void EightThreadsOnOneInstanceGetExactlyTheSingleThreadedResults()
    {
        var net = new InferenceNet(seed: 2);
        const int rows = 2000;
        float[] inputs = Rows(rows, InferenceNet.InputSize, 3);
        float[] expected = new float[rows * InferenceNet.OutputSize];
        for (int row = 0; row < rows; row++)
        {
            net.Predict(inputs.AsSpan(row * InferenceNet.InputSize, InferenceNet.InputSize), expected.AsSpan(row * InferenceNet.OutputSize, InferenceNet.OutputSize));
        }

        float[][] results = Enumerable.Range(0, 8).Select(_ => new float[expected.Length]).ToArray();
        using var start = new Barrier(8);
        Thread[] threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            // Each thread walks the rows from a different starting point, so that calls interleave differently.
            for (int k = 0; k < rows; k++)
            {
                int row = (k + (t * 251)) % rows;
                if (t % 2 == 0)
                {
                    net.Predict(inputs.AsSpan(row * InferenceNet.InputSize, InferenceNet.InputSize), results[t].AsSpan(row * InferenceNet.OutputSize, InferenceNet.OutputSize));
                }
                else if (row % 5 == 0 && row + 5 <= rows)
                {
                    net.PredictBatch(inputs.AsSpan(row * InferenceNet.InputSize, 5 * InferenceNet.InputSize), results[t].AsSpan(row * InferenceNet.OutputSize, 5 * InferenceNet.OutputSize));
                }
                else if (row % 5 != 0 && row < 5 * (rows / 5))
                {
                    continue; // covered by the batch starting at the multiple of 5 below it
                }
                else
                {
                    net.Predict(inputs.AsSpan(row * InferenceNet.InputSize, InferenceNet.InputSize), results[t].AsSpan(row * InferenceNet.OutputSize, InferenceNet.OutputSize));
                }
            }
        })).ToArray();
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        for (int t = 0; t < 8; t++)
        {
            Assert.Equal(expected, results[t]);
        }
    }

    [Fact]
    public void AVeryWideLayerRunsOnAThreadWithASmallStack()
    {
        var net = new VeryWideNet(seed: 1);
        float[] input = Rows(1, VeryWideNet.InputSize, 4);
        float[] output = new float[1];
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                net.Predict(input, output);
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, maxStackSize: 256 * 1024);
        thread.Start();
        thread.Join();
        Assert.Null(failure);
        Assert.InRange(output[0], 0f, 1f);
        Assert.NotEqual(0.5f, output[0]);
    }
}
