using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Json;
using NetGen;


namespace NetGen.Bench;

/// <summary>
/// The comparison table of docs/performance.md in one command: NetGen, ONNX Runtime, TensorPrimitives and scalar
/// loops timed in this process on PyTorch's weights, PyTorch timed by its script right after (or read from its last
/// committed results), the machine's FMA peak and weight-streaming limit beside them.
/// </summary>
/// <remarks>
/// Method: every candidate is warmed up (tiered compilation done), then all candidates of a group run in
/// alternating rounds, each round timing a fixed number of calls, so a slow phase of the shared machine hits them
/// alike; a cell is the median round with the range (fastest-slowest round) beside it. Allocation is
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> over 100 calls after warm-up (managed bytes only: ONNX
/// Runtime's native allocations are not counted).
/// </remarks>
public static class QuickTable
{
    private const string NetGenColumn = "NetGen";
    private const string OrtColumn = "ONNX Runtime";
    private const string TorchColumn = "PyTorch";
    private const string TpColumn = "TensorPrimitives";
    private const string ScalarColumn = "scalar loops";
    private static readonly string[] Columns = { NetGenColumn, OrtColumn, TorchColumn, TpColumn, ScalarColumn, "bare TrainBatch loop" };

    private sealed class Cell
    {
        public required string Row { get; init; }
        public required string Column { get; init; }
        public required Action Call { get; init; }
        public int CallsPerRound { get; init; } = 1;

        /// <summary>
        /// Each round first makes one call timed apart (<see cref="FirstTimes"/>), then the timed ones: the two-core
        /// comparison's cells, so that they time a loop's steady state (the worker awake, as between a training loop's
        /// steps) and report the first call after the other cells (worker asleep) beside it.
        /// </summary>
        public bool LeadIn { get; init; }

        public List<double> FirstTimes { get; } = new();
        public double RowsPerCall { get; init; } = 1;
        public List<double> Times { get; } = new();
        public long? AllocatedPerCall { get; set; }
        public double Median => Sorted()[Times.Count / 2];
        public double Min => Sorted()[0];
        public double Max => Sorted()[^1];
        private List<double> Sorted() => Times.OrderBy(t => t).ToList();
    }

    private sealed record RowSpec(string Name, string Unit, double Scale, string? TorchName);

    private static readonly RowSpec[] RowSpecs =
    {
        new("784-256-128-10 ReLU, `Predict`, 1 row", "µs", 1e3, "mnist_predict_1"),
        new("784-256-128-10 ReLU, `PredictBatch`, 64 rows, per row", "µs", 1e3, "mnist_predict_batch_64_per_row"),
        new("784-256-128-10, `TrainBatch`, 32 rows, Adam", "ms", 1e6, "mnist_train_batch_32_adam"),
        new("784-256-128-10, epoch of 60,000 rows, batch 64, Adam", "s", 1e9, "mnist_epoch_60000_batch_64_adam"),
        new("4-32-16-4 tanh (SimpleChains), one Adam step on 10,000 rows", "ms", 1e6, "sc4_adam_step_10000_rows"),
        new("13-32-16-3 tanh, `Predict`, 1 row", "µs", 1e3, "tab13_predict_1"),
        new("784-256-128-10 ReLU, `PredictBatch`, 256 rows, per row, one core", "µs", 1e3, null),
        new("784-256-128-10 ReLU, `PredictBatch`, 256 rows, per row, two cores (RowSplit)", "µs", 1e3, null),
        new("784-256-128-10 ReLU, `Predict`, 1 row, bfloat16 weights (ORT: float)", "µs", 1e3, null),
        new("784-256-128-10 ReLU, `Predict`, 1 row, int8 weights (ORT: float)", "µs", 1e3, null),
        new("784-256-128-10 ReLU, `PredictBatch`, 64 rows, per row, bfloat16 weights (ORT: float)", "µs", 1e3, null),
        new("784-256-128-10 ReLU, `PredictBatch`, 64 rows, per row, int8 weights (ORT: float)", "µs", 1e3, null),
        new("13-32-16-3 ReLU, `Predict`, 1 row", "µs", 1e3, null),
        new("13-32-16-3 tanh, `TrainBatch`, 32 rows, Adam", "µs", 1e3, "tab13_train_batch_32_adam"),
        new("784-256-128-10, `TrainBatch`, 256 rows, Adam, one core", "ms", 1e6, null),
        new("784-256-128-10, `TrainBatch`, 256 rows, Adam, two cores (TrainingSplit)", "ms", 1e6, null),
        new("784-256-128-10 ReLU, `Predict`, 1 row, a Fashion-MNIST test image", "µs", 1e3, null),
    };

    /// <summary>Runs <paramref name="call"/> with RowSplit's worker off (training splits batches of 64+ rows), then restores the setting.</summary>
    private static void OneCore(Action call) => WithWorker(false, call);

    /// <summary>Runs <paramref name="call"/> with RowSplit's worker on, then restores the setting.</summary>
    private static void TwoCores(Action call) => WithWorker(true, call);

    private static void WithWorker(bool enabled, Action call)
    {
        bool before = NetGen.Numerics.RowSplit.Enabled;
        NetGen.Numerics.RowSplit.Enabled = enabled;
        try
        {
            call();
        }
        finally
        {
            NetGen.Numerics.RowSplit.Enabled = before;
        }
    }

    /// <summary>Runs everything and returns the report (Markdown).</summary>
    /// <param name="pytorch">Run bench/peer/pytorch_peer.py after the .NET measurements (else read its committed results).</param>
    /// <param name="jsonPath">Where to write the raw numbers, or null.</param>
    /// <param name="training">Time the training rows too (false: inference rows only, for quicker runs).</param>
    public static string Run(bool pytorch, string? jsonPath, bool training = true)
    {
        var report = new StringBuilder();
        var cells = new List<Cell>();
        using var disposables = new Disposables();
        SetUp(cells, disposables);
        if (!training)
        {
            cells.RemoveAll(c => c.Row == RowSpecs[2].Name || c.Row == RowSpecs[4].Name || c.Row == RowSpecs[13].Name || c.Row == RowSpecs[14].Name || c.Row == RowSpecs[15].Name);
        }

        WarmUp(cells.Select(c => c.Call));
        foreach (Cell cell in cells)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
            {
                cell.Call();
            }

            cell.AllocatedPerCall = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
        }

        Interleave(cells, rounds: 15);
        if (training)
        {
            List<Cell> epoch = EpochCells();
            Interleave(epoch, rounds: 5);
            cells.AddRange(epoch);
        }

        double fma256 = MachineLimits.FmaPeak256();
        double fma512 = MachineLimits.FmaPeak512();
        double fmaVectorT = MachineLimits.FmaPeakVectorT();
        int weightBytes = BenchNetwork.ParameterCount * sizeof(float);
        double streamWeights = MachineLimits.StreamNanoseconds(weightBytes);
        double streamL2Half = MachineLimits.StreamNanoseconds(256 * 1024);
        double streamDram = MachineLimits.StreamNanoseconds(256 << 20, passesPerRound: 1);

        (JsonDocument? torch, string torchSource) = pytorch ? RunPyTorch() : ReadCommittedPyTorch();
        string pytorchEpochData = torch?.RootElement.TryGetProperty("epoch_data", out JsonElement epochData) == true ? epochData.GetString() ?? "?" : "not recorded: synthetic rows with random labels";
        var torchTimes = new Dictionary<string, (double Median, double Min, double Max)>();
        if (torch is not null)
        {
            foreach (JsonElement r in torch.RootElement.GetProperty("results").EnumerateArray())
            {
                torchTimes[r.GetProperty("name").GetString()!] =
                    (r.GetProperty("median_ns").GetDouble(), r.GetProperty("min_ns").GetDouble(), r.GetProperty("max_ns").GetDouble());
            }
        }

        report.AppendLine(CultureInfo.InvariantCulture, $"# NetGen bench, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, Vector<float>.Count = {Vector<float>.Count}, " +
            $"Vector256 accelerated: {Vector256.IsHardwareAccelerated}, Vector512 accelerated: {Vector512.IsHardwareAccelerated}. One thread each.");
        report.AppendLine();
        report.AppendLine("| what | " + string.Join(" | ", Columns) + " | NetGen / ORT | NetGen / PyTorch |");
        report.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---|", Columns.Length + 2)));
        foreach (RowSpec spec in RowSpecs)
        {
            var line = new StringBuilder("| " + spec.Name + " |");
            double? netgen = null, ort = null, pt = null;
            foreach (string column in Columns)
            {
                if (column == TorchColumn)
                {
                    if (spec.TorchName is not null && torchTimes.TryGetValue(spec.TorchName, out var t))
                    {
                        pt = t.Median;
                        line.Append(' ').Append(Format(t.Median, t.Min, t.Max, spec)).Append(" |");
                    }
                    else
                    {
                        line.Append(" |");
                    }

                    continue;
                }

                Cell? cell = cells.FirstOrDefault(c => c.Row == spec.Name && c.Column == column);
                if (cell is null)
                {
                    line.Append(" |");
                    continue;
                }

                double scale = cell.RowsPerCall;
                line.Append(' ').Append(Format(cell.Median / scale, cell.Min / scale, cell.Max / scale, spec));
                if (cell.AllocatedPerCall is long bytes)
                {
                    line.Append(CultureInfo.InvariantCulture, $", {bytes} B");
                }

                line.Append(" |");
                if (column == NetGenColumn)
                {
                    netgen = cell.Median / scale;
                }
                else if (column == OrtColumn)
                {
                    ort = cell.Median / scale;
                }
            }

            line.Append(netgen is double n1 && ort is double o ? $" {o / n1:0.00}x |" : " |");
            line.Append(netgen is double n2 && pt is double p ? $" {p / n2:0.00}x |" : " |");
            report.AppendLine(line.ToString());
        }

        report.AppendLine();
        report.AppendLine("Cells: median round (fastest-slowest round), then managed bytes allocated per call. Ratios > 1: NetGen is faster.");
        report.AppendLine(CultureInfo.InvariantCulture, $"PyTorch: {torchSource}.");
        report.AppendLine();
        double flopsPerRow = 2.0 * ((784 * 256) + (256 * 128) + (128 * 10));
        Cell batch = cells.First(c => c.Row == RowSpecs[1].Name && c.Column == NetGenColumn);
        Cell ortBatch = cells.First(c => c.Row == RowSpecs[1].Name && c.Column == OrtColumn);
        Cell one = cells.First(c => c.Row == RowSpecs[0].Name && c.Column == NetGenColumn);
        double peak = Math.Max(fma256, Vector512.IsHardwareAccelerated ? fma512 : 0);
        report.AppendLine(CultureInfo.InvariantCulture, $"- FMA peak, one core: {fma256:0.0} GFLOP/s with Vector256, {fma512:0.0} with Vector512, {fmaVectorT:0.0} with Vector<float> ({Vector<float>.Count} lanes).");
        report.AppendLine(CultureInfo.InvariantCulture, $"- `PredictBatch` 64 rows: {flopsPerRow / (batch.Median / 64):0.0} GFLOP/s = {100 * flopsPerRow / (batch.Median / 64) / peak:0}% of the peak; ONNX Runtime {flopsPerRow / (ortBatch.Median / 64):0.0} GFLOP/s = {100 * flopsPerRow / (ortBatch.Median / 64) / peak:0}%.");
        report.AppendLine(CultureInfo.InvariantCulture, $"- Streaming the weights ({weightBytes:N0} bytes, float) once with {(Vector512.IsHardwareAccelerated ? 512 : 256)}-bit loads: {streamWeights / 1e3:0.00} µs ({weightBytes / streamWeights:0.0} GB/s); `Predict` takes {one.Median / streamWeights:0.00}x that.");
        Cell oneCore = cells.First(c => c.Row == RowSpecs[6].Name && c.Column == NetGenColumn);
        Cell twoCores = cells.First(c => c.Row == RowSpecs[7].Name && c.Column == NetGenColumn);
        static double MedianOf(List<double> values) => values.OrderBy(t => t).ElementAt(values.Count / 2);
        report.AppendLine(CultureInfo.InvariantCulture, $"- `PredictBatch` 256 rows, two cores against one: {oneCore.Median / twoCores.Median:0.00}x (median rounds), {oneCore.Min / twoCores.Min:0.00}x (fastest rounds) (allocation: the calling thread only; tests/NetGen.Runtime.Tests TwoCoreTests measure the worker too).");
        if (cells.FirstOrDefault(c => c.Row == RowSpecs[14].Name) is { } trainOne && cells.FirstOrDefault(c => c.Row == RowSpecs[15].Name) is { } trainTwo)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"- `TrainBatch` 256 rows, two cores against one: {trainOne.Median / trainTwo.Median:0.00}x (median rounds), {trainOne.Min / trainTwo.Min:0.00}x (fastest rounds); the same bits (checked before timing).");
            report.AppendLine(CultureInfo.InvariantCulture, $"- The two-core rows and their one-core rows time the calls after a first call per round (a loop's steady state, the worker awake); that first call, after the other cells (the worker asleep), median: `PredictBatch` 256 rows {MedianOf(oneCore.FirstTimes) / 256e3:0.00} µs per row on one core, {MedianOf(twoCores.FirstTimes) / 256e3:0.00} on two ({MedianOf(oneCore.FirstTimes) / MedianOf(twoCores.FirstTimes):0.00}x); `TrainBatch` 256 rows {MedianOf(trainOne.FirstTimes) / 1e6:0.00} ms on one core, {MedianOf(trainTwo.FirstTimes) / 1e6:0.00} on two ({MedianOf(trainOne.FirstTimes) / MedianOf(trainTwo.FirstTimes):0.00}x).");
        }

        if (training)
        {
            report.AppendLine(pytorchEpochData == EpochData
                ? $"- The epoch row trains NetGen and PyTorch on {EpochData}."
                : $"- The epoch row trains NetGen on {EpochData}, PyTorch on {pytorchEpochData}: not the same work.");
        }

        if (!double.IsNaN(s_imageZeroShare))
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"- The image row: Fashion-MNIST's test image with the median share of zero pixels among the first 101 ({s_imageZeroShare:P0}), pixels / 255; one-row `Predict` skips the weight rows of zero inputs (the same bits), ONNX Runtime reads them all. The random rows of the other cells have no zero input.");
        }

        report.AppendLine(CultureInfo.InvariantCulture, $"- Streaming 256 KB (L2): {256 * 1024 / streamL2Half:0.0} GB/s; 256 MB (memory): {(256 << 20) / streamDram:0.0} GB/s.");

        if (jsonPath is not null)
        {
            var raw = new
            {
                cores = Environment.ProcessorCount,
                runtime = Environment.Version.ToString(),
                vector_float_lanes = Vector<float>.Count,
                vector512_accelerated = Vector512.IsHardwareAccelerated,
                fma_gflops = new { vector256 = fma256, vector512 = fma512, vector_t = fmaVectorT },
                stream_ns = new { weights = streamWeights, l2_256k = streamL2Half, dram_256m = streamDram },
                cells = cells.Select(c => new { row = c.Row, column = c.Column, median_ns = c.Median / c.RowsPerCall, min_ns = c.Min / c.RowsPerCall, max_ns = c.Max / c.RowsPerCall, allocated = c.AllocatedPerCall }),
                pytorch = torch?.RootElement,
            };
            File.WriteAllText(jsonPath, JsonSerializer.Serialize(raw, new JsonSerializerOptions { WriteIndented = true }));
        }

        return report.ToString();
    }

    private static string Format(double median, double min, double max, RowSpec spec)
    {
        double s = spec.Scale;
        string f = median / s >= 100 ? "0" : median / s >= 10 ? "0.0" : "0.00";
        return string.Create(CultureInfo.InvariantCulture, $"{(median / s).ToString(f, CultureInfo.InvariantCulture)} {spec.Unit} ({(min / s).ToString(f, CultureInfo.InvariantCulture)}-{(max / s).ToString(f, CultureInfo.InvariantCulture)})");
    }

    /// <summary>
    /// Runs each call for a quarter of a second, twice with a pause between, so that tiered compilation has
    /// replaced the first, unoptimised code (it waits for a quiet 100 ms, then compiles in the background).
    /// </summary>
    public static void WarmUp(IEnumerable<Action> calls)
    {
        Action[] all = calls.ToArray();
        for (int pass = 0; pass < 2; pass++)
        {
            foreach (Action call in all)
            {
                long start = Stopwatch.GetTimestamp();
                do
                {
                    call();
                }
                while (Stopwatch.GetElapsedTime(start).TotalMilliseconds < 250);
            }

            System.Threading.Thread.Sleep(200);
        }
    }

    /// <summary>
    /// Runs every cell once per round. Each round starts one cell further along, so that no cell is always the first
    /// after a switch (the first item of a round measured up to about 1 µs slower in `--predict-profile`, whichever
    /// item it was). In every other round the NetGen and ONNX Runtime cells of a row trade places, so that each of the
    /// two runs after the same cells as often as the other: the rotation alone keeps every cell's neighbours, and the
    /// 64-row NetGen cell ran right after the scalar loops' cell in all rounds but one, ONNX Runtime's right after
    /// NetGen's, and the first calls after a switch cost each engine differently from run to run (bench --batch-context;
    /// docs/performance.md, "PredictBatch on the Zen 3").
    /// </summary>
    private static void Interleave(List<Cell> cells, int rounds)
    {
        int[] partner = Enumerable.Range(0, cells.Count).ToArray();
        for (int i = 0; i < cells.Count; i++)
        {
            if (cells[i].Column == NetGenColumn && cells.FindIndex(c => c.Row == cells[i].Row && c.Column == OrtColumn) is int j and >= 0)
            {
                partner[i] = j;
                partner[j] = i;
            }
        }

        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < cells.Count; k++)
            {
                int at = (round + k) % cells.Count;
                Cell cell = cells[round % 2 == 0 ? at : partner[at]];
                if (cell.LeadIn)
                {
                    long first = Stopwatch.GetTimestamp();
                    cell.Call();
                    cell.FirstTimes.Add(Stopwatch.GetElapsedTime(first).TotalNanoseconds);
                }

                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < cell.CallsPerRound; i++)
                {
                    cell.Call();
                }

                cell.Times.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / cell.CallsPerRound);
            }
        }
    }

    private static float[] RandomRows(int rows, int width, int seed, float low = 0, float high = 1)
    {
        var random = new SeededRandom(seed);
        var values = new float[rows * width];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = low + ((high - low) * (float)random.NextDouble());
        }

        return values;
    }

    /// <summary>The share of zero pixels in the Fashion-MNIST image of the one-row image cells (NaN without the data set).</summary>
    private static double s_imageZeroShare = double.NaN;

    private static void SetUp(List<Cell> cells, Disposables disposables)
    {
        // One thread each, like ONNX Runtime (IntraOpNumThreads = 1): PredictBatch's two-core split only in its own row.
        NetGen.Numerics.RowSplit.Enabled = false;

        // 784-256-128-10: one network for inference, PyTorch's weights, checked against PyTorch's probe output.
        BenchNetwork mnist = Models.Load(new BenchNetwork(), "mnist");
        float[] parameters = mnist.Parameters.ToArray();
        var baselines = new Baselines(parameters, new[] { 784, 256, 128, 10 }, tanh: false, softmax: true);
        float[] batch = RandomRows(64, 784, 5);
        float[] one = batch.AsSpan(0, 784).ToArray();
        var output = new float[10];
        var batchOutput = new float[64 * 10];
        OnnxPeer ort1 = disposables.Add(new OnnxPeer(Models.Onnx("mnist"), 1, 784, 10));
        OnnxPeer ort64 = disposables.Add(new OnnxPeer(Models.Onnx("mnist"), 64, 784, 10));
        one.CopyTo(ort1.Input, 0);
        batch.CopyTo(ort64.Input, 0);
        CheckAgree("mnist", mnist, baselines, ort64, batch, 64, 784, 10);

        string r0 = RowSpecs[0].Name, r1 = RowSpecs[1].Name, r2 = RowSpecs[2].Name, r4 = RowSpecs[4].Name, r5 = RowSpecs[5].Name;
        cells.Add(new Cell { Row = r0, Column = NetGenColumn, Call = () => mnist.Predict(one, output), CallsPerRound = 400 });
        cells.Add(new Cell { Row = r0, Column = OrtColumn, Call = ort1.Run, CallsPerRound = 400 });
        cells.Add(new Cell { Row = r0, Column = TpColumn, Call = () => baselines.PredictTensorPrimitives(one, output), CallsPerRound = 400 });
        cells.Add(new Cell { Row = r0, Column = ScalarColumn, Call = () => baselines.PredictScalar(one, output), CallsPerRound = 40 });
        cells.Add(new Cell { Row = r1, Column = NetGenColumn, Call = () => mnist.PredictBatch(batch, batchOutput), CallsPerRound = 10, RowsPerCall = 64 });
        cells.Add(new Cell { Row = r1, Column = OrtColumn, Call = ort64.Run, CallsPerRound = 10, RowsPerCall = 64 });
        cells.Add(new Cell
        {
            Row = r1, Column = TpColumn, CallsPerRound = 4, RowsPerCall = 64,
            Call = () =>
            {
                for (int row = 0; row < 64; row++)
                {
                    baselines.PredictTensorPrimitives(batch.AsSpan(row * 784, 784), batchOutput.AsSpan(row * 10, 10));
                }
            },
        });

        // One row of real input: a Fashion-MNIST test image (pixels / 255, the network's input; the median share of zero
        // pixels of the first 101 test images), whose zero pixels PackedDense's one-row tiles skip. ONNX Runtime gets
        // the same image; the random rows above have no zero input (only layer 2's ReLU inputs).
        if (SparseRowAb.MedianTestImage() is { } image)
        {
            OnnxPeer ortImage = disposables.Add(new OnnxPeer(Models.Onnx("mnist"), 1, 784, 10));
            image.Image.CopyTo(ortImage.Input, 0);
            float[] imageRow = image.Image;
            var imageOutput = new float[10];
            s_imageZeroShare = image.ZeroShare;
            cells.Add(new Cell { Row = RowSpecs[16].Name, Column = NetGenColumn, Call = () => mnist.Predict(imageRow, imageOutput), CallsPerRound = 400 });
            cells.Add(new Cell { Row = RowSpecs[16].Name, Column = OrtColumn, Call = ortImage.Run, CallsPerRound = 400 });
        }

        // 256 rows on one core (RowSplit off for the call) and on two (its default here).
        string r6 = RowSpecs[6].Name, r7 = RowSpecs[7].Name;
        float[] batch256 = RandomRows(256, 784, 13);
        var batch256Output = new float[256 * 10];
        OnnxPeer ort256 = disposables.Add(new OnnxPeer(Models.Onnx("mnist"), 256, 784, 10));
        batch256.CopyTo(ort256.Input, 0);
        cells.Add(new Cell { Row = r6, Column = NetGenColumn, Call = () => mnist.PredictBatch(batch256, batch256Output), CallsPerRound = 3, RowsPerCall = 256, LeadIn = true });
        cells.Add(new Cell { Row = r6, Column = OrtColumn, Call = ort256.Run, CallsPerRound = 3, RowsPerCall = 256 });
        cells.Add(new Cell
        {
            Row = r7, Column = NetGenColumn, CallsPerRound = 3, RowsPerCall = 256, LeadIn = true,
            Call = () =>
            {
                NetGen.Numerics.RowSplit.Enabled = true;
                mnist.PredictBatch(batch256, batch256Output);
                NetGen.Numerics.RowSplit.Enabled = false;
            },
        });

        // Reduced-precision weights: PyTorch's float weights copied in; ONNX Runtime in float beside them.
        var bf16 = new BenchNetworkBFloat16();
        var int8 = new BenchNetworkInt8();
        parameters.CopyTo(bf16.Parameters);
        parameters.CopyTo(int8.Parameters);
        cells.Add(new Cell { Row = RowSpecs[8].Name, Column = NetGenColumn, Call = () => bf16.Predict(one, output), CallsPerRound = 400 });
        cells.Add(new Cell { Row = RowSpecs[8].Name, Column = OrtColumn, Call = ort1.Run, CallsPerRound = 400 });
        cells.Add(new Cell { Row = RowSpecs[9].Name, Column = NetGenColumn, Call = () => int8.Predict(one, output), CallsPerRound = 400 });
        cells.Add(new Cell { Row = RowSpecs[9].Name, Column = OrtColumn, Call = ort1.Run, CallsPerRound = 400 });
        cells.Add(new Cell { Row = RowSpecs[10].Name, Column = NetGenColumn, Call = () => bf16.PredictBatch(batch, batchOutput), CallsPerRound = 10, RowsPerCall = 64 });
        cells.Add(new Cell { Row = RowSpecs[10].Name, Column = OrtColumn, Call = ort64.Run, CallsPerRound = 10, RowsPerCall = 64 });
        cells.Add(new Cell { Row = RowSpecs[11].Name, Column = NetGenColumn, Call = () => int8.PredictBatch(batch, batchOutput), CallsPerRound = 10, RowsPerCall = 64 });
        cells.Add(new Cell { Row = RowSpecs[11].Name, Column = OrtColumn, Call = ort64.Run, CallsPerRound = 10, RowsPerCall = 64 });

        // 784-256-128-10 training: its own instance, a tiny learning rate so repeated steps stay near the start.
        BenchNetwork mnistTrain = Models.Load(new BenchNetwork(), "mnist");
        mnistTrain.LearningRate = 1e-6f;
        float[] trainInputs = RandomRows(32, 784, 6);
        int[] trainLabels = Enumerable.Range(0, 32).Select(i => i % 10).ToArray();
        cells.Add(new Cell { Row = r2, Column = NetGenColumn, Call = () => mnistTrain.TrainBatch(trainInputs, trainLabels), CallsPerRound = 5 });

        // SimpleChains' shape: one full-batch Adam step on 10,000 rows.
        SimpleChainsNetwork sc = Models.Load(new SimpleChainsNetwork(), "sc4");
        float[] scInputs = RandomRows(10_000, 4, 7, -1, 1);
        float[] scTargets = RandomRows(10_000, 4, 8, -1, 1);
        cells.Add(new Cell { Row = r4, Column = NetGenColumn, Call = () => OneCore(() => sc.TrainBatch(scInputs, scTargets)), CallsPerRound = 2 });

        // 13-32-16-3 tanh trained on minibatches of 32 rows (labels), a tiny learning rate as above.
        TabularNetwork tabTrain = Models.Load(new TabularNetwork(), "tab13");
        tabTrain.LearningRate = 1e-6f;
        float[] tabTrainInputs = RandomRows(32, 13, 15);
        int[] tabTrainLabels = Enumerable.Range(0, 32).Select(i => i % 3).ToArray();
        cells.Add(new Cell { Row = RowSpecs[13].Name, Column = NetGenColumn, Call = () => tabTrain.TrainBatch(tabTrainInputs, tabTrainLabels), CallsPerRound = 500 });

        // Two cores for training: the same 256-row step with the worker off and on, checked to give the same bits first.
        BenchNetwork wide1 = Models.Load(new BenchNetwork(), "mnist"), wide2 = Models.Load(new BenchNetwork(), "mnist");
        wide1.LearningRate = wide2.LearningRate = 1e-6f;
        float[] wideInputs = RandomRows(256, 784, 14);
        int[] wideLabels = Enumerable.Range(0, 256).Select(i => i % 10).ToArray();
        float oneLoss = 0;
        OneCore(() => oneLoss = wide1.TrainBatch(wideInputs, wideLabels));
        float twoLoss = 0;
        TwoCores(() => twoLoss = wide2.TrainBatch(wideInputs, wideLabels));
        if (oneLoss != twoLoss || !wide1.Parameters.SequenceEqual(wide2.Parameters))
        {
            throw new InvalidOperationException("TrainBatch on two cores did not give the one-core bits.");
        }

        cells.Add(new Cell { Row = RowSpecs[14].Name, Column = NetGenColumn, Call = () => OneCore(() => wide1.TrainBatch(wideInputs, wideLabels)), CallsPerRound = 2, LeadIn = true });
        cells.Add(new Cell { Row = RowSpecs[15].Name, Column = NetGenColumn, Call = () => TwoCores(() => wide2.TrainBatch(wideInputs, wideLabels)), CallsPerRound = 2, LeadIn = true });

        // 13-32-16-3 tanh, one row.
        TabularNetwork tab = Models.Load(new TabularNetwork(), "tab13");
        var tabBaselines = new Baselines(tab.Parameters.ToArray(), new[] { 13, 32, 16, 3 }, tanh: true, softmax: true);
        float[] tabRows = RandomRows(64, 13, 9);
        float[] tabOne = tabRows.AsSpan(0, 13).ToArray();
        var tabOutput = new float[3];
        OnnxPeer ortTab = disposables.Add(new OnnxPeer(Models.Onnx("tab13"), 1, 13, 3));
        OnnxPeer ortTab64 = disposables.Add(new OnnxPeer(Models.Onnx("tab13"), 64, 13, 3));
        tabOne.CopyTo(ortTab.Input, 0);
        tabRows.CopyTo(ortTab64.Input, 0);
        CheckAgree("tab13", tab, tabBaselines, ortTab64, tabRows, 64, 13, 3);
        cells.Add(new Cell { Row = r5, Column = NetGenColumn, Call = () => tab.Predict(tabOne, tabOutput), CallsPerRound = 20_000 });
        cells.Add(new Cell { Row = r5, Column = OrtColumn, Call = ortTab.Run, CallsPerRound = 5_000 });
        cells.Add(new Cell { Row = r5, Column = TpColumn, Call = () => tabBaselines.PredictTensorPrimitives(tabOne, tabOutput), CallsPerRound = 20_000 });
        cells.Add(new Cell { Row = r5, Column = ScalarColumn, Call = () => tabBaselines.PredictScalar(tabOne, tabOutput), CallsPerRound = 20_000 });

        // 13-32-16-3 ReLU: tab13's weights in a ReLU network, exported to ONNX by NetGen for ONNX Runtime.
        var relu = new TabularReluNetwork();
        tab.Parameters.CopyTo(relu.Parameters);
        string reluOnnx = Path.Combine(Path.GetTempPath(), $"netgen-bench-tab13-relu-{Environment.ProcessId}.onnx");
        Onnx.Export(relu, reluOnnx);
        OnnxPeer ortRelu = disposables.Add(new OnnxPeer(reluOnnx, 1, 13, 3, "input", "output"));
        OnnxPeer ortRelu64 = disposables.Add(new OnnxPeer(reluOnnx, 64, 13, 3, "input", "output"));
        File.Delete(reluOnnx);
        tabOne.CopyTo(ortRelu.Input, 0);
        tabRows.CopyTo(ortRelu64.Input, 0);
        CheckAgree("tab13 ReLU", relu, new Baselines(relu.Parameters.ToArray(), new[] { 13, 32, 16, 3 }, tanh: false, softmax: true), ortRelu64, tabRows, 64, 13, 3);
        cells.Add(new Cell { Row = RowSpecs[12].Name, Column = NetGenColumn, Call = () => relu.Predict(tabOne, tabOutput), CallsPerRound = 20_000 });
        cells.Add(new Cell { Row = RowSpecs[12].Name, Column = OrtColumn, Call = ortRelu.Run, CallsPerRound = 5_000 });
    }

    /// <summary>The self-check: NetGen, both baselines and ONNX Runtime give the same outputs (1e-5 relative) on every row.</summary>
    private static void CheckAgree(string name, INeuralNetwork<float> network, Baselines baselines, OnnxPeer ort, float[] rows, int count, int inputs, int outputs)
    {
        var expected = new float[count * outputs];
        network.PredictBatch(rows, expected);
        ort.Run();
        Models.Check($"ONNX Runtime {name}", ort.Output, expected);
        var row = new float[outputs];
        for (int r = 0; r < count; r++)
        {
            ReadOnlySpan<float> x = rows.AsSpan(r * inputs, inputs);
            ReadOnlySpan<float> want = expected.AsSpan(r * outputs, outputs);
            network.Predict(x, row);
            Models.Check($"NetGen Predict {name} row {r}", row, want);
            baselines.PredictScalar(x, row);
            Models.Check($"scalar {name} row {r}", row, want);
            baselines.PredictTensorPrimitives(x, row);
            Models.Check($"TensorPrimitives {name} row {r}", row, want);
        }
    }

    /// <summary>Debian's dataset-fashion-mnist, which the epoch row trains on when it is installed (the PyTorch script reads the same files).</summary>
    private const string FashionMnist = "/usr/share/datasets/fashion-mnist";

    /// <summary>
    /// What the epoch row trains on: Fashion-MNIST's 60,000 training images when the Debian package is installed, else
    /// 60,000 synthetic rows with random labels, on which the network stops learning (most gradients exactly 0) and
    /// the time depends on how each side handles the subnormal optimizer state that follows (docs/performance.md).
    /// </summary>
    private static string EpochData => File.Exists(Path.Combine(FashionMnist, "train-labels-idx1-ubyte.gz"))
        ? $"Fashion-MNIST's training set ({FashionMnist})"
        : "synthetic rows with random labels (dataset-fashion-mnist is not installed)";

    private static List<Cell> EpochCells()
    {
        const int rows = 60_000, batchSize = 64;
        string name = RowSpecs[3].Name;
        float[] features;
        int[] labels;
        if (EpochData.StartsWith("Fashion-MNIST", StringComparison.Ordinal))
        {
            // The real training set (pixels / 255), as samples/FashionMnist and the PyTorch script read it: a network
            // that learns, as in the issue's epoch.
            Dataset<float> fashion = Idx.LoadDataset<float>(Path.Combine(FashionMnist, "train-images-idx3-ubyte.gz"), Path.Combine(FashionMnist, "train-labels-idx1-ubyte.gz"));
            features = fashion.Features.ToArray();
            labels = fashion.Labels.ToArray();
        }
        else
        {
            features = RandomRows(rows, 784, 10);
            var random = new SeededRandom(11);
            labels = new int[rows];
            for (int i = 0; i < rows; i++)
            {
                labels[i] = (int)(random.NextDouble() * 10) % 10;
            }
        }

        Dataset<float> data = Dataset<float>.FromLabels(features, 784, labels, 10);
        // One network instance for both cells, so that the ratio is Fit's own cost and not a difference between two
        // instances' arrays (bench --fit runs two instances to show that difference).
        BenchNetwork fit = Models.Load(new BenchNetwork(), "mnist");
        BenchNetwork bare = fit;
        // The same work as the bare loop: every row trains, one epoch, no validation split or early stopping.
        var options = new TrainingOptions { Epochs = 1, BatchSize = batchSize, Seed = 1, ValidationSplit = 0, EarlyStoppingPatience = 0, RestoreBestWeights = false };

        // The bare loop: the batches Fit trains on (its shuffle, SeededRandom(seed, stream: epoch) over 0..rows-1), gathered by hand, then TrainBatch.
        int[] order = new int[rows];
        var batchInputs = new float[batchSize * 784];
        var batchLabels = new int[batchSize];
        void BareEpoch()
        {
            for (int i = 0; i < rows; i++)
            {
                order[i] = i;
            }

            new SeededRandom(options.Seed, stream: 1).Shuffle(order.AsSpan());
            for (int start = 0; start < rows; start += batchSize)
            {
                int n = Math.Min(batchSize, rows - start);
                for (int k = 0; k < n; k++)
                {
                    features.AsSpan(order[start + k] * 784, 784).CopyTo(batchInputs.AsSpan(k * 784));
                    batchLabels[k] = labels[order[start + k]];
                }

                bare.TrainBatch(batchInputs.AsSpan(0, n * 784), batchLabels.AsSpan(0, n));
            }
        }

        var cells = new List<Cell>
        {
            new() { Row = name, Column = NetGenColumn, Call = () => OneCore(() => Trainer.Fit(fit, data, options)) },
            new() { Row = name, Column = "bare TrainBatch loop", Call = () => OneCore(BareEpoch) },
        };
        foreach (Cell cell in cells)
        {
            cell.Call(); // warm-up epoch
        }

        return cells;
    }

    private static (JsonDocument?, string) RunPyTorch()
    {
        string? script = RepositoryFiles.Find(Path.Combine("bench", "peer", "pytorch_peer.py"));
        if (script is null || !File.Exists("/usr/bin/python3"))
        {
            var (doc, source) = ReadCommittedPyTorch();
            return (doc, "could not run bench/peer/pytorch_peer.py here; " + source);
        }

        var start = new ProcessStartInfo("/usr/bin/python3", script) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["OPENBLAS_NUM_THREADS"] = "1";
        start.Environment.Remove("OPENBLAS_CORETYPE"); // OpenBLAS's own kernel, or the script's choice where that is a generic one (docs/performance.md)
        start.Environment.Remove("OPENBLAS_L2_SIZE");
        using Process process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            var (doc, source) = ReadCommittedPyTorch();
            return (doc, $"bench/peer/pytorch_peer.py failed ({stderr.Trim().Split('\n').LastOrDefault()}); " + source);
        }

        JsonDocument result = JsonDocument.Parse(stdout);
        JsonElement root = result.RootElement;
        return (result, $"torch {root.GetProperty("torch").GetString()}, {root.GetProperty("threads").GetInt32()} thread, run by this command after the .NET measurements; {Blas(root)}");
    }

    /// <summary>Which BLAS PyTorch ran, from threadpoolctl's report in the script's output.</summary>
    private static string Blas(JsonElement root)
    {
        if (root.GetProperty("blas").GetProperty("threadpools") is { ValueKind: JsonValueKind.Array } pools)
        {
            foreach (JsonElement pool in pools.EnumerateArray())
            {
                if (pool.GetProperty("internal_api").GetString() == "openblas")
                {
                    string set = root.GetProperty("blas").TryGetProperty("openblas_own_choice", out JsonElement own) && own.ValueKind == JsonValueKind.String
                        ? $" (OPENBLAS_CORETYPE set by the script from the CPU's flags: OpenBLAS chose its generic {own.GetString()} kernel for this CPU)"
                        : "";
                    return $"OpenBLAS {pool.GetProperty("version").GetString()}, kernel {pool.GetProperty("architecture").GetString()}{set}, {pool.GetProperty("num_threads").GetInt32()} thread";
                }
            }
        }

        return "OpenBLAS not found by threadpoolctl";
    }

    private static (JsonDocument?, string) ReadCommittedPyTorch()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "pytorch_results.json");
        if (!File.Exists(path))
        {
            return (null, "no results");
        }

        JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        return (doc, $"the committed bench/peer/pytorch_results.json (an earlier run, not this one; {Blas(doc.RootElement)})");
    }

    private sealed class Disposables : IDisposable
    {
        private readonly List<IDisposable> _items = new();

        public T Add<T>(T item) where T : IDisposable
        {
            _items.Add(item);
            return item;
        }

        public void Dispose()
        {
            foreach (IDisposable item in _items)
            {
                item.Dispose();
            }
        }
    }
}
