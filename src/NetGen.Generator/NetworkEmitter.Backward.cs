using System;
using System.Threading;

namespace NetGen.SourceGeneration;

/// <summary>The training kernels: one row forward keeping what backpropagation reads, the loss gradient, each layer's backward pass.</summary>
internal sealed partial class NetworkEmitter
{
    private void WriteBackwardKernels(CancellationToken cancellationToken)
    {
        TrainingPlan training = _plan.Training!;
        _w.Line();
        _w.Line("/// <summary>The number of values PredictLayers writes: every dense layer's units.</summary>");
        _w.Line($"public const int ActivationCount = {Int(_plan.ActivationCount)};");
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
        _w.Line("/// <summary>The target row for a class label: one-hot, or the label itself for a single output.</summary>");
        using (_w.Block($"public static ReadOnlySpan<{_t}> LabelTarget(int label, int row, {_t}[] scratch)"))
        {
            _w.Line($"global::NetGen.NetworkGuard.Label(label, {Int(_plan.OutputSize)}, row, \"labels\");");
            _w.Line($"Span<{_t}> target = scratch.AsSpan({training.Target.Name}, {Int(_plan.OutputSize)});");
            if (_plan.OutputSize == 1)
            {
                _w.Line("target[0] = label;");
            }
            else
            {
                _w.Line("target.Clear();");
                _w.Line($"target[label] = {_s.Literal(1)};");
            }

            _w.Line("return target;");
        }

        _w.Line();
        WriteTrainRow(training);
        _w.Line();
        WriteOutputGradient(training);
        foreach (DenseLayerPlan layer in _plan.DenseLayers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _w.Line();
            WriteDenseBackward(layer, fused: layer.IsOutput && training.FusedOutput);
        }
    }

    private void WriteTrainRow(TrainingPlan training)
    {
        bool hasDropout = _plan.HasDropout;
        _w.Lines("""
            /// <summary>
            /// Backpropagation for one row: forward keeping what the backward pass reads, the loss and its gradient at the
            /// output, then each layer's backward pass from the last to the first. Adds this row's gradient (already scaled
            /// by <paramref name="scale"/>, 1 over the number of averaged values) into <paramref name="gradients"/> and
            /// returns the row's unscaled loss.
            /// </summary>
            """);
        string dropoutParameters = hasDropout ? ", ref global::NetGen.SeededRandom random, bool dropout" : "";
        using (_w.Block($"public static {_t} TrainRow({_t}[] parameters, {_t}[] gradients, ReadOnlySpan<{_t}> input, ReadOnlySpan<{_t}> target, {_t}[] scratch, {_t} scale{dropoutParameters})"))
        {
            _w.Lines($"""
                ref {_t} p = ref MemoryMarshal.GetArrayDataReference(parameters);
                ref {_t} grad = ref MemoryMarshal.GetArrayDataReference(gradients);
                ref {_t} x = ref MemoryMarshal.GetReference(input);
                ref {_t} t = ref MemoryMarshal.GetReference(target);
                ref {_t} a = ref MemoryMarshal.GetArrayDataReference(scratch);

                """);
            _w.Line("// Forward, keeping every layer's outputs (and the pre-activations the backward pass reads).");
            foreach (LayerPlan layer in _plan.Layers)
            {
                _w.Line($"// Layer {layer.Number}: {Describe(layer)}.");
                _w.Line(layer is DenseLayerPlan dense
                    ? $"Dense{layer.Number}(ref p, {Ref(layer.TrainingInput)}, {Ref(dense.Y)}{(dense.Z is { } z ? ", " + Ref(z) : "")});"
                    : $"Dropout{layer.Number}({Ref(layer.TrainingInput)}, {Ref(((DropoutLayerPlan)layer).Mask)}, {Ref(((DropoutLayerPlan)layer).Y)}, ref random, dropout);");
            }

            DenseLayerPlan output = _plan.OutputLayer;
            _w.Line();
            _w.Line($"// The loss, and its gradient with respect to the output layer's {(training.FusedOutput ? "pre-activations (fused with the activation)" : "outputs")}.");
            _w.Line($"{_t} loss = OutputGradient({ReadRefs(training.OutputReads, output)}ref t, {Ref(training.GradientA)}, scale);");
            _w.Line();
            _w.Line("// Backward: each layer turns the gradient of its outputs into gradients of its parameters and of its inputs.");

            // The gradient row alternates between the two buffers as it moves down the layers.
            ScratchSlot current = training.GradientA, spare = training.GradientB;
            for (int i = _plan.Layers.Count - 1; i >= 0; i--)
            {
                if (_plan.Layers[i] is DenseLayerPlan layer)
                {
                    string gIn = layer.IsFirstDense ? "" : $", {Ref(spare)}";
                    _w.Line($"// Layer {layer.Number}: {Describe(layer)}.");
                    _w.Line($"Dense{layer.Number}Backward(ref p, ref grad, {Ref(layer.TrainingInput)}, {ReadRefs(BackwardReads(layer), layer)}{Ref(current)}{gIn});");
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
                    using (_w.Block($"for (int i = 0; i < {Int(dropout.InputSize)}; i++)"))
                    {
                        _w.Line($"Unsafe.Add(ref a, {current.Name} + i) *= Unsafe.Add(ref a, {dropout.Mask.Name} + i);");
                    }

                    _w.Line();
                }
            }

            _w.Line();
            _w.Line("return loss;");
        }
    }

    /// <summary>The z and y arguments of a kernel that reads <paramref name="reads"/> of <paramref name="layer"/>, each followed by ", ".</summary>
    private string ReadRefs(Reads reads, DenseLayerPlan layer) =>
        ((reads & Reads.Z) != 0 ? Ref(layer.Z ?? throw new InvalidOperationException($"Layer {layer.Number} reads z but the plan keeps none.")) + ", " : "") + ((reads & Reads.Y) != 0 ? Ref(layer.Y) + ", " : "");

    /// <summary>What a layer's backward pass reads besides its input: nothing when the loss already wrote δ.</summary>
    private Reads BackwardReads(DenseLayerPlan layer) =>
        layer.IsOutput && _plan.Training!.FusedOutput ? Reads.None : layer.Activation.DerivativeReads;

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

    private void WriteDenseBackward(DenseLayerPlan layer, bool fused)
    {
        ActivationEntry activation = layer.Activation;
        Reads reads = BackwardReads(layer);
        bool inputGradient = !layer.IsFirstDense;
        string what = fused ? "g already holds δ = dL/dz (fused with the loss)"
            : activation.Backward == BackwardForm.Identity ? "δ = dL/dz is g = dL/dy" : "δ = dL/dz is g = dL/dy times f'";
        _w.Line("/// <summary>");
        _w.Line($"/// Layer {layer.Number} backward ({Describe(layer)}): {what}; adds δ xᵀ to the weight gradient{(layer.HasBias ? " and δ to the bias gradient" : "")}" +
                (inputGradient ? ", and writes Wᵀ δ, the gradient of the layer's inputs, to gIn." : "."));
        _w.Line("/// </summary>");
        using (_w.Block($"private static void Dense{layer.Number}Backward(ref {_t} p, ref {_t} grad, ref {_t} x, {ReadParameters(reads, _t)}ref {_t} g{(inputGradient ? $", ref {_t} gIn" : "")})"))
        {
            _w.Line($"const int Inputs = {Int(layer.InputSize)}, Units = {Int(layer.OutputSize)}, Weights = {Int(layer.Parameters.Weights.Offset)}" +
                    (layer.Parameters.Bias is { } bias ? $", Bias = {Int(bias.Offset)};" : ";"));
            string delta = "Unsafe.Add(ref g, u)";
            string deltaText = "δ[u] = g[u]";
            if (!fused && activation.Derivative is { } derivative)
            {
                _helpers.Add(activation.DerivativeHelpers);
                delta += " * " + derivative(new Operands(_s, "Unsafe.Add(ref z, u)", "Unsafe.Add(ref y, u)", _s.Literal(layer.Alpha)));
                deltaText = $"δ[u] = g[u] f'(z[u]) with {activation.DerivativeText}";
            }
            else if (!fused && activation.DeltaInPlace is { } inPlace)
            {
                _w.Line();
                _w.Lines(inPlace(_s, layer.Parameters.Slope ?? 0));
            }

            if (inputGradient)
            {
                _w.Line();
                _w.Line("MemoryMarshal.CreateSpan(ref gIn, Inputs).Clear();");
            }

            _w.Line();
            _w.Line($"// For each unit: {deltaText}; dW[u, :] += δ[u] x" + (layer.HasBias ? ", db[u] += δ[u]" : "") + (inputGradient ? ", gIn += δ[u] W[u, :]." : "."));
            using (_w.Block("for (int u = 0; u < Units; u++)"))
            {
                _w.Line($"{_t} d = {delta};");
                using (_w.Block($"if (d == {_s.Literal(0)})"))
                {
                    _w.Line("continue; // nothing to add, as for a ReLU unit that was off for this row");
                }

                _w.Line();
                _w.Line($"ref {_t} dw = ref Unsafe.Add(ref grad, Weights + (u * Inputs));");
                if (inputGradient)
                {
                    _w.Line($"ref {_t} w = ref Unsafe.Add(ref p, Weights + (u * Inputs));");
                }

                bool vectorLoop = layer.InputSize >= _s.MinVectorLanes;
                bool tail = layer.InputSize % _s.MaxVectorLanes != 0;
                const string V = ScalarType.VectorClass;
                _w.Line("int i = 0;");
                if (vectorLoop)
                {
                    _w.Line($"{_s.Vector} dv = new(d);");
                    using (_w.Block($"for (; i <= Inputs - {_s.Vector}.Count; i += {_s.Vector}.Count)"))
                    {
                        _w.Line($"({V}.LoadUnsafe(ref dw, (nuint)i) + (dv * {V}.LoadUnsafe(ref x, (nuint)i))).StoreUnsafe(ref dw, (nuint)i);");
                        if (inputGradient)
                        {
                            _w.Line($"({V}.LoadUnsafe(ref gIn, (nuint)i) + (dv * {V}.LoadUnsafe(ref w, (nuint)i))).StoreUnsafe(ref gIn, (nuint)i);");
                        }
                    }
                }

                if (tail || !vectorLoop)
                {
                    if (vectorLoop)
                    {
                        _w.Line();
                    }

                    using (_w.Block("for (; i < Inputs; i++)"))
                    {
                        _w.Line("Unsafe.Add(ref dw, i) += d * Unsafe.Add(ref x, i);");
                        if (inputGradient)
                        {
                            _w.Line("Unsafe.Add(ref gIn, i) += d * Unsafe.Add(ref w, i);");
                        }
                    }
                }

                if (layer.HasBias)
                {
                    _w.Line();
                    _w.Line("Unsafe.Add(ref grad, Bias + u) += d;");
                }
            }
        }
    }
}
