using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace NetGen.SourceGeneration;

/// <summary>
/// Lays a network out: parameters in PyTorch <c>state_dict</c> order (each dense layer's weight [out, in] row-major,
/// then its bias, then a PReLU slope), every intermediate value of one row at its own named place in one scratch
/// buffer so that backpropagation can read it back, and what training and PredictClass need. Runs once per network
/// per edit; the generator and the analyzers share the result.
/// </summary>
internal static class NetworkPlanner
{
    /// <summary>
    /// The most values one array (and so one <c>Span</c>) can hold: <c>Array.MaxLength</c>, which netstandard2.0 does not
    /// expose. Every parameter offset and scratch offset of a plan, and both totals, stay at or below it.
    /// </summary>
    public const long MaxArrayLength = 0x7FFFFFC7;

    /// <summary>
    /// Lays <paramref name="spec"/> out, or returns null and says in <paramref name="tooLarge"/> which array would pass
    /// <see cref="MaxArrayLength"/> first (the parser reports that as NG0011).
    /// </summary>
    public static NetworkPlan? Plan(NetworkSpec spec, out PlanTooLarge? tooLarge)
    {
        // Every offset and size of the generated code is computed by these two allocators and nowhere else, in checked
        // 64-bit arithmetic; the first request that passes MaxArrayLength stops the plan (docs/architecture.md).
        var parameters = new Allocator("parameters");
        var scratch = new Allocator("scratch values");
        tooLarge = null;
        PlanTooLarge? overflow = null;
        var slots = new List<ScratchSlot>();
        ScratchSlot Slot(string name, long length, int layerIndex, string owner)
        {
            var slot = new ScratchSlot(name, scratch.Take(length, layerIndex, owner, ref overflow), (int)Math.Min(length, MaxArrayLength));
            slots.Add(slot);
            return slot;
        }

        LossEntry? loss = LossCatalog.Of(spec.Loss);
        int lastDense = LastDenseIndex(spec);
        var layers = new List<LayerPlan>(spec.Layers.Count);
        int width = spec.InputSize, maxWidth = 1, denseNumber = 0;
        long activations = 0;
        long multiplyAdds = 0;
        ScratchSlot? trainingInput = null, inferenceInput = null; // null: the caller's input row

        for (int i = 0; i < spec.Layers.Count; i++)
        {
            LayerSpec layer = spec.Layers[i];
            int number = i + 1;
            if (layer.Kind == LayerKind.Dropout)
            {
                // Training: y = x * mask. Inference: identity, so the next layer reads what this one received.
                string dropout = $"dropout layer {number} ({Count(width)} values)";
                ScratchSlot mask = Slot($"Layer{number}Mask", width, i, dropout);
                ScratchSlot masked = Slot($"Layer{number}Y", width, i, dropout);
                layers.Add(new DropoutLayerPlan(number, layer.DropoutRate, width, mask, masked, trainingInput));
                trainingInput = masked;
                continue;
            }

            ActivationEntry activation = ActivationCatalog.Of(layer.Activation);
            int units = layer.Units;
            long weightCount = (long)units * width;
            string owner = $"dense layer {number} ({Count(width)} -> {Count(units)})";
            var weights = new ParameterRange(parameters.Take(weightCount, i, owner, ref overflow), (int)Math.Min(weightCount, MaxArrayLength));
            ParameterRange? bias = layer.HasBias ? new ParameterRange(parameters.Take(units, i, owner, ref overflow), units) : null;
            int? slope = activation.Alpha == AlphaRole.LearnedSlope ? parameters.Take(1, i, owner, ref overflow) : null;
            bool isOutput = i == lastDense;
            bool keepsZ = loss is not null
                && ((activation.DerivativeReads & Reads.Z) != 0 || (isOutput && (loss.FormFor(layer.Activation).Reads & Reads.Z) != 0));

            // Only training reads pre-activations back, and only where the derivative or the loss needs them.
            ScratchSlot? z = keepsZ ? Slot($"Layer{number}Z", units, i, owner) : null;
            ScratchSlot y = Slot($"Layer{number}Y", units, i, owner);

            layers.Add(new DenseLayerPlan(number, ++denseNumber, layer, width, units, new DenseParameters(weights, bias, slope), z, y,
                trainingInput, inferenceInput, BatchInput: null, BatchOutput: null, IsFirstDense: denseNumber == 1, isOutput, keepsZ));

            multiplyAdds += (long)units * width;
            activations += units;
            maxWidth = Math.Max(maxWidth, units);
            trainingInput = inferenceInput = y;
            width = units;
        }

        // Backpropagation's rows: two gradient rows as wide as the widest layer, and the target row of a label.
        (ScratchSlot A, ScratchSlot B, ScratchSlot Target)? gradients = loss is null ? null : (
            Slot("GradientA", maxWidth, -1, "the first gradient row"),
            Slot("GradientB", maxWidth, -1, "the second gradient row"),
            Slot("TargetRow", width, -1, "the target row"));

        // The packed inference copy: each dense layer's panels of 64 bytes of units (16 floats, 8 doubles), a bias row
        // and one row per input, then a panel-wide slot for a learned slope (NetGen.Numerics.PackedDense). And
        // PredictBatch's buffer: each hidden dense layer's outputs for BatchRows rows, one row after another.
        var packed = new Allocator("packed inference values");
        var batch = new Allocator("PredictBatch values");
        long panelWidth = NetworkPlan.PanelWidthOf(spec.Precision);
        ReducedWeights? reduced = ReducedWeights.Of(spec.WeightPrecision);
        long hiddenUnits = layers.OfType<DenseLayerPlan>().Where(d => !d.IsOutput).Sum(d => (long)d.OutputSize);
        int batchRows = (int)Math.Max(6, Math.Min(NetworkPlan.MaxBatchRows, 32768 / Math.Max(1, hiddenUnits)));
        ScratchSlot? batchInput = null;
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i] is not DenseLayerPlan dense)
            {
                continue;
            }

            string owner = $"dense layer {dense.Number} ({Count(dense.InputSize)} -> {Count(dense.OutputSize)})";
            ScratchSlot PackedSlot(string name, long length) =>
                new($"Layer{dense.Number}{name}", packed.Take(length, i, owner, ref overflow), (int)Math.Min(length, MaxArrayLength));
            long panels = (dense.OutputSize + panelWidth - 1) / panelWidth;
            ScratchSlot packedAt = PackedSlot("Packed", checked(panels * (dense.InputSize + 1L) * panelWidth));
            ScratchSlot? packedSlope = dense.Parameters.Slope is null ? null : PackedSlot("Slope", panelWidth);
            ScratchSlot? packedReduced = reduced is null ? null : PackedSlot("Reduced", reduced.LayerLength(dense.InputSize, dense.OutputSize));
            ScratchSlot? batchOutput = null;
            if (!dense.IsOutput)
            {
                long length = checked((long)batchRows * dense.OutputSize);
                batchOutput = new ScratchSlot($"Layer{dense.Number}Rows", batch.Take(length, i, owner, ref overflow), (int)Math.Min(length, MaxArrayLength));
            }

            layers[i] = dense with { BatchInput = batchInput, BatchOutput = batchOutput, Packed = packedAt, PackedSlope = packedSlope, PackedReduced = packedReduced };
            batchInput = batchOutput;
        }

        if (overflow is not null)
        {
            tooLarge = overflow;
            return null;
        }

        DenseLayerPlan outputLayer = layers.OfType<DenseLayerPlan>().Last();
        ClassRule? predictClass = outputLayer.OutputSize > 1 ? new ClassRule(null)
            : outputLayer.Activation.ClassThreshold is { } threshold ? new ClassRule(threshold)
            : null;

        TrainingPlan? training = loss is null ? null : new TrainingPlan(
            spec.Loss,
            FusedOutput: loss.FusesWith == outputLayer.Spec.Activation,
            OutputReads: loss.FormFor(outputLayer.Spec.Activation).Reads,
            MeanOverOutputs: !loss.AveragesOverRows,
            MeanOver: loss.AveragesOverRows ? "rows" : "rows and outputs",
            OptimizerBuffers: new EquatableArray<string>(OptimizerCatalog.Buffers(spec.Optimizer, spec.Momentum)),
            gradients!.Value.A,
            gradients.Value.B,
            gradients.Value.Target,
            PlanTiles(spec, layers, gradients.Value.A, gradients.Value.B, (int)scratch.Total));

        return new NetworkPlan(
            spec,
            spec.Precision == Precision.Double ? ScalarType.Double : ScalarType.Single,
            width,
            (int)parameters.Total,
            multiplyAdds,
            (int)activations,
            new EquatableArray<LayerPlan>(layers),
            new ScratchLayout(new EquatableArray<ScratchSlot>(slots), (int)scratch.Total),
            predictClass,
            training,
            new EquatableArray<string>(MemberNames(predictClass is not null, training is not null, spec.Weights is not null, spec.StandardizeInputs).ToArray()),
            (int)packed.Total,
            batchRows,
            (int)batch.Total,
            reduced);
    }

    /// <summary>
    /// Backpropagation's tiles: as many rows (up to <see cref="TrainingTiles.MaxRows"/>, or
    /// <see cref="TrainingTiles.NarrowRows"/> for a narrow network) as fit the budget with every
    /// per-row slot training reads and the two gradient rows, after the <paramref name="scratchLength"/> values of the
    /// plan's scratch; one row (the per-row slots themselves) when fewer than two fit.
    /// </summary>
    private static TrainingTiles PlanTiles(NetworkSpec spec, List<LayerPlan> layers, ScratchSlot gradientA, ScratchSlot gradientB, int scratchLength)
    {
        var perRow = new List<ScratchSlot>();
        foreach (LayerPlan layer in layers)
        {
            perRow.AddRange(layer is DenseLayerPlan dense
                ? new[] { dense.Y, dense.Z }.OfType<ScratchSlot>()
                : new[] { ((DropoutLayerPlan)layer).Mask, ((DropoutLayerPlan)layer).Y });
        }

        perRow.Add(gradientA);
        perRow.Add(gradientB);
        long rowLength = perRow.Sum(slot => (long)slot.Length);
        // The caller's input rows count towards the budget too (they are not copied), so that rows × inputs fits in int.
        long tileRow = Math.Max(1, rowLength + spec.InputSize);
        int maxRows = TrainingTiles.NarrowRows * tileRow <= TrainingTiles.NarrowValues ? TrainingTiles.NarrowRows : TrainingTiles.MaxRows;
        long rows = Math.Min(maxRows, TrainingTiles.Budget / tileRow);
        long length = scratchLength + (rows * rowLength);
        if (rows <= 1 || length > MaxArrayLength)
        {
            return new TrainingTiles(1, EquatableArray<ScratchSlot>.Empty, scratchLength);
        }

        var tiles = new List<ScratchSlot>(perRow.Count);
        long offset = scratchLength;
        foreach (ScratchSlot slot in perRow)
        {
            tiles.Add(new ScratchSlot(slot.Name + "Rows", (int)offset, (int)(rows * slot.Length)));
            offset += rows * slot.Length;
        }

        return new TrainingTiles((int)rows, new EquatableArray<ScratchSlot>(tiles), (int)length);
    }

    /// <summary>
    /// The members the generator adds to a network type, as NG0009 checks them (constructors () and (int) are checked
    /// separately). The one list: the emitter writes exactly these.
    /// </summary>
    private static IEnumerable<string> MemberNames(bool predictClass, bool trainable, bool embedded, bool standardized) =>
        Always.Concat(predictClass ? new[] { "PredictClass" } : Array.Empty<string>())
            .Concat(trainable ? Training : Array.Empty<string>())
            .Concat(embedded ? EmbeddedWeights : Array.Empty<string>())
            .Concat(standardized ? Standardized : Array.Empty<string>())
            .Concat(standardized && predictClass ? new[] { "PredictClassRaw" } : Array.Empty<string>())
            .Concat(standardized && embedded ? new[] { LoadEmbeddedStandardizer } : Array.Empty<string>());

    // Public members, then the private ones (a user member of that name would collide just the same).
    private static readonly string[] Always =
    {
        "InputSize", "OutputSize", "ParameterCount", "Info", "Parameters", "Initialize", "Predict", "PredictBatch",
        "_netgenParameters", "t_netgenScratch", "s_netgenInfo", "NetGenScratch",
        "_netgenPacked",
    };

    private static readonly string[] Training =
    {
        "ComputeGradients", "TrainBatch", "LearningRate", "LastGradients", "PredictLayers", "ResetOptimizer",
        "OptimizerState", "OptimizerStep", "ClipGradientNorm", "DropoutRandom", "_netgenTraining",
    };

    /// <summary>The private methods of <c>[Network(Weights = ...)]</c>: the partial loader and the weights file's decoder.</summary>
    public const string LoadEmbeddedWeights = "NetGenLoadEmbeddedWeights", DecodeEmbeddedWeights = "NetGenDecodeEmbeddedWeights";

    private static readonly string[] EmbeddedWeights = { LoadEmbeddedWeights, DecodeEmbeddedWeights };

    /// <summary>The partial method through which the parameterless constructor takes an embedded standardizer.</summary>
    public const string LoadEmbeddedStandardizer = "NetGenLoadEmbeddedStandardizer";

    // [Network(StandardizeInputs = true)]: the generated standardizer file (src/NetGen.Generator/StandardizerEmitter.cs).
    private static readonly string[] Standardized = { "InputStandardizer", "PredictRaw", "_netgenStandardizer", "t_netgenRawScratch", "NetGenStandardize" };

    /// <summary>Every member name any network may get: a network class cannot be named like one of them (NG0006).</summary>
    public static IEnumerable<string> AllMemberNames =>
        Always.Concat(new[] { "PredictClass" }).Concat(Training).Concat(EmbeddedWeights).Concat(Standardized).Concat(new[] { "PredictClassRaw", LoadEmbeddedStandardizer });

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static int LastDenseIndex(NetworkSpec spec)
    {
        for (int i = spec.Layers.Count - 1; i >= 0; i--)
        {
            if (spec.Layers[i].Kind == LayerKind.Dense)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Hands out consecutive offsets in one array, counting in <c>long</c>. The first request whose end passes
    /// <see cref="MaxArrayLength"/> is recorded in <c>overflow</c>; after it the offsets handed out are clamped
    /// placeholders (0), because the plan is then dropped.
    /// </summary>
    private sealed class Allocator
    {
        private readonly string _what;

        public Allocator(string what) => _what = what;

        public long Total { get; private set; }

        public int Take(long length, int layerIndex, string owner, ref PlanTooLarge? overflow)
        {
            if (overflow is not null)
            {
                return 0; // the plan is dropped; stop counting so that the sum cannot pass long either
            }

            // Both terms are at most int.MaxValue squared (about 2^62), so the sum fits in long; checked states it.
            long offset = Total;
            Total = checked(Total + length);
            if (Total > MaxArrayLength)
            {
                overflow = new PlanTooLarge(_what, owner, layerIndex, length, Total);
                return 0;
            }

            return (int)offset;
        }
    }
}
