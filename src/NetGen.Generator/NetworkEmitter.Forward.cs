using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace NetGen.SourceGeneration;

/// <summary>
/// The forward kernels: the packed inference copy (its layout and Pack), Forward (one row) and ForwardBatch, one
/// packed kernel and one vector activation per dense layer (training's forward runs them too, and the backward pass
/// reads f' from the same struct).
/// </summary>
internal sealed partial class NetworkEmitter
{
    private void WriteForwardKernels(CancellationToken cancellationToken)
    {
        WritePackedLayout();
        _w.Line();
        WritePack();
        _w.Line();
        WriteForward();
        _w.Line();
        WriteForwardBatch();
        foreach (DenseLayerPlan layer in _plan.DenseLayers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _w.Line();
            WritePackedDense(layer);
            _w.Line();
            WriteVectorActivation(layer);
        }
    }

    /// <summary>The packed copy's offsets and length, and PredictBatch's buffer of hidden-layer rows.</summary>
    private void WritePackedLayout()
    {
        IEnumerable<DenseLayerPlan> layers = _plan.DenseLayers;
        List<ScratchSlot> rows = layers.Select(l => l.BatchOutput).OfType<ScratchSlot>().ToList();
        _w.Line();
        _w.Line($"// The packed inference copy (docs/architecture.md): per dense layer, panels of {Int(_plan.PanelWidth)} units, each a row of");
        _w.Line($"// biases and then one row per input (input-major), zero past the last unit; a learned slope after its layer{(_plan.Reduced is null ? "." : "; then")}");
        if (_plan.Reduced is { } reduced)
        {
            _w.Line($"// the layer again with {reduced.Weights} (WeightPrecision.{reduced.Precision}, docs/performance.md), which Predict and PredictBatch");
            _w.Line("// read. Parameters and training keep the float weights.");
        }

        Constants(layers.Select(l => l.Packed!).Concat(layers.Select(l => l.PackedSlope).Concat(layers.Select(l => l.PackedReduced)).OfType<ScratchSlot>()));
        _w.Line();
        _w.Line("/// <summary>The length of the packed copy.</summary>");
        _w.Line($"public const int PackedLength = {Int(_plan.PackedLength)};");
        _w.Line();
        _w.Line($"/// <summary>The most rows PredictBatch runs through the layers together; each hidden layer keeps them in its rows below.</summary>");
        _w.Line($"private const int BatchRows = {Int(_plan.BatchRows)};");
        if (rows.Count > 0)
        {
            Constants(rows);
            _w.Line();
            _w.Line("// Each thread's buffer of hidden-layer rows for PredictBatch, allocated on the thread's first PredictBatch.");
            _w.Line("[ThreadStatic]");
            _w.Line($"private static {_t}[]? t_batchRows;");
        }
    }

    /// <summary>Slots as named constants, six to a line.</summary>
    private void Constants(IEnumerable<ScratchSlot> slots)
    {
        List<ScratchSlot> list = slots.ToList();
        for (int i = 0; i < list.Count; i += 6)
        {
            _w.Line($"private const int {string.Join(", ", list.Skip(i).Take(6).Select(slot => $"{slot.Name} = {Int(slot.Offset)}"))};");
        }
    }

    /// <summary>Pack: the live parameters into the packed copy, layer by layer.</summary>
    private void WritePack()
    {
        _w.Line("/// <summary>Writes the packed copy of <paramref name=\"parameters\"/> into <paramref name=\"packed\"/> (NetGen.Numerics.PackedDense's layout).</summary>");
        using (_w.Block($"public static void Pack({_t}[] parameters, {_t}[] packed)"))
        {
            _w.Line($"ReadOnlySpan<{_t}> p = parameters;");
            foreach (DenseLayerPlan layer in _plan.DenseLayers)
            {
                int panels = (layer.OutputSize + _plan.PanelWidth - 1) / _plan.PanelWidth, last = layer.OutputSize % _plan.PanelWidth;
                string bias = layer.Parameters.Bias is { } b ? $"p.Slice({Int(b.Offset)}, {Int(b.Length)})" : "default";
                string weights = $"p.Slice({Int(layer.Parameters.Weights.Offset)}, {Int(layer.Parameters.Weights.Length)}), {bias}, {Int(layer.InputSize)}, {Int(layer.OutputSize)}";
                _w.Line($"// Layer {layer.Number}: {Describe(layer)}: {Int(panels)} panel{(panels == 1 ? "" : "s")}{(last == 0 ? "" : $", the last with {Int(last)} units")}" +
                        $"{(_plan.Reduced is { } r ? $"; then {r.Copy} for inference" : "")}.");
                _w.Line($"global::NetGen.Numerics.PackedDense.Pack({weights}, packed.AsSpan({layer.Packed!.Name}, {Int(layer.Packed.Length)}));");
                if (_plan.Reduced is { } reduced)
                {
                    _w.Line($"global::NetGen.Numerics.PackedDense.{reduced.PackMethod}({weights}, packed.AsSpan({layer.PackedReduced!.Name}, {Int(layer.PackedReduced.Length)}));");
                }

                if (layer.Parameters.Slope is { } slope)
                {
                    _w.Line($"packed[{layer.PackedSlope!.Name}] = p[{Int(slope)}];");
                }
            }
        }
    }

    /// <summary>
    /// ForwardBatch: the rows shared between this thread and NetGen.Numerics.RowSplit's worker when there is enough
    /// work, and ForwardRows: rows in groups of BatchRows, every layer over a group before the next.
    /// </summary>
    private void WriteForwardBatch()
    {
        _w.Line("/// <summary>");
        _w.Line("/// Runs <paramref name=\"rows\"/> rows through every layer from the packed copy: on this thread, or in chunks of rows");
        _w.Line("/// over this thread and NetGen.Numerics.RowSplit's worker when they hold enough work (docs/performance.md, \"Two");
        _w.Line("/// cores\"). Each row is computed by the same operations either way, so the outputs are the same bits. The caller");
        _w.Line("/// has checked the span lengths.");
        _w.Line("/// </summary>");
        _w.Line($"public static void ForwardBatch({_t}[] packed, ReadOnlySpan<{_t}> inputs, Span<{_t}> outputs, int rows) =>");
        _w.Line($"    global::NetGen.Numerics.RowSplit.Forward(s_forwardRows, packed, inputs, {Int(_plan.InputSize)}, outputs, {Int(_plan.OutputSize)}, rows, multiplyAddsPerRow: {Int(_plan.MultiplyAdds)});");
        _w.Line();
        _w.Line($"private static readonly global::NetGen.Numerics.BatchKernel<{_t}> s_forwardRows = ForwardRows;");
        _w.Line();
        _w.Line("/// <summary>");
        _w.Line("/// Runs <paramref name=\"rows\"/> rows through every layer from the packed copy, BatchRows rows at a time, each layer");
        _w.Line("/// over all of them before the next, so that each panel of weights is read once per group.");
        _w.Line("/// </summary>");
        using (_w.Block($"private static void ForwardRows({_t}[] packed, ReadOnlySpan<{_t}> inputs, Span<{_t}> outputs, int rows)"))
        {
            bool hidden = _plan.BatchLength > 0;
            _w.Line($"ref {_t} q = ref MemoryMarshal.GetArrayDataReference(packed);");
            if (hidden)
            {
                _w.Line($"ref {_t} a = ref MemoryMarshal.GetArrayDataReference(t_batchRows ??= new {_t}[{Int(_plan.BatchLength)}]);");
            }

            using (_w.Block("for (int row = 0; row < rows; row += BatchRows)"))
            {
                _w.Lines($"""
                    int n = Math.Min(BatchRows, rows - row);
                    ref {_t} x = ref Unsafe.Add(ref MemoryMarshal.GetReference(inputs), row * {Int(_plan.InputSize)});
                    ref {_t} y = ref Unsafe.Add(ref MemoryMarshal.GetReference(outputs), row * {Int(_plan.OutputSize)});
                    """);
                foreach (LayerPlan layer in _plan.Layers)
                {
                    if (layer is not DenseLayerPlan dense)
                    {
                        _w.Line($"// Layer {layer.Number}: {Describe(layer)}.");
                        continue;
                    }

                    _w.Line($"// Layer {layer.Number}: {Describe(layer)}. Reads {(dense.BatchInput is null ? "the input rows" : dense.BatchInput.Name)}, writes {(dense.BatchOutput is null ? "the output rows" : dense.BatchOutput.Name)}.");
                    _w.Line($"Dense{dense.Number}Packed(ref q, {Ref(dense.BatchInput)}, {(dense.BatchOutput is null ? "ref y" : Ref(dense.BatchOutput))}, n);");
                }
            }
        }
    }

    /// <summary>DenseNPacked: one layer for some rows through NetGen.Numerics.PackedDense, then a row-wise activation.</summary>
    private void WritePackedDense(DenseLayerPlan layer)
    {
        ActivationEntry activation = layer.Activation;
        string formula = activation.NormalisesRow
            ? $"y = {activation.Kind.ToString().ToLowerInvariant()}(W x{(layer.HasBias ? " + b" : "")})"
            : $"y = {(activation.IsIdentity ? "" : activation.FormulaName)}(W x{(layer.HasBias ? " + b" : "")})";
        _w.Line($"/// <summary>Layer {layer.Number}: {Describe(layer)}, for <paramref name=\"rows\"/> rows ({Int(layer.InputSize)} apart in x, {Int(layer.OutputSize)} apart in y) from the packed copy: {formula}.</summary>");
        using (_w.Block($"private static void Dense{layer.Number}Packed(ref {_t} q, ref {_t} x, ref {_t} y, int rows)"))
        {
            _w.Line($"const int Inputs = {Int(layer.InputSize)}, Units = {Int(layer.OutputSize)};");
            _w.Line($"global::NetGen.Numerics.PackedDense.{_plan.Reduced?.ForwardMethod ?? "Forward"}(ref Unsafe.Add(ref q, {(layer.PackedReduced ?? layer.Packed)!.Name}), Inputs, Units, ref x, ref y, rows, {ActivationInstance(layer)});");
            if (activation.RowHelper is { } rowHelper)
            {
                _helpers.Add(rowHelper);
                using (_w.Block("for (int r = 0; r < rows; r++)"))
                {
                    _w.Line($"{rowHelper.Name}(ref Unsafe.Add(ref y, r * Units), Units);");
                }
            }
        }
    }

    /// <summary>The layer's activation struct as a kernel argument; a learned slope is read from the packed copy (<c>q</c>).</summary>
    private static string ActivationInstance(DenseLayerPlan layer) => layer.PackedSlope is null
        ? $"default(Layer{layer.Number}Activation)" : $"new Layer{layer.Number}Activation(Unsafe.Add(ref q, {layer.PackedSlope.Name}))";

    /// <summary>LayerNActivation: the catalog's vector template at each width, for the packed kernel's accumulators.</summary>
    private void WriteVectorActivation(DenseLayerPlan layer)
    {
        ActivationEntry activation = layer.Activation;
        bool slope = layer.PackedSlope is not null;
        string name = $"Layer{layer.Number}Activation";
        string what = activation.NormalisesRow ? $"none in the kernel ({activation.Kind} runs over each stored row)"
            : activation.IsIdentity ? "the identity"
            : activation.WithAlpha(layer.Alpha, alpha => Double(alpha).TrimEnd('d'));
        bool derivative = MultipliesByDerivative(layer);
        string derivativeInterface = !derivative ? "" : $", global::NetGen.Numerics.I{(activation.VectorDerivative is null ? "" : "Vector")}Derivative<{_t}>";
        _w.Line($"/// <summary>Layer {layer.Number}'s activation on vectors of pre-activations: {what}{(derivative ? $"; and f' for its backward pass: {activation.DerivativeText}" : "")}.</summary>");
        using (_w.Block($"private readonly struct {name} : global::NetGen.Numerics.IVectorActivation<{_t}>{derivativeInterface}"))
        {
            if (slope)
            {
                _w.Line($"private readonly {_t} _slope; // learned; read from the packed copy");
                _w.Line();
                _w.Line($"public {name}({_t} slope) => _slope = slope;");
                _w.Line();
            }

            string alpha = slope ? "_slope" : _s.Literal(layer.Alpha);
            // Fully qualified, as every vector type in generated code: a user type of the same name cannot capture them.
            foreach (string vector in new[] { "global::System.Runtime.Intrinsics.Vector128", "global::System.Runtime.Intrinsics.Vector256", "global::System.Runtime.Intrinsics.Vector512" })
            {
                string body = activation.VectorForward(new Operands(_s, "z", "", alpha) { Vector = vector });
                _w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
                _w.Line($"public {vector}<{_t}> Apply({vector}<{_t}> z) => {body};");
                if (!vector.EndsWith("512", StringComparison.Ordinal))
                {
                    _w.Line();
                }
            }

            if (derivative)
            {
                WriteDerivative(layer);
            }
        }
    }

    /// <summary>Forward: one row through every layer from the packed copy, the hidden layers' rows in their scratch slots.</summary>
    private void WriteForward()
    {
        _w.Line("/// <summary>Runs one row through every layer from the packed copy (dropout is the identity). The caller has checked the span lengths.</summary>");
        using (_w.Block($"public static void Forward({_t}[] packed, ReadOnlySpan<{_t}> input, Span<{_t}> output, {_t}[] scratch)"))
        {
            _w.Lines($"""
                ref {_t} q = ref MemoryMarshal.GetArrayDataReference(packed);
                ref {_t} x = ref MemoryMarshal.GetReference(input);
                ref {_t} y = ref MemoryMarshal.GetReference(output);
                ref {_t} a = ref MemoryMarshal.GetArrayDataReference(scratch);

                """);
            foreach (LayerPlan layer in _plan.Layers)
            {
                if (layer is not DenseLayerPlan dense)
                {
                    _w.Line($"// Layer {layer.Number}: {Describe(layer)}.");
                    continue;
                }

                ScratchSlot? target = dense.IsOutput ? null : dense.Y;
                _w.Line($"// Layer {layer.Number}: {Describe(layer)}. Reads {dense.InferenceInput?.Name ?? "the input"}, writes {target?.Name ?? "the output row"}.");
                _w.Line($"Dense{dense.Number}Packed(ref q, {Ref(dense.InferenceInput)}, {(target is null ? "ref y" : Ref(target))}, 1);");
            }
        }
    }
}
