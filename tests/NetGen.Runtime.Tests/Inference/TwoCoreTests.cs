using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NetGen;
using NetGen.Numerics;

namespace NetGen.Runtime.Tests.Inference;

/// <summary>12,928 multiply-adds per row: 256 rows hold 3.3 million, enough for RowSplit to use both threads.</summary>
[Input(64)]
[Dense(96, Activation.Tanh)]
[Dense(64, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class TwoCoreNet { }

/// <summary>TwoCoreNet's shape with bfloat16 weights for inference: split from 163 rows like it.</summary>
[Network(WeightPrecision = WeightPrecision.BFloat16)]
[Input(64)]
[Dense(96, Activation.Tanh)]
[Dense(64, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class TwoCoreBFloat16Net { }

/// <summary>TwoCoreNet's shape with int8 weights for inference.</summary>
[Network(WeightPrecision = WeightPrecision.Int8)]
[Input(64)]
[Dense(96, Activation.Tanh)]
[Dense(64, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class TwoCoreInt8Net { }

/// <summary>
/// PredictBatch over two threads (NetGen.Numerics.RowSplit, docs/performance.md "Two cores"): the same bits as one row
/// at a time, for any cut of the rows; concurrent callers; chunks run once each; errors reach the caller; no
/// allocation per call on either thread.
/// </summary>
[Collection(nameof(RowSplit))] // TrainingSplitTests turns the worker off for a moment: not while these run
public class TwoCoreTests
{
    private static float[] Rows(int count, int width, int seed)
    {
        var random = new SeededRandom(seed);
        return Enumerable.Range(0, count * width).Select(_ => (float)random.NextNormal()).ToArray();
    }

    /// <summary>Each row through Predict: one thread, one row at a time, never split.</summary>
    private static float[] RowByRow(TwoCoreNet net, float[] inputs, int rows)
    {
        var outputs = new float[rows * TwoCoreNet.OutputSize];
        for (int r = 0; r < rows; r++)
        {
            net.Predict(inputs.AsSpan(r * TwoCoreNet.InputSize, TwoCoreNet.InputSize), outputs.AsSpan(r * TwoCoreNet.OutputSize, TwoCoreNet.OutputSize));
        }

        return outputs;
    }

    [Fact]
    [Trait("Category", "VectorWidth")]
    public void SplitBatchesEqualRowByRowBitForBitAndTheWorkerTakesPart()
    {
        RowSplit.Enabled = true; // the worker also runs on a one-core machine, only slower; no test turns it off
        var net = new TwoCoreNet(seed: 11);
        long chunksBefore = RowSplit.WorkerChunks;
        foreach (int rows in new[] { 2, 17, 163, 256, 257, 1000 })
        {
            float[] inputs = Rows(rows, TwoCoreNet.InputSize, rows);
            float[] expected = RowByRow(net, inputs, rows);
            var outputs = new float[rows * TwoCoreNet.OutputSize];
            for (int repeat = 0; repeat < 20; repeat++)
            {
                net.PredictBatch(inputs, outputs);
                Assert.Equal(expected, outputs);
            }
        }

        // The worker may be scheduled late on a loaded machine (the caller then does every chunk), but over 120 split
        // calls it must have run some: otherwise the split path would be untested.
        Assert.True(RowSplit.WorkerChunks > chunksBefore, "the worker thread never ran a chunk");
    }

    [Fact]
    public void ConcurrentCallersGetTheirOwnRows()
    {
        RowSplit.Enabled = true;
        var net = new TwoCoreNet(seed: 12);
        const int RowCount = 300;
        float[][] inputs = Enumerable.Range(0, 4).Select(t => Rows(RowCount, TwoCoreNet.InputSize, 100 + t)).ToArray();
        float[][] expected = inputs.Select(x => RowByRow(net, x, RowCount)).ToArray();
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, t =>
        {
            var outputs = new float[RowCount * TwoCoreNet.OutputSize];
            for (int repeat = 0; repeat < 25; repeat++)
            {
                net.PredictBatch(inputs[t], outputs);
                Assert.Equal(expected[t], outputs);
            }
        });
    }

    [Fact]
    public void NoBytesAreAllocatedPerCallOnEitherThread()
    {
        RowSplit.Enabled = true;
        var net = new TwoCoreNet(seed: 13);
        float[] inputs = Rows(256, TwoCoreNet.InputSize, 5);
        var outputs = new float[256 * TwoCoreNet.OutputSize];
        for (int i = 0; i < 50; i++)
        {
            net.PredictBatch(inputs, outputs); // the worker thread, its buffers and this thread's cached work
        }

        long worker = RowSplit.WorkerAllocatedBytes;
        long chunks = RowSplit.WorkerChunks;
        AllocationProbe.AssertNone(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                net.PredictBatch(inputs, outputs);
            }
        });
        if (RowSplit.WorkerChunks > chunks)
        {
            // The worker records its counter after each call it served; other tests' calls allocate nothing there either.
            Assert.Equal(0, RowSplit.WorkerAllocatedBytes - worker);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    [Trait("Category", "VectorWidth")]
    public void ReducedPrecisionBatchesOnTwoCoresGiveTheOneCoreBitsAndAllocateNothing(bool int8)
    {
        INeuralNetwork<float> net = int8 ? new TwoCoreInt8Net(seed: 14) : new TwoCoreBFloat16Net(seed: 14);
        try
        {
            foreach (int rows in new[] { 163, 256, 257, 1000 })
            {
                float[] inputs = Rows(rows, 64, 200 + rows);
                var expected = new float[rows * 10];
                RowSplit.Enabled = false;
                net.PredictBatch(inputs, expected);
                RowSplit.Enabled = true;
                var rowByRow = new float[rows * 10];
                for (int row = 0; row < rows; row++)
                {
                    net.Predict(inputs.AsSpan(row * 64, 64), rowByRow.AsSpan(row * 10, 10));
                }

                Assert.Equal(rowByRow, expected); // each thread quantises (int8) or widens (bfloat16) a row as Predict does
                var outputs = new float[rows * 10];
                for (int repeat = 0; repeat < 10; repeat++)
                {
                    net.PredictBatch(inputs, outputs);
                    Assert.Equal(expected, outputs);
                }
            }

            // Allocation: the decoded-panel buffer each thread keeps comes on its first reduced chunk. Warm up until the
            // worker has run some of this network's chunks (a loaded machine may leave it out of a few calls), then measure.
            float[] batch = Rows(256, 64, 7);
            var batchOutputs = new float[256 * 10];
            long chunksBefore = RowSplit.WorkerChunks;
            for (int i = 0; i < 50 || (i < 2000 && RowSplit.WorkerChunks == chunksBefore); i++)
            {
                net.PredictBatch(batch, batchOutputs);
            }

            Assert.True(RowSplit.WorkerChunks > chunksBefore, "the worker thread never ran a chunk");

            long worker = RowSplit.WorkerAllocatedBytes;
            long chunks = RowSplit.WorkerChunks;
            AllocationProbe.AssertNone(() =>
            {
                for (int i = 0; i < 100; i++)
                {
                    net.PredictBatch(batch, batchOutputs);
                }
            });

            if (RowSplit.WorkerChunks > chunks)
            {
                Assert.Equal(0, RowSplit.WorkerAllocatedBytes - worker);
            }
        }
        finally
        {
            RowSplit.Enabled = true;
        }
    }

    private sealed class Counting : SplitWork
    {
        public int[] Runs = Array.Empty<int>();
        public int Throw = -1;
        public int[] Threads = Array.Empty<int>();

        protected internal override void RunChunk(int chunk)
        {
            Interlocked.Increment(ref Runs[chunk]);
            Threads[chunk] = Environment.CurrentManagedThreadId;
            Thread.SpinWait(20_000); // long enough for the worker to wake and take some
            if (chunk == Throw)
            {
                throw new InvalidOperationException("chunk " + chunk);
            }
        }
    }

    [Theory]
    [InlineData(256, 234_752)] // 784-256-128-10's multiply-adds per row
    [InlineData(255, 234_752)]
    [InlineData(128, 234_752)]
    [InlineData(100, 234_752)]
    [InlineData(64, 234_752)]
    [InlineData(16, 234_752)]
    [InlineData(12, 234_752)]
    [InlineData(9, 234_752)]
    [InlineData(1000, 234_752)]
    [InlineData(5000, 234_752)]
    [InlineData(1000, 12_928)] // TwoCoreNet: a chunk needs 41 rows for a quarter of MinimumMultiplyAdds
    [InlineData(163, 12_928)]
    public void ABatchIsCutIntoFallingPairsOfWholeTiles(int rows, long multiplyAdds)
    {
        var starts = new int[RowSplit.MaxForwardChunks + 1];
        int chunks = RowSplit.ForwardCut(rows, multiplyAdds, starts);
        Assert.InRange(chunks, 2, RowSplit.MaxForwardChunks);
        Assert.True(chunks % 2 == 0, $"{chunks} chunks: two threads taking turns would not end together");
        Assert.Equal(0, starts[0]);
        Assert.Equal(rows, starts[chunks]);
        int[] sizes = Enumerable.Range(0, chunks).Select(c => starts[c + 1] - starts[c]).ToArray();
        Assert.All(sizes, size => Assert.True(size * multiplyAdds >= RowSplit.MinimumMultiplyAdds / 4, $"a chunk of {size} rows"));
        // The smallest chunk of whole 6-row tiles that holds a quarter of MinimumMultiplyAdds.
        long quarter = (RowSplit.MinimumMultiplyAdds / 4) / multiplyAdds;
        int smallest = (int)(((quarter + RowSplit.ChunkRowMultiple - 1) / RowSplit.ChunkRowMultiple) * RowSplit.ChunkRowMultiple);
        if (rows / smallest < 2)
        {
            Assert.Equal(2, chunks); // two chunks of rows as they come
            return;
        }

        // After the first chunk (which also takes the rows after the last whole unit), whole tiles, in pairs of equal
        // size, never growing towards the end, the last pair the smallest unit.
        for (int c = 1; c < chunks; c++)
        {
            Assert.Equal(0, sizes[c] % RowSplit.ChunkRowMultiple);
            Assert.True(sizes[c] <= sizes[c - 1], $"chunk {c}: {sizes[c]} rows after {sizes[c - 1]}");
        }

        for (int c = 2; c < chunks; c += 2)
        {
            Assert.Equal(sizes[c], sizes[c + 1]);
        }

        Assert.True(sizes[^1] <= Math.Max(smallest, rows / 40), $"the last chunk has {sizes[^1]} rows");
        if (rows == 256 && multiplyAdds == 234_752)
        {
            // 42 tiles of 6 rows and 4 rows over: pairs of 8, 6, 4, 2 and 1 tiles, the 4 rows in the first chunk.
            Assert.Equal(new[] { 0, 52, 100, 136, 172, 196, 220, 232, 244, 250, 256 }, starts);
        }
    }

    [Fact]
    public void EveryChunkRunsExactlyOnce()
    {
        RowSplit.Enabled = true;
        var work = new Counting();
        foreach (int chunks in new[] { 0, 1, 2, 3, 16, 101 })
        {
            work.Runs = new int[chunks];
            work.Threads = new int[chunks];
            RowSplit.Run(work, chunks);
            Assert.All(work.Runs, count => Assert.Equal(1, count));
        }
    }

    [Fact]
    public void AChunksExceptionReachesTheCallerAfterBothThreadsStop()
    {
        RowSplit.Enabled = true;
        var work = new Counting();
        for (int attempt = 0; attempt < 10; attempt++)
        {
            work.Runs = new int[32];
            work.Threads = new int[32];
            work.Throw = 20;
            var error = Assert.Throws<InvalidOperationException>(() => RowSplit.Run(work, 32));
            Assert.Equal("chunk 20", error.Message);
            Assert.All(work.Runs, count => Assert.True(count <= 1));
        }

        // The worker is usable afterwards.
        work.Throw = -1;
        work.Runs = new int[8];
        work.Threads = new int[8];
        RowSplit.Run(work, 8);
        Assert.All(work.Runs, count => Assert.Equal(1, count));
    }
}
