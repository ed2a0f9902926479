using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace NetGen.SourceGeneration;

/// <summary>
/// The training kernels: backpropagation over a batch in tiles of rows (forward through the inference kernels keeping
/// what the backward pass reads, the loss gradient row by row, then each layer's backward pass for the whole tile).
/// See docs/performance.md, "Training kernels".
/// </summary>
internal sealed partial class NetworkEmitter
{
    private void WriteBackwardKernels(CancellationToken cancellationToken)
    {
        TrainingPlan training = _plan.Training!;
        TrainingTiles tiles = training.Tiles;
        _w.Line();
        _w.Line("/// <summary>The number of values PredictLayers writes: every dense layer's units.</summary>");
        _w.Line($"public const int ActivationCount = {Int(_plan.ActivationCount)};");
        _w.Line();
        _w.Line("/// <summary>Rows backpropagated together: each layer's backward pass reads its weights once for this many rows.</summary>");
        _w.Line($"public const int TrainingRows = {Int(tiles.Rows)};");
        _w.Line();
        if (tiles.Slots.Count > 0)
        {
            _w.Line("// Training tiles after the per-row slots: each slot's values for TrainingRows rows, one row after another.");
            Constants(tiles.Slots);
            _w.Line();
        }

        _w.Line("/// <summary>The length of the training scratch buffer: the per-row slots, then the training tiles.</summary>");
        _w.Line($"public const int TrainingScratchLength = {Int(tiles.Length)};");
        _w.Line();
        _w.Line("/// <summary>Copies each dense layer's outputs, layer after layer, out of the scratch buffer.</summary>");
        using (_w.Block($"public static void CopyActivations({_t}[] scratch, Span<{_t}> activations)"))
        {
            int at = 0;
            foreach (DenseLayerPlan layer in _plan.DenseLayers)
            {
                _w.Line($"scratch.AsSpan({layer.Y.Name}, {Int(layer.OutputSize)}).CopyTo(activations.Slice({Int(at)}));");
                at += layer.OutputSize;
            }
        }

        _w.Line();
        WriteBackpropagate();
        _w.Line();
        WriteTrainRows(training, tiles);
        _w.Line();
        WriteOutputGradient(training);
        foreach (DenseLayerPlan layer in _plan.DenseLayers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _w.Line();
            WriteDenseBackward(layer, layer.IsOutput && training.FusedOutput);
        }
    }

    private string DropoutParameters => _plan.HasDropout ? ", ref global::NetGen.SeededRandom random, bool dropout" : "";

    private string DropoutArguments => _plan.HasDropout ? ", ref random, dropout" : "";

    private void WriteBackpropagate()
    {
        int inputs = _spec.InputSize, outputs = _plan.OutputSize;
        // Without dropout, a large batch is cut into up to four chunks summed apart (NetGen.Numerics.TrainingSplit): two
        // cores where free. Dropout draws its masks from one stream in row order, so those networks run their rows in one piece.
        bool split = !_plan.HasDropout;
        _w.Lines($"""
            /// <summary>
            /// Backpropagation over a batch, <see cref="TrainingRows"/> rows at a time (the network's TrainingState calls it).
            /// Writes the sum of every row's gradient (each scaled by <paramref name="scale"/>, 1 over the number of averaged
            /// values, times the row's weight when <paramref name="weights"/> is not empty) into the state's gradient, whatever
            /// it held, and returns the sum of the rows' weighted losses. Labels, when given, are checked before any row runs.
            /// The caller has checked the span lengths.{(split ? """

            ///
            /// A batch that TrainingSplit.Splits is cut into up to four chunks of whole tiles, each summed row by row into a
            /// gradient of its own, and the chunks' gradients are added in a fixed order at the end, so the bits do not depend
            /// on which thread ran which chunk (the extra chunks' buffers are allocated on the first such batch). A batch of
            /// one tile stores its sums over the gradient instead of clearing it first (TrainingSplit.RunWhole). The network
            /// has no dropout layer: <paramref name="dropout"/> changes nothing.
            """ : "")}
            /// </summary>
            """);
        using (_w.Block($"public static double Backpropagate({_t}[] packed, {_t}[] parameters, global::NetGen.TrainingState<{_t}> state, ReadOnlySpan<{_t}> inputs, ReadOnlySpan<{_t}> targets, ReadOnlySpan<int> labels, ReadOnlySpan<{_t}> weights, int rows, {_t} scale, bool dropout)"))
        {
            _w.Line($"global::NetGen.NetworkGuard.Labels(labels, {Int(outputs)});");
            if (split)
            {
                _w.Lines($"""
                    const long MultiplyAddsPerRow = {Int(_plan.MultiplyAdds)};
                    return global::NetGen.Numerics.TrainingSplit.Splits(rows, TrainingRows, MultiplyAddsPerRow)
                        ? global::NetGen.Numerics.TrainingSplit.Run(s_backpropagateRows, packed, parameters, state.Gradients, ref state.SplitGradients, state.Scratch, ref state.SplitScratch, inputs, targets, labels, weights, rows, TrainingRows, scale)
                        : global::NetGen.Numerics.TrainingSplit.RunWhole(s_backpropagateRows, packed, parameters, state.Gradients, state.Scratch, inputs, targets, labels, weights, rows, TrainingRows, scale);
                    """);
            }
            else
            {
                _w.Line("global::NetGen.Numerics.TrainingSplit.ClearGradients(state.Gradients); // every tile adds its rows into it");
                _w.Line("return BackpropagateRows(packed, parameters, state.Gradients, inputs, targets, labels, weights, 0, rows, state.Scratch, scale, ref state.DropoutRandom, dropout);");
            }
        }

        if (split)
        {
            _w.Line();
            _w.Line("// The chunk TrainingSplit runs for each part of a batch, created once.");
            _w.Line($"private static readonly global::NetGen.Numerics.TrainingChunk<{_t}> s_backpropagateRows = BackpropagateRows;");
        }

        _w.Line();
        _w.Line($"/// <summary>Rows <paramref name=\"first\"/> to <paramref name=\"first\"/> + <paramref name=\"rows\"/> - 1 of the batch, tile after tile, into <paramref name=\"gradients\"/>; returns their losses' sum.</summary>");
        using (_w.Block($"private static double BackpropagateRows({_t}[] packed, {_t}[] parameters, {_t}[] gradients, ReadOnlySpan<{_t}> inputs, ReadOnlySpan<{_t}> targets, ReadOnlySpan<int> labels, ReadOnlySpan<{_t}> weights, int first, int rows, {_t}[] scratch, {_t} scale{DropoutParameters})"))
        {
            _w.Line("double total = 0;");
            using (_w.Block("for (int row = first; row < first + rows; row += TrainingRows)"))
            {
                _w.Line("int count = Math.Min(TrainingRows, first + rows - row);");
                _w.Line($"TrainRows(packed, parameters, gradients, inputs.Slice(row * {Int(inputs)}, count * {Int(inputs)}), targets, labels, weights, row, count, scratch, scale, ref total{DropoutArguments});");
            }

            _w.Line();
            _w.Line("return total;");
        }
    }

    /// <summary>The reference to row <paramref name="row"/> (an expression) of a tile slot <paramref name="width"/> values wide.</summary>
    private static string TileRef(string slot, string row, int width) =>
        row == "0" ? $"ref Unsafe.Add(ref a, {slot})" : $"ref Unsafe.Add(ref a, {slot} + ({row} * {Int(width)}))";

    private void WriteTrainRows(TrainingPlan training, TrainingTiles tiles)
    {
        _w.Lines($$"""
            /// <summary>
            /// Backpropagation for rows <paramref name="first"/> to <paramref name="first"/> + <paramref name="rows"/> - 1 (at
            /// most <see cref="TrainingRows"/>): forward layer by layer for all the rows, keeping every layer's rows (and the
            /// pre-activations the backward pass reads); the loss and its gradient row by row; then each layer's backward
            /// pass for all the rows at once. Adds each row's loss to <paramref name="total"/>, in row order, times its weight.
            /// </summary>
            """);
        using (_w.Block($"private static void TrainRows({_t}[] packed, {_t}[] parameters, {_t}[] gradients, ReadOnlySpan<{_t}> inputs, ReadOnlySpan<{_t}> targets, ReadOnlySpan<int> labels, ReadOnlySpan<{_t}> weights, int first, int rows, {_t}[] scratch, {_t} scale, ref double total{DropoutParameters})"))
        {
            _w.Lines($"""
                ref {_t} q = ref MemoryMarshal.GetArrayDataReference(packed);
                ref {_t} p = ref MemoryMarshal.GetArrayDataReference(parameters);
                ref {_t} grad = ref MemoryMarshal.GetArrayDataReference(gradients);
                ref {_t} x = ref MemoryMarshal.GetReference(inputs);
                ref {_t} a = ref MemoryMarshal.GetArrayDataReference(scratch);

                """);

            // Row `row` (an expression, "0" for the tile's first) of a tile slot whose rows are `width` apart; null: the caller's rows.
            string Row(ScratchSlot? slot, string row, int width) => slot is not null ? TileRef(tiles.Of(slot).Name, row, width)
                : row == "0" ? "ref x" : $"ref Unsafe.Add(ref x, {row} * {Int(width)})";

            if (_plan.HasDropout)
            {
                // One stream, drawn row after row and in each row layer after layer, so the masks do not depend on the tile.
                _w.Line("// The dropout masks first, row after row, each row's layers in order: the dropout stream's order for any tile.");
                using (_w.Block("for (int r = 0; r < rows; r++)"))
                {
                    foreach (DropoutLayerPlan dropout in _plan.DropoutLayers)
                    {
                        string keep = _s.Literal(dropout.Rate < 1 ? 1 / (1 - dropout.Rate) : 0);
                        _w.Line($"global::NetGen.Numerics.ElementWise.DropoutMask({Row(dropout.Mask, "r", dropout.InputSize)}, {Int(dropout.InputSize)}, rate: {Double(dropout.Rate)}, keep: {keep}, ref random, dropout);");
                    }
                }

                _w.Line();
            }

            _w.Line("// Forward layer by layer through the packed copy (Predict's operations), keeping every layer's rows and the");
            _w.Line("// pre-activations the backward pass reads.");
            foreach (LayerPlan layer in _plan.Layers)
            {
                _w.Line($"// Layer {layer.Number}: {Describe(layer)}.");
                if (layer is DropoutLayerPlan dropout)
                {
                    _w.Line($"global::NetGen.Numerics.ElementWise.MultiplyByMask({Row(dropout.TrainingInput, "0", 0)}, {Row(dropout.Mask, "0", 0)}, {Row(dropout.Y, "0", 0)}, rows * {Int(dropout.InputSize)});");
                    continue;
                }

                var dense = (DenseLayerPlan)layer;
                // Through the packed copy (z kept where backpropagation reads it), then a row-wise activation over each row.
                ActivationEntry activation = dense.Activation;
                string f = activation.IsIdentity || activation.NormalisesRow ? $"default(global::NetGen.Numerics.IdentityActivation<{_t}>)" : ActivationInstance(dense);
                string y = Row(dense.Y, "0", 0);
                _w.Line($"global::NetGen.Numerics.TrainingKernels.DenseForward(ref Unsafe.Add(ref q, Layer{dense.Number}Packed), {Int(dense.InputSize)}, {Int(dense.OutputSize)}, {Row(dense.TrainingInput, "0", 0)}, {(dense.Z is { } z ? Row(z, "0", 0) : y)}, {y}, rows, {f});");
                if (activation.RowHelper is { } rowHelper)
                {
                    _helpers.Add(rowHelper);
                    using (_w.Block("for (int r = 0; r < rows; r++)"))
                    {
                        _w.Line($"{rowHelper.Name}({Row(dense.Y, "r", dense.OutputSize)}, {Int(dense.OutputSize)});");
                    }
                }
            }

            _w.Line();
            DenseLayerPlan output = _plan.OutputLayer;
            int outputs = output.OutputSize;
            string outputReads = ((training.OutputReads & Reads.Z) != 0 ? Row(output.Z!, "r", outputs) + ", " : "")
                + ((training.OutputReads & Reads.Y) != 0 ? Row(output.Y, "r", outputs) + ", " : "");
            _w.Line($"// Each row's loss, and its gradient with respect to the output layer's {(training.FusedOutput ? "pre-activations (fused with the activation)" : "outputs")}.");
            using (_w.Block("for (int r = 0; r < rows; r++)"))
            {
                _w.Line($"ReadOnlySpan<{_t}> target = labels.IsEmpty ? targets.Slice((first + r) * {Int(outputs)}, {Int(outputs)}) : global::NetGen.NetworkGuard.LabelTarget(labels[first + r], first + r, scratch.AsSpan({training.Target.Name}, {Int(outputs)}));");
                _w.Line($"{_t} weight = weights.IsEmpty ? {_s.Literal(1)} : weights[first + r];");
                _w.Line($"total += weight * (double)OutputGradient({outputReads}ref MemoryMarshal.GetReference(target), {Row(training.GradientA, "r", outputs)}, scale * weight);");
            }

            _w.Line();
            _w.Line("// Backward: each layer turns the gradient of its outputs into gradients of its parameters and of its inputs, for all the rows.");

            // The gradient rows alternate between the two tiles as they move down the layers.
            string current = tiles.Of(training.GradientA).Name, spare = tiles.Of(training.GradientB).Name;
            for (int i = _plan.Layers.Count - 1; i >= 0; i--)
            {
                if (_plan.Layers[i] is DenseLayerPlan layer)
                {
                    string gIn = layer.IsFirstDense ? "" : $", ref Unsafe.Add(ref a, {spare})";
                    Reads reads = BackwardReads(layer);
                    string readRefs = ((reads & Reads.Z) != 0 ? Row(layer.Z!, "0", 0) + ", " : "") + ((reads & Reads.Y) != 0 ? Row(layer.Y, "0", 0) + ", " : "");
                    _w.Line($"// Layer {layer.Number}: {Describe(layer)}.");
                    _w.Line($"Dense{layer.Number}Backward(ref p, ref grad, {Row(layer.TrainingInput, "0", 0)}, {readRefs}ref Unsafe.Add(ref a, {current}){gIn}, rows);");
                    if (layer.IsFirstDense)
                    {
                        break;
                    }

                    (current, spare) = (spare, current);
                }
                else
                {
                    var dropout = (DropoutLayerPlan)_plan.Layers[i];
                    _w.Line($"// Layer {dropout.Number} (dropout): the gradient flows only where the mask kept a value, scaled alike.");
                    _w.Line($"global::NetGen.Numerics.ElementWise.MultiplyByMask(ref Unsafe.Add(ref a, {current}), {Row(dropout.Mask, "0", 0)}, rows * {Int(dropout.InputSize)});");
                }
            }
        }
    }

    /// <summary>Whether a layer's backward pass multiplies by an element-wise f' (not when the loss already wrote δ).</summary>
    private bool MultipliesByDerivative(DenseLayerPlan layer) =>
        _plan.Training is { } training && !(layer.IsOutput && training.FusedOutput) && layer.Activation.Derivative is not null;

    /// <summary>Whether the layer above multiplies by this layer's f' in its input-gradient kernel (f' reads only y, that layer's input).</summary>
    private bool DerivativeFromAbove(DenseLayerPlan layer) => MultipliesByDerivative(layer) && layer.Activation.VectorDerivative is not null
        && layer.Activation.DerivativeReads == Reads.Y && layer.Index + 1 is int above && above < _plan.Layers.Count && _plan.Layers[above] is DenseLayerPlan;

    /// <summary>What a layer's backward pass reads besides its input: nothing when the loss or the layer above already wrote δ.</summary>
    private Reads BackwardReads(DenseLayerPlan layer) =>
        (layer.IsOutput && _plan.Training!.FusedOutput) || DerivativeFromAbove(layer) ? Reads.None : layer.Activation.DerivativeReads;

    private static string ReadParameters(Reads reads, string t) =>
        ((reads & Reads.Z) != 0 ? $"ref {t} z, " : "") + ((reads & Reads.Y) != 0 ? $"ref {t} y, " : "");

    private void WriteOutputGradient(TrainingPlan training)
    {
        LossForm form = training.Entry.FormFor(_plan.OutputLayer.Spec.Activation);
        _helpers.Add(form.Helpers);

        _w.Line($"/// <summary>{form.Summary} Returns the row's loss; writes the scaled gradient to g.</summary>");
        using (_w.Block($"private static {_t} OutputGradient({ReadParameters(form.Reads, _t)}ref {_t} t, ref {_t} g, {_t} scale)"))
        {
            _w.Line($"const int Units = {Int(_plan.OutputSize)};");
            _w.Lines(form.Body(_s));
        }
    }

    /// <summary>
    /// A dense layer's backward pass for a tile of rows (rows Inputs apart in x and gIn, Units apart in z, y and g):
    /// δ = g f' in place, then the bias gradient as column sums of δ, the weight gradient δᵀ x and the input gradient
    /// δ W, each with a block of values held in registers over a whole loop. Every gradient value is the same sum in the
    /// same order as one row after another would add it (rows in order for the parameters, units in order for gIn).
    /// </summary>
    private void WriteDenseBackward(DenseLayerPlan layer, bool fused)
    {
        ActivationEntry activation = layer.Activation;
        Reads reads = BackwardReads(layer);
        bool inputGradient = !layer.IsFirstDense;
        string what = fused ? "g already holds δ = dL/dz (fused with the loss)" : DerivativeFromAbove(layer) ? "g already holds δ = dL/dz (the layer above multiplied by f')"
            : activation.Backward == BackwardForm.Identity ? "δ = dL/dz is g = dL/dy" : "δ = dL/dz is g = dL/dy times f', computed in place";
        _w.Line("/// <summary>");
        _w.Line($"/// Layer {layer.Number} backward ({Describe(layer)}) for <paramref name=\"rows\"/> rows: {what}; adds δᵀ x to the weight gradient" +
                (layer.HasBias ? " and the column sums of δ to the bias gradient" : "") +
                (inputGradient ? ", and writes δ W, the gradient of the layer's inputs, to gIn." : "."));
        _w.Line("/// </summary>");
        using (_w.Block($"private static void Dense{layer.Number}Backward(ref {_t} p, ref {_t} grad, ref {_t} x, {ReadParameters(reads, _t)}ref {_t} g{(inputGradient ? $", ref {_t} gIn" : "")}, int rows)"))
        {
            _w.Line($"const int Inputs = {Int(layer.InputSize)}, Units = {Int(layer.OutputSize)}, Weights = {Int(layer.Parameters.Weights.Offset)}" +
                    (layer.Parameters.Bias is { } bias ? $", Bias = {Int(bias.Offset)};" : ";"));
            if (!fused && !DerivativeFromAbove(layer))
            {
                WriteDelta(layer, reads);
            }

            WriteTileProducts(layer, inputGradient);
        }
    }

    /// <summary>δ = g f' in place over the tile, through NetGen.Numerics.ElementWise (vector by vector where the catalog has a vector derivative, row by row where it names a row kernel).</summary>
    private void WriteDelta(DenseLayerPlan layer, Reads reads)
    {
        ActivationEntry activation = layer.Activation;
        if (activation.Derivative is not null)
        {
            // The layer's activation struct carries f' (NetworkEmitter.Forward.cs); one missing operand is passed as the other.
            string z = (reads & Reads.Z) != 0 ? "z" : (reads & Reads.Y) != 0 ? "y" : "g", y = (reads & Reads.Y) != 0 ? "y" : z;
            _w.Line();
            _w.Line($"// δ = g f' in place, for all rows × Units values at once: {activation.DerivativeText}.");
            _w.Line($"global::NetGen.Numerics.ElementWise.MultiplyBy{(activation.VectorDerivative is null ? "Scalar" : "")}Derivative(ref g, ref {z}, ref {y}, rows * Units, default(Layer{layer.Number}Activation));");
        }
        else if (activation.DeltaInPlace is { } delta)
        {
            _w.Line();
            _w.Line($"// δ = dL/dz in place, row by row: {activation.DerivativeText}.");
            _w.Line(delta(layer.Parameters.Slope ?? 0) + ";");
        }
    }

    /// <summary>f' on one value and (where the catalog has it) on a vector, members of the layer's activation struct.</summary>
    private void WriteDerivative(DenseLayerPlan layer)
    {
        ActivationEntry activation = layer.Activation;
        string alpha = _s.Literal(layer.Alpha);
        _helpers.Add(activation.DerivativeHelpers);
        _w.Line();
        _w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
        _w.Line($"public {_t} Derivative({_t} z, {_t} y) => {activation.Derivative!(new Operands(_s, "z", "y", alpha))};");
        if (activation.VectorDerivative is { } vector)
        {
            _w.Line();
            _w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
            _w.Line($"public {_s.Vector} Derivative({_s.Vector} z, {_s.Vector} y) => {vector(new Operands(_s, "z", "y", $"new {_s.Vector}({alpha})"))};");
        }
    }

    /// <summary>The tile products, each a call of the runtime's register-blocked kernels (one copy for every layer and network).</summary>
    private void WriteTileProducts(DenseLayerPlan layer, bool inputGradient)
    {
        const string Kernels = "global::NetGen.Numerics.TrainingKernels";
        _w.Line();
        if (layer.HasBias)
        {
            _w.Line("// db[u] += δ[r, u], rows in order: the column sums of δ.");
            _w.Line($"{Kernels}.AddColumnSums(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref grad, Bias), Units), MemoryMarshal.CreateReadOnlySpan(ref g, rows * Units), rows);");
        }

        _w.Line("// dW[u, i] += δ[r, u] x[r, i], rows in order: δᵀ x with blocks of the weight gradient held in registers over all the rows.");
        _w.Line($"{Kernels}.AddWeightGradient(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref grad, Weights), Units * Inputs), MemoryMarshal.CreateReadOnlySpan(ref g, rows * Units), MemoryMarshal.CreateReadOnlySpan(ref x, rows * Inputs), rows, Units, Inputs);");
        if (inputGradient)
        {
            DenseLayerPlan? below = _plan.Layers[layer.Index - 1] is DenseLayerPlan b && DerivativeFromAbove(b) ? b : null;
            _w.Line($"// gIn[r, i] = Σ_u δ[r, u] W[u, i], units in order{(below is null ? "" : $", times layer {below.Number}'s f'(x[r, i]) (its δ)")}: δ W, each vector of W loaded once for 4 rows.");
            _w.Line($"{Kernels}.InputGradient(MemoryMarshal.CreateSpan(ref gIn, rows * Inputs), MemoryMarshal.CreateReadOnlySpan(ref g, rows * Units), MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref p, Weights), Units * Inputs), rows, Units, Inputs" +
                    (below is null ? ");" : $", MemoryMarshal.CreateReadOnlySpan(ref x, rows * Inputs), default(Layer{below.Number}Activation));"));
        }
    }
}
