using System;
using System.Linq;
using System.Threading;
using NetGen;
using NetGen.Numerics;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>6,464 multiply-adds per row: 700 rows hold 4.5 million, enough for TrainingSplit to cut the batch (into four chunks).</summary>
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
/// 68,096 multiply-adds per row and 68,362 parameters: a batch of 64 rows or more is cut into chunks and Adam's step is shared
/// (more than NetGen.Numerics.ParameterSplit.MinimumValues parameters).
/// </summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam)]
[Input(256)]
[Dense(256, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class SplitAdamNet { }

/// <summary>
/// 68,510 multiply-adds per row: 64 rows are two one-tile chunks. A wide first layer whose sizes leave every remainder of
/// the wide weight gradient (221 units: 36 blocks of 6, one of 4 and a single unit; 300 inputs: 18 chunks of 16 and 12
/// single inputs) and a PReLU slope, so that a chunk added at the stores (TrainingKernels.AddsChunk) meets every kernel.
/// </summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam)]
[Input(300)]
[Dense(221, Activation.PReLU)]
[Dense(10, Activation.Softmax)]
public partial class InPlaceChunkNet { }

/// <summary><see cref="InPlaceChunkNet"/> in double: the kernels' generic paths add the chunk.</summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, Precision = Precision.Double)]
[Input(300)]
[Dense(221, Activation.PReLU)]
[Dense(10, Activation.Softmax)]
public partial class InPlaceChunkDoubleNet { }

/// <summary>
/// TrainBatch and ComputeGradients on two cores (NetGen.Numerics.TrainingSplit, docs/performance.md "Two cores for
/// training"): the chunks depend on the batch only, so the worker on or off gives the same bits; the chunks together are
/// the batch's gradient; nothing is allocated per call. In RowSplit's collection: these tests turn the worker off and on.
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
    public void TheBatchIsCutIntoWholeTilesOnlyWhenLarge()
    {
        Assert.True(TrainingSplit.Splits(Rows, 32, 6464));
        Assert.False(TrainingSplit.Splits(63, 32, 1_000_000)); // fewer than two tiles
        Assert.False(TrainingSplit.Splits(640, 32, 6000)); // too little work

        // One chunk per tile up to four; the tiles shared out evenly, the later chunks the larger; the last ends at the batch's end.
        Assert.Equal(2, TrainingSplit.Chunks(64, 32));
        Assert.Equal(3, TrainingSplit.Chunks(65, 32));
        Assert.Equal(3, TrainingSplit.Chunks(96, 32));
        Assert.Equal(4, TrainingSplit.Chunks(97, 32));
        Assert.Equal(4, TrainingSplit.Chunks(Rows, 32));
        Assert.Equal(new[] { 0, 32, 64 }, Starts(2, 64));
        Assert.Equal(new[] { 0, 32, 64, 65 }, Starts(3, 65));
        Assert.Equal(new[] { 0, 32, 64, 96, 97 }, Starts(4, 97));
        Assert.Equal(new[] { 0, 32, 96, 160, 200 }, Starts(4, 200)); // 7 tiles: 1, 2, 2, 2
        Assert.Equal(new[] { 0, 160, 352, 512, Rows }, Starts(4, Rows)); // 22 tiles: 5, 6, 5, 6

        static int[] Starts(int chunks, int rows) => Enumerable.Range(0, chunks + 1).Select(c => TrainingSplit.ChunkStart(c, chunks, rows, 32)).ToArray();
    }

    [Fact]
    [Trait("Category", "VectorWidth")]
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

            // A loaded machine may schedule the worker late (the caller then runs every chunk), but over 20 split calls it
            // must have taken part, or the two-thread path would be untested.
            for (int i = 0; i < 15 || (i < 300 && RowSplit.WorkerChunks == chunksBefore); i++)
            {
                two.TrainBatch(inputs, labels);
            }

            Assert.True(RowSplit.WorkerChunks > chunksBefore, "the worker thread never ran a chunk");
        }
        finally
        {
            RowSplit.Enabled = true;
        }
    }

    [Theory]
    [InlineData(Rows)] // cut into four chunks
    [InlineData(200)] // not cut (too little work): cleared, then summed into tile after tile
    [InlineData(50)] // not cut: two tiles
    [InlineData(1)] // one tile: written at the kernels' stores without a clear
    public void TheChunksTogetherAreTheMeanOfTheRowGradients(int BatchRows)
    {
        var net = new SplitTrainingDoubleNet(seed: 5);
        var random = new SeededRandom(9);
        double[] inputs = Enumerable.Range(0, BatchRows * 64).Select(_ => random.NextNormal()).ToArray();
        double[] targets = new double[BatchRows * 10];
        for (int r = 0; r < BatchRows; r++)
        {
            targets[(r * 10) + random.NextInt(10)] = 1;
        }

        Assert.Equal(BatchRows == Rows, TrainingSplit.Splits(BatchRows, 32, 6464));
        double[] batch = new double[SplitTrainingDoubleNet.ParameterCount];
        double batchLoss = net.ComputeGradients(inputs, targets, batch);
        double[] mean = new double[batch.Length], one = new double[batch.Length];
        double lossSum = 0;
        for (int r = 0; r < BatchRows; r++)
        {
            lossSum += net.ComputeGradients(inputs.AsSpan(r * 64, 64), targets.AsSpan(r * 10, 10), one);
            for (int i = 0; i < one.Length; i++)
            {
                mean[i] += one[i] / BatchRows;
            }
        }

        Assert.Equal(lossSum / BatchRows, batchLoss, 1e-12);
        for (int i = 0; i < mean.Length; i++)
        {
            Assert.True(Math.Abs(batch[i] - mean[i]) <= (1e-11 * Math.Abs(mean[i])) + 1e-15, $"parameter {i}: batch {batch[i]:R}, mean of rows {mean[i]:R}");
        }
    }

    [Theory]
    [InlineData(64)] // 2 chunks
    [InlineData(65)] // 3 chunks of one tile, the last of one row
    [InlineData(96)] // 3 chunks: (s0 + s1) + s2
    [InlineData(128)] // 4 chunks of one tile
    [InlineData(200)] // 4 chunks of 1, 2, 2 and 2 tiles, the last one partial
    [Trait("Category", "VectorWidth")]
    public void TrainingWithASharedOptimizerStepGivesTheOneCoreBits(int BatchRows)
    {
        var random = new SeededRandom(31);
        float[] inputs = Enumerable.Range(0, BatchRows * 256).Select(_ => (float)random.NextNormal()).ToArray();
        int[] labels = Enumerable.Range(0, BatchRows).Select(_ => random.NextInt(10)).ToArray();
        Assert.True(TrainingSplit.Splits(BatchRows, 32, 68_096));
        Assert.Equal(Math.Min(4, (BatchRows + 31) / 32), TrainingSplit.Chunks(BatchRows, 32));
        Assert.True(SplitAdamNet.ParameterCount >= ParameterSplit.MinimumValues);
        var one = new SplitAdamNet(seed: 6);
        var two = new SplitAdamNet(seed: 6);
        long chunksBefore = RowSplit.WorkerChunks;
        try
        {
            for (int step = 0; step < 6; step++)
            {
                RowSplit.Enabled = false;
                float oneLoss = one.TrainBatch(inputs, labels);
                RowSplit.Enabled = true;
                float twoLoss = two.TrainBatch(inputs, labels);
                Assert.Equal(oneLoss, twoLoss);
                Assert.True(one.LastGradients.SequenceEqual(two.LastGradients), $"step {step}: the gradients differ");
                Assert.True(one.Parameters.SequenceEqual(two.Parameters), $"step {step}: the parameters differ");
            }

            // A loaded machine may wake the worker too late for six steps (the caller then runs every chunk): more, until it
            // has taken part, or the two-thread path would be untested.
            for (int step = 0; step < 300 && RowSplit.WorkerChunks == chunksBefore; step++)
            {
                two.TrainBatch(inputs, labels);
            }

            Assert.True(RowSplit.WorkerChunks > chunksBefore, "the worker thread never ran a chunk");
        }
        finally
        {
            RowSplit.Enabled = true;
        }
    }

    [Theory]
    [InlineData(false, 0.0f)]
    [InlineData(false, 0.01f)]
    [InlineData(true, 0.01f)]
    [Trait("Category", "VectorWidth")]
    public void ASharedAdamStepIsTheOneValueAtATimeStep(bool decoupled, float weightDecay)
    {
        int count = (3 * ParameterSplit.MinimumValues) + 5; // whole vectors and a tail at every width
        var random = new SeededRandom(32);
        float[] start = Enumerable.Range(0, count).Select(_ => (float)random.NextNormal()).ToArray();
        float[] g = Enumerable.Range(0, count).Select(_ => 0.1f * (float)random.NextNormal()).ToArray();
        float[] shared = (float[])start.Clone(), alone = (float[])start.Clone(), single = (float[])start.Clone();
        float[] m1 = new float[count], v1 = new float[count], m2 = new float[count], v2 = new float[count], m3 = new float[count], v3 = new float[count];
        long chunksBefore = RowSplit.WorkerChunks;
        try
        {
            for (int step = 1; step <= 4; step++)
            {
                RowSplit.Enabled = true;
                Optimizers.Adam<float>(shared, g, m1, v1, 0.01f, 0.9f, 0.999f, 1e-8f, weightDecay, decoupled, step);
                RowSplit.Enabled = false;
                Optimizers.Adam<float>(alone, g, m2, v2, 0.01f, 0.9f, 0.999f, 1e-8f, weightDecay, decoupled, step);
                for (int i = 0; i < count; i++)
                {
                    // One value per call: the scalar loop, never shared.
                    Optimizers.Adam<float>(single.AsSpan(i, 1), g.AsSpan(i, 1), m3.AsSpan(i, 1), v3.AsSpan(i, 1), 0.01f, 0.9f, 0.999f, 1e-8f, weightDecay, decoupled, step);
                }
            }
        }
        finally
        {
            RowSplit.Enabled = true;
        }

        Assert.Equal(single, shared);
        Assert.Equal(m3, m1);
        Assert.Equal(v3, v1);
        Assert.Equal(single, alone);

        // A loaded machine may wake the worker too late for four steps (the caller then runs every range), but it must
        // take part in some of 300 more, or the shared path would be untested.
        for (int step = 5; step < 305 && RowSplit.WorkerChunks == chunksBefore; step++)
        {
            Optimizers.Adam<float>(shared, g, m1, v1, 0.01f, 0.9f, 0.999f, 1e-8f, weightDecay, decoupled, step);
        }

        Assert.True(RowSplit.WorkerChunks > chunksBefore, "the worker thread never ran a range");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [Trait("Category", "VectorWidth")]
    public void SharedSlotSumsAreTheFixedTreeValueByValue(int count)
    {
        int length = (2 * ParameterSplit.MinimumValues) + 3; // whole vectors and a tail at every width
        var random = new SeededRandom(33 + count);
        float[][] slots = Enumerable.Range(0, count)
            .Select(k => Enumerable.Range(0, length + (k * 7)).Select(_ => (float)random.NextNormal()).ToArray()) // later slots longer
            .ToArray();
        var expected = new float[length];
        for (int i = 0; i < length; i++)
        {
            float a = slots[0][i], b = slots[1][i];
            expected[i] = count switch
            {
                2 => a + b,
                3 => (a + b) + slots[2][i],
                _ => (a + b) + (slots[2][i] + slots[3][i]),
            };
        }

        foreach (bool worker in new[] { true, false })
        {
            float[]?[] copy = slots.Select(x => (float[]?)x.Clone()).ToArray();
            RowSplit.Enabled = worker;
            try
            {
                ParameterSplit.AddSlots(copy[0]!, copy, count);
            }
            finally
            {
                RowSplit.Enabled = true;
            }

            Assert.Equal(expected, copy[0]);
        }
    }

    [Fact]
    public void ASlotGrownForALargerNetworkServesASmallerOne()
    {
        // The third and fourth chunks sum into this thread's own slots, grown to the largest network it trained and
        // cleared only as far as the current network's gradient reaches.
        var random = new SeededRandom(35);
        float[] wideInputs = Enumerable.Range(0, 128 * 256).Select(_ => (float)random.NextNormal()).ToArray();
        int[] wideLabels = Enumerable.Range(0, 128).Select(_ => random.NextInt(10)).ToArray();
        new SplitAdamNet(seed: 9).TrainBatch(wideInputs, wideLabels); // 4 chunks of 68,362-value slots
        (float[] inputs, int[] labels) = Batch(4);
        var one = new SplitTrainingNet(seed: 10);
        var two = new SplitTrainingNet(seed: 10);
        try
        {
            for (int step = 0; step < 3; step++)
            {
                RowSplit.Enabled = false;
                float oneLoss = one.TrainBatch(inputs, labels);
                RowSplit.Enabled = true;
                Assert.Equal(oneLoss, two.TrainBatch(inputs, labels));
                Assert.True(one.LastGradients.SequenceEqual(two.LastGradients), $"step {step}: the gradients differ");
            }
        }
        finally
        {
            RowSplit.Enabled = true;
        }
    }

    [Fact]
    public void TheWorkerAlsoServesCallsWhenItBlocksAtOnce()
    {
        TimeSpan spin = RowSplit.WorkerSpin;
        Assert.Throws<ArgumentOutOfRangeException>(() => RowSplit.WorkerSpin = TimeSpan.FromTicks(-1));
        (float[] inputs, int[] labels) = Batch(3);
        var one = new SplitTrainingNet(seed: 8);
        var two = new SplitTrainingNet(seed: 8);
        long chunksBefore = RowSplit.WorkerChunks;
        try
        {
            RowSplit.WorkerSpin = TimeSpan.Zero;
            // At least five steps, more (up to 300) until the worker has taken part: a loaded machine may wake it late.
            for (int step = 0; step < 300 && (step < 5 || RowSplit.WorkerChunks == chunksBefore); step++)
            {
                RowSplit.Enabled = false;
                float oneLoss = one.TrainBatch(inputs, labels);
                RowSplit.Enabled = true;
                Thread.Sleep(2); // the worker has blocked on its semaphore: this call wakes it
                Assert.Equal(oneLoss, two.TrainBatch(inputs, labels));
                Assert.True(one.Parameters.SequenceEqual(two.Parameters), $"step {step}: the parameters differ");
            }

            Assert.True(RowSplit.WorkerChunks > chunksBefore, "the worker thread never ran a chunk");
        }
        finally
        {
            RowSplit.WorkerSpin = spin;
            RowSplit.Enabled = true;
        }
    }

    [Fact]
    public void NoBytesAreAllocatedPerSplitStepOnEitherThread()
    {
        RowSplit.Enabled = true;
        var random = new SeededRandom(34);
        // 256 rows of 256 features: the input check (65,536 values), the clear, the first layer's repack, the chunks, their
        // sum and Adam's step are all shared.
        float[] inputs = Enumerable.Range(0, 256 * 256).Select(_ => (float)random.NextNormal()).ToArray();
        int[] labels = Enumerable.Range(0, 256).Select(_ => random.NextInt(10)).ToArray();
        Assert.True(inputs.Length >= ParameterSplit.MinimumValues && PackedDense.PackedLength<float>(256, 256) >= ParameterSplit.MinimumValues);
        var net = new SplitAdamNet(seed: 4);
        for (int i = 0; i < 5; i++)
        {
            net.TrainBatch(inputs, labels); // the chunks' slots, this thread's cached work items, the worker
        }

        long worker = RowSplit.WorkerAllocatedBytes;
        long chunks = RowSplit.WorkerChunks;
        AllocationProbe.AssertNone(() =>
        {
            for (int i = 0; i < 10; i++)
            {
                net.TrainBatch(inputs, labels);
            }
        });
        if (RowSplit.WorkerChunks > chunks)
        {
            // The worker records its counter after each call it served.
            Assert.Equal(0, RowSplit.WorkerAllocatedBytes - worker);
        }
    }

    [Theory]
    [InlineData(0.0f, 0.0f, false)]
    [InlineData(0.9f, 0.01f, false)]
    [InlineData(0.9f, 0.0f, true)]
    [Trait("Category", "VectorWidth")]
    public void SharedSgdAndRmsPropStepsAreTheOneValueAtATimeSteps(float momentum, float weightDecay, bool nesterov)
    {
        int count = (3 * ParameterSplit.MinimumValues) + 5; // whole vectors and a tail at every width
        var random = new SeededRandom(35);
        float[] start = Enumerable.Range(0, count).Select(_ => (float)random.NextNormal()).ToArray();
        float[] g = Enumerable.Range(0, count).Select(_ => 0.1f * (float)random.NextNormal()).ToArray();
        // [0]: shared, [1]: the worker off, [2]: one value per call (the scalar loop, never shared).
        float[][] sgd = { (float[])start.Clone(), (float[])start.Clone(), (float[])start.Clone() };
        float[][] rms = { (float[])start.Clone(), (float[])start.Clone(), (float[])start.Clone() };
        float[][] velocity = { new float[count], new float[count], new float[count] };
        float[][] squares = { new float[count], new float[count], new float[count] };
        float[][] rmsVelocity = { new float[count], new float[count], new float[count] };
        int n = momentum != 0 ? count : 0; // without momentum the velocity buffers are empty, as TrainingState passes them
        long chunksBefore = RowSplit.WorkerChunks;
        void Step(int k, int step, int first, int length)
        {
            Optimizers.Sgd<float>(sgd[k].AsSpan(first, length), g.AsSpan(first, length), velocity[k].AsSpan(first, n == 0 ? 0 : length),
                0.01f, momentum, weightDecay, nesterov, firstStep: step == 1);
            Optimizers.RmsProp<float>(rms[k].AsSpan(first, length), g.AsSpan(first, length), squares[k].AsSpan(first, length),
                rmsVelocity[k].AsSpan(first, n == 0 ? 0 : length), 0.01f, 0.99f, 1e-8f, weightDecay, momentum);
        }

        try
        {
            for (int step = 1; step <= 3; step++)
            {
                RowSplit.Enabled = true;
                Step(0, step, 0, count);
                RowSplit.Enabled = false;
                Step(1, step, 0, count);
                for (int i = 0; i < count; i++)
                {
                    Step(2, step, i, 1);
                }
            }

            RowSplit.Enabled = true;
            for (int k = 0; k < 2; k++)
            {
                Assert.Equal(sgd[2], sgd[k]);
                Assert.Equal(velocity[2], velocity[k]);
                Assert.Equal(rms[2], rms[k]);
                Assert.Equal(squares[2], squares[k]);
                Assert.Equal(rmsVelocity[2], rmsVelocity[k]);
            }

            // The worker must take part in some of 300 more shared steps, or the shared path would be untested; nothing is
            // allocated on this thread by a shared step.
            for (int step = 4; step < 304 && RowSplit.WorkerChunks == chunksBefore; step++)
            {
                Step(0, step, 0, count);
            }

            Assert.True(RowSplit.WorkerChunks > chunksBefore, "the worker thread never ran a range");
            AllocationProbe.AssertNone(() => Step(0, 400, 0, count));
        }
        finally
        {
            RowSplit.Enabled = true;
        }
    }

    [Theory]
    [InlineData(784, 256)] // 784-256-128-10's first layer: 200,960 packed values
    [InlineData(301, 250)] // a partial last panel, and ranges that do not divide the panels evenly
    public void ASharedPackWritesEveryPanelAsTheLayoutSays(int inputs, int units)
    {
        // The layout, written out here value by value: panel p holds units 16p to 16p + 15 as lanes, the bias in its first
        // row and weight i in row i + 1, zeros past the last unit.
        var random = new SeededRandom(36);
        float[] weights = Enumerable.Range(0, inputs * units).Select(_ => (float)random.NextNormal()).ToArray();
        float[] bias = Enumerable.Range(0, units).Select(_ => (float)random.NextNormal()).ToArray();
        int panels = (units + 15) / 16, block = (inputs + 1) * 16;
        var expected = new float[panels * block];
        for (int u = 0; u < units; u++)
        {
            expected[((u / 16) * block) + (u % 16)] = bias[u];
            for (int i = 0; i < inputs; i++)
            {
                expected[((u / 16) * block) + ((i + 1) * 16) + (u % 16)] = weights[(u * inputs) + i];
            }
        }

        Assert.True(expected.Length >= ParameterSplit.MinimumValues); // shared
        long chunksBefore = RowSplit.WorkerChunks;
        float[] packed = Enumerable.Repeat(float.NaN, expected.Length).ToArray();
        try
        {
            RowSplit.Enabled = false;
            PackedDense.Pack<float>(weights, bias, inputs, units, packed);
            Assert.Equal(expected, packed);
            RowSplit.Enabled = true;
            for (int round = 0; round < 300 && (round == 0 || RowSplit.WorkerChunks == chunksBefore); round++)
            {
                Array.Fill(packed, float.NaN);
                PackedDense.Pack<float>(weights, bias, inputs, units, packed);
                Assert.Equal(expected, packed);
            }

            Assert.True(RowSplit.WorkerChunks > chunksBefore, "the worker thread never packed a range");
        }
        finally
        {
            RowSplit.Enabled = true;
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(40_000)]
    [InlineData((256 * 256) - 1)]
    public void ASharedInputCheckFindsANonFiniteFeatureAnywhere(int at)
    {
        // 256 rows of 256 features: 65,536 values, checked in ranges on both threads.
        var random = new SeededRandom(37);
        float[] inputs = Enumerable.Range(0, 256 * 256).Select(_ => (float)random.NextNormal()).ToArray();
        int[] labels = Enumerable.Range(0, 256).Select(_ => random.NextInt(10)).ToArray();
        Assert.True(inputs.Length >= ParameterSplit.MinimumValues);
        var net = new SplitAdamNet(seed: 7);
        RowSplit.Enabled = true;
        net.TrainBatch(inputs, labels); // finite: passes
        float[] before = net.Parameters.ToArray();
        int step = net.OptimizerStep;
        inputs[at] = float.PositiveInfinity;
        var error = Assert.Throws<ArgumentException>(() => net.TrainBatch(inputs, labels));
        Assert.Contains($"inputs[{at}] (row {at / 256}, column {at % 256})", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, net.Parameters.ToArray()); // refused before anything changed
        Assert.Equal(step, net.OptimizerStep);
    }
    [Theory]
    [InlineData(64)] // 2 chunks of one tile: on one thread the second is added at the kernels' stores
    [InlineData(96)] // 3: the second and third added at the stores
    [InlineData(128)] // 4: two pairs, the second pair in one slot, then added
    [InlineData(160)] // 4 chunks of 1, 1, 1 and 2 tiles: slots on one thread too
    [Trait("Category", "VectorWidth")]
    public void ChunksAddedInPlaceOnOneThreadGiveTheSlotsBits(int BatchRows)
    {
        var random = new SeededRandom(40 + BatchRows);
        // Inputs with zeros (as pixels are) and ReLU-like zero derivatives below: products of ±0 meet every kernel.
        float[] inputs = Enumerable.Range(0, BatchRows * 300).Select(i => i % 5 == 0 ? 0f : (float)random.NextNormal()).ToArray();
        int[] labels = Enumerable.Range(0, BatchRows).Select(_ => random.NextInt(10)).ToArray();
        Assert.True(TrainingSplit.Splits(BatchRows, 32, 68_510)); // 32-row tiles: 300 + 2 x 221 + 2 x 10 training values a row
        var one = new InPlaceChunkNet(seed: 11);
        var two = new InPlaceChunkNet(seed: 11);
        var oneDouble = new InPlaceChunkDoubleNet(seed: 12);
        var twoDouble = new InPlaceChunkDoubleNet(seed: 12);
        double[] doubleInputs = inputs.Select(v => (double)v).ToArray();
        try
        {
            for (int step = 0; step < 4; step++)
            {
                RowSplit.Enabled = false;
                float oneLoss = one.TrainBatch(inputs, labels);
                double oneDoubleLoss = oneDouble.TrainBatch(doubleInputs, labels);
                RowSplit.Enabled = true; // slots, whichever thread runs each chunk
                Assert.Equal(BitConverter.SingleToInt32Bits(oneLoss), BitConverter.SingleToInt32Bits(two.TrainBatch(inputs, labels)));
                Assert.Equal(BitConverter.DoubleToInt64Bits(oneDoubleLoss), BitConverter.DoubleToInt64Bits(twoDouble.TrainBatch(doubleInputs, labels)));
                AssertSameBits(one.LastGradients, two.LastGradients, $"step {step}: float gradient");
                AssertSameBits(one.Parameters, two.Parameters, $"step {step}: float parameters");
                AssertSameBits(oneDouble.LastGradients, twoDouble.LastGradients, $"step {step}: double gradient");
                AssertSameBits(oneDouble.Parameters, twoDouble.Parameters, $"step {step}: double parameters");
            }
        }
        finally
        {
            RowSplit.Enabled = true;
        }
    }

    [Theory]
    [InlineData(32, 221, 300)] // the wide kernel: blocks of 6 and 4, a single unit, 12 single inputs
    [InlineData(32, 256, 784)] // 784-256-128-10's first layer
    [InlineData(70, 40, 50)] // wide, but more rows than the kernel packs at once: saved, summed from zero, added back
    [InlineData(32, 10, 128)] // narrow units
    [InlineData(7, 20, 5)] // narrow inputs
    [Trait("Category", "VectorWidth")]
    public void AChunkAddedAtTheStoresIsASlotAddedAfterwards(int rows, int units, int inputs)
    {
        var random = new SeededRandom((rows * 1000) + units + inputs);
        // Earlier chunks' sums with signed zeros among them; δ with zeros of both signs (ReLU's and PReLU's are); inputs with zeros.
        // Unit 0's δ is -0 in every row and half its row of found values -0: -0 + (a sum of -0 products from +0, so +0) is +0,
        // which a sum started from the found value or from -0 would not give.
        float[] found = Enumerable.Range(0, units * inputs).Select(i => i % 13 == 0 || (i < inputs && i % 2 == 0) ? -0f : i % 17 == 0 ? 0f : (float)random.NextNormal()).ToArray();
        float[] deltas = Enumerable.Range(0, rows * units).Select(i => i % units == 0 ? -0f : i % 3 == 0 ? (i % 2 == 0 ? -0f : 0f) : (float)random.NextNormal()).ToArray();
        float[] x = Enumerable.Range(0, rows * inputs).Select(i => i % 4 == 0 ? 0f : (float)random.NextNormal()).ToArray();
        float[] bias = found.AsSpan(0, units).ToArray();
        float[] z = Enumerable.Range(0, rows * units).Select(_ => (float)random.NextNormal()).ToArray();

        // The slot way: a cleared slot summed into, then added to what the earlier chunks left.
        float[] slot = new float[units * inputs], biasSlot = new float[units];
        float[] slotDeltas = (float[])deltas.Clone();
        float slope = 0;
        GradientKernels(slot, biasSlot, slotDeltas, ref slope, deltas, x, z, rows, units, inputs);
        float[] expected = found.Select((v, i) => v + slot[i]).ToArray();
        float[] expectedBias = bias.Select((v, i) => v + biasSlot[i]).ToArray();
        float expectedSlope = -0f + slope;

        float[] actual = (float[])found.Clone(), actualBias = (float[])bias.Clone(), actualDeltas = (float[])deltas.Clone();
        float actualSlope = -0f;
        Assert.False(TrainingKernels.AddsChunk);
        TrainingKernels.AddsChunk = true;
        try
        {
            GradientKernels(actual, actualBias, actualDeltas, ref actualSlope, deltas, x, z, rows, units, inputs);
        }
        finally
        {
            TrainingKernels.AddsChunk = false;
        }

        AssertSameBits(expected, actual, "weight gradient");
        AssertSameBits(expectedBias, actualBias, "bias gradient");
        Assert.Equal(BitConverter.SingleToInt32Bits(expectedSlope), BitConverter.SingleToInt32Bits(actualSlope));
        AssertSameBits(slotDeltas, actualDeltas, "PReLU's δ");

        // double, through the kernels' generic paths.
        double[] foundD = found.Select(v => (double)v).ToArray(), deltasD = deltas.Select(v => (double)v).ToArray(), xD = x.Select(v => (double)v).ToArray();
        double[] slotD = new double[units * inputs], actualD = (double[])foundD.Clone();
        TrainingKernels.AddWeightGradient<double>(slotD, deltasD, xD, rows, units, inputs);
        TrainingKernels.AddsChunk = true;
        try
        {
            TrainingKernels.AddWeightGradient<double>(actualD, deltasD, xD, rows, units, inputs);
        }
        finally
        {
            TrainingKernels.AddsChunk = false;
        }

        AssertSameBits(foundD.Select((v, i) => v + slotD[i]).ToArray(), actualD, "double weight gradient");
    }

    [Theory]
    [InlineData(32, 221, 300)] // the wide kernel: blocks of 6 and 4, a single unit, 12 single inputs
    [InlineData(32, 256, 784)] // 784-256-128-10's first layer
    [InlineData(70, 40, 50)] // wide, but more rows than the kernel packs at once: cleared, then summed into
    [InlineData(32, 10, 128)] // narrow units
    [InlineData(7, 20, 5)] // narrow inputs
    [Trait("Category", "VectorWidth")]
    public void AChunkStartedAtTheStoresIsAClearedGradientSummedInto(int rows, int units, int inputs)
    {
        var random = new SeededRandom((rows * 1000) + units + inputs + 7);
        // What an earlier batch left in the gradient, NaN and infinities among it: a kernel that read a value it should
        // overwrite, or left one unwritten, would leave a trace. δ with zeros of both signs (unit 0's all -0: the sum from
        // +0 stays +0, as in a cleared gradient); inputs with zeros.
        float[] found = Enumerable.Range(0, units * inputs).Select(i => i % 7 == 0 ? float.NaN : i % 11 == 0 ? float.NegativeInfinity : i % 13 == 0 ? -0f : (float)random.NextNormal()).ToArray();
        float[] deltas = Enumerable.Range(0, rows * units).Select(i => i % units == 0 ? -0f : i % 3 == 0 ? (i % 2 == 0 ? -0f : 0f) : (float)random.NextNormal()).ToArray();
        float[] x = Enumerable.Range(0, rows * inputs).Select(i => i % 4 == 0 ? 0f : (float)random.NextNormal()).ToArray();
        float[] z = Enumerable.Range(0, rows * units).Select(_ => (float)random.NextNormal()).ToArray();

        // The cleared way: zeros, summed into as every chunk did before it could start at the stores.
        float[] expected = new float[units * inputs], expectedBias = new float[units], expectedDeltas = (float[])deltas.Clone();
        float expectedSlope = 0;
        GradientKernels(expected, expectedBias, expectedDeltas, ref expectedSlope, deltas, x, z, rows, units, inputs);

        float[] actual = (float[])found.Clone(), actualBias = found.AsSpan(0, units).ToArray(), actualDeltas = (float[])deltas.Clone();
        float actualSlope = float.NaN;
        double[] foundD = found.Select(v => (double)v).ToArray(), deltasD = deltas.Select(v => (double)v).ToArray(), xD = x.Select(v => (double)v).ToArray();
        double[] expectedD = new double[units * inputs], actualD = (double[])foundD.Clone();
        TrainingKernels.AddWeightGradient<double>(expectedD, deltasD, xD, rows, units, inputs);
        Assert.False(TrainingKernels.SumsFromZero);
        TrainingKernels.StartsChunk = true;
        try
        {
            GradientKernels(actual, actualBias, actualDeltas, ref actualSlope, deltas, x, z, rows, units, inputs);
            TrainingKernels.AddWeightGradient<double>(actualD, deltasD, xD, rows, units, inputs); // the generic paths
        }
        finally
        {
            TrainingKernels.StartsChunk = false;
        }

        Assert.False(TrainingKernels.SumsFromZero);
        AssertSameBits(expected, actual, "weight gradient");
        AssertSameBits(expectedBias, actualBias, "bias gradient");
        Assert.Equal(BitConverter.SingleToInt32Bits(expectedSlope), BitConverter.SingleToInt32Bits(actualSlope));
        AssertSameBits(expectedDeltas, actualDeltas, "PReLU's δ");
        AssertSameBits(expectedD, actualD, "double weight gradient");
    }

    [Theory]
    [InlineData(1)] // one tile, not cut: started at the stores
    [InlineData(32)] // a whole tile
    [InlineData(50)] // two tiles, not cut (too little work): cleared, then tile after tile
    [InlineData(64)] // two one-tile chunks: on one thread the first started at the stores, the second added
    [InlineData(128)] // four: the first of each pair started (the second pair in a slot another network left values in)
    [InlineData(160)] // four chunks of 1, 1, 1 and 2 tiles: slots
    [Trait("Category", "VectorWidth")]
    public void TheGradientOfABatchDoesNotDependOnWhatTheBufferHeld(int BatchRows)
    {
        var random = new SeededRandom(60 + BatchRows);
        float[] inputs = Enumerable.Range(0, BatchRows * 300).Select(i => i % 5 == 0 ? 0f : (float)random.NextNormal()).ToArray();
        float[] targets = OneHot(Enumerable.Range(0, BatchRows).Select(_ => random.NextInt(10)).ToArray());
        // An earlier batch of other rows, cut into four chunks: it leaves its values in this thread's third slot.
        float[] earlier = Enumerable.Range(0, 160 * 300).Select(_ => 3f * (float)random.NextNormal()).ToArray();
        float[] earlierTargets = OneHot(Enumerable.Range(0, 160).Select(_ => random.NextInt(10)).ToArray());
        double[] inputsD = inputs.Select(v => (double)v).ToArray(), targetsD = targets.Select(v => (double)v).ToArray();
        double[] earlierD = earlier.Select(v => (double)v).ToArray(), earlierTargetsD = earlierTargets.Select(v => (double)v).ToArray();
        try
        {
            foreach (bool twoThreads in new[] { false, true })
            {
                RowSplit.Enabled = twoThreads;
                var fresh = new InPlaceChunkNet(seed: 21);
                var used = new InPlaceChunkNet(seed: 21);
                var freshD = new InPlaceChunkDoubleNet(seed: 22);
                var usedD = new InPlaceChunkDoubleNet(seed: 22);
                float[] expected = new float[InPlaceChunkNet.ParameterCount], actual = new float[InPlaceChunkNet.ParameterCount];
                double[] expectedD = new double[InPlaceChunkDoubleNet.ParameterCount], actualD = new double[InPlaceChunkDoubleNet.ParameterCount];
                fresh.ComputeGradients(inputs, targets, expected);
                freshD.ComputeGradients(inputsD, targetsD, expectedD);

                // The same batch after another one, with NaN written over the network's gradient: a value the batch did not
                // write, or read before writing, would come out NaN or as the earlier batch's.
                used.ComputeGradients(earlier, earlierTargets, actual);
                usedD.ComputeGradients(earlierD, earlierTargetsD, actualD);
                Overwrite(used.LastGradients, float.NaN);
                Overwrite(usedD.LastGradients, double.NaN);
                Assert.True(float.IsNaN(used.LastGradients[^1]) && double.IsNaN(usedD.LastGradients[0]));
                used.ComputeGradients(inputs, targets, actual);
                usedD.ComputeGradients(inputsD, targetsD, actualD);
                AssertSameBits(expected, actual, $"float, two threads {twoThreads}");
                AssertSameBits(expectedD, actualD, $"double, two threads {twoThreads}");
            }
        }
        finally
        {
            RowSplit.Enabled = true;
        }

        static float[] OneHot(int[] labels)
        {
            float[] t = new float[labels.Length * 10];
            for (int r = 0; r < labels.Length; r++)
            {
                t[(r * 10) + labels[r]] = 1f;
            }

            return t;
        }

        // Writes over the network's own gradient buffer, which LastGradients shows read-only: what a stale buffer could hold.
        static void Overwrite<T>(ReadOnlySpan<T> values, T value) =>
            System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(values), values.Length).Fill(value);
    }

    [Fact]
    public void FitOnOneThreadAndOnTwoGivesTheSameParametersAndNorms()
    {
        // One thread: each 64-row batch's two chunks in place; two: slots and the shared Adam step (68,362 parameters).
        var random = new SeededRandom(42);
        float[] features = Enumerable.Range(0, 256 * 256).Select(_ => (float)random.NextNormal()).ToArray();
        int[] labels = Enumerable.Range(0, 256).Select(_ => random.NextInt(10)).ToArray();
        Dataset<float> data = Dataset<float>.FromLabels(features, 256, labels, 10);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 64, ValidationSplit = 0 };
        var one = new SplitAdamNet(seed: 14);
        var two = new SplitAdamNet(seed: 14);
        TrainingResult oneResult, twoResult;
        try
        {
            RowSplit.Enabled = false;
            oneResult = Trainer.Fit(one, data, options);
            RowSplit.Enabled = true;
            twoResult = Trainer.Fit(two, data, options);
        }
        finally
        {
            RowSplit.Enabled = true;
        }

        AssertSameBits(one.Parameters, two.Parameters, "parameters");
        for (int e = 0; e < 2; e++)
        {
            Assert.Equal(twoResult.History[e].GradientNorms, oneResult.History[e].GradientNorms);
            Assert.Equal(twoResult.History[e].TrainLoss, oneResult.History[e].TrainLoss);
        }
    }

    [Fact]
    public void NoBytesAreAllocatedPerInPlaceStepOnOneThread()
    {
        var random = new SeededRandom(41);
        float[] inputs = Enumerable.Range(0, 128 * 300).Select(_ => (float)random.NextNormal()).ToArray();
        int[] labels = Enumerable.Range(0, 128).Select(_ => random.NextInt(10)).ToArray();
        var net = new InPlaceChunkNet(seed: 13);
        try
        {
            RowSplit.Enabled = false;
            for (int i = 0; i < 3; i++)
            {
                net.TrainBatch(inputs.AsSpan(0, 64 * 300), labels.AsSpan(0, 64)); // two chunks
                net.TrainBatch(inputs, labels); // four: this thread's slot
            }

            AllocationProbe.AssertNone(() =>
            {
                for (int i = 0; i < 5; i++)
                {
                    net.TrainBatch(inputs.AsSpan(0, 64 * 300), labels.AsSpan(0, 64));
                    net.TrainBatch(inputs, labels);
                }
            });
        }
        finally
        {
            RowSplit.Enabled = true;
        }
    }

    /// <summary>The three kernels that write a parameter gradient, on one layer's tile: weights, bias, PReLU slope (which also scales δ).</summary>
    private static void GradientKernels(float[] weightGradient, float[] biasGradient, float[] preluDeltas, ref float slopeGradient,
        float[] deltas, float[] x, float[] z, int rows, int units, int inputs)
    {
        TrainingKernels.AddWeightGradient<float>(weightGradient, deltas, x, rows, units, inputs);
        TrainingKernels.AddColumnSums<float>(biasGradient, deltas, rows);
        ElementWise.LearnedSlopeDelta(ref preluDeltas[0], ref z[0], rows, units, 0.25f, ref slopeGradient);
    }

    private static void AssertSameBits(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{what}[{i}]: expected {expected[i]:R} ({BitConverter.SingleToInt32Bits(expected[i]):X8}), got {actual[i]:R} ({BitConverter.SingleToInt32Bits(actual[i]):X8})");
            }
        }
    }

    private static void AssertSameBits(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
            {
                Assert.Fail($"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
            }
        }
    }
}
