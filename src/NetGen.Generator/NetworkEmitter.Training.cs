using System.Linq;

namespace NetGen.SourceGeneration;

internal static partial class NetworkEmitter
{
    /// <summary>The training members on the partial class: gradients, the optimizer step and its state.</summary>
    private static void EmitTrainingMembers(SourceWriter w, NetworkPlan plan)
    {
        NetworkSpec spec = plan.Spec;
        string t = plan.Scalar.Name;
        string kernels = KernelsName(plan);
        TrainingPlan training = plan.Training!;
        bool hasDropout = plan.HasDropout;
        string normalizer = training.Normaliser;
        string meanOver = training.MeanOver;

        w.Lines($$"""

            // Training state, allocated once with the network: the gradient of the last batch and the optimizer's buffers.
            private readonly {{t}}[] _netgenGradients = new {{t}}[ParameterCount];
            """);
        foreach (string buffer in training.OptimizerBuffers)
        {
            w.Line($"private readonly {t}[] {buffer} = new {t}[ParameterCount];");
        }

        w.Line("private int _netgenStep;");
        if (hasDropout)
        {
            w.Line("private global::NetGen.SeededRandom _netgenDropoutRandom;");
        }

        w.Lines($$"""

            // Backpropagation keeps every z and y of the current row here (training is single-threaded per instance).
            private {{t}}[]? _netgenTrainingScratch;

            /// <summary>The {{spec.Optimizer}} learning rate; starts at {{spec.LearningRate.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}}, as declared.</summary>
            public {{t}} LearningRate { get; set; } = {{plan.Scalar.Literal(spec.LearningRate)}};

            /// <summary>The gradient computed by the last <see cref="TrainBatch(global::System.ReadOnlySpan{{{t}}}, global::System.ReadOnlySpan{{{t}}})"/> or <see cref="ComputeGradients"/> call.</summary>
            public global::System.ReadOnlySpan<{{t}}> LastGradients => _netgenGradients;

            /// <summary>
            /// Returns the {{spec.Loss}} loss averaged over {{meanOver}}, and writes d(loss)/d(parameter) into
            /// <paramref name="gradients"/> in the layout of <see cref="Parameters"/>. Dropout is off; parameters are unchanged.
            /// Allocates nothing after the first call. Not thread-safe.
            /// </summary>
            /// <param name="inputs">Rows of {{Int(spec.InputSize)}} features.</param>
            /// <param name="targets">One row of {{Int(plan.OutputSize)}} targets per input row.</param>
            /// <param name="gradients">Receives {{Int(plan.ParameterCount)}} values.</param>
            public {{t}} ComputeGradients(global::System.ReadOnlySpan<{{t}}> inputs, global::System.ReadOnlySpan<{{t}}> targets, global::System.Span<{{t}}> gradients)
            {
                int rows = global::NetGen.NetworkGuard.TrainingRows(inputs.Length, InputSize, targets.Length, OutputSize, nameof(inputs), nameof(targets));
                global::NetGen.NetworkGuard.Length(gradients.Length, ParameterCount, nameof(ParameterCount), nameof(gradients));
                {{t}} loss = NetGenBackpropagate(inputs, targets, default, rows, dropout: false);
                global::System.MemoryExtensions.CopyTo(_netgenGradients, gradients);
                return loss;
            }

            /// <summary>
            /// One {{spec.Optimizer}} step on a batch: forward{{(hasDropout ? " with dropout" : "")}}, backward, update. Returns the batch's
            /// mean loss before the update. Allocates nothing after the first call. Not thread-safe.
            /// </summary>
            /// <param name="inputs">Rows of {{Int(spec.InputSize)}} features.</param>
            /// <param name="targets">One row of {{Int(plan.OutputSize)}} targets per input row.</param>
            public {{t}} TrainBatch(global::System.ReadOnlySpan<{{t}}> inputs, global::System.ReadOnlySpan<{{t}}> targets)
            {
                int rows = global::NetGen.NetworkGuard.TrainingRows(inputs.Length, InputSize, targets.Length, OutputSize, nameof(inputs), nameof(targets));
                {{t}} loss = NetGenBackpropagate(inputs, targets, default, rows, dropout: true);
                NetGenOptimizerStep();
                return loss;
            }

            /// <summary>
            /// As <see cref="TrainBatch(global::System.ReadOnlySpan{{{t}}}, global::System.ReadOnlySpan{{{t}}})"/>, with one class index per row
            /// {{(plan.OutputSize == 1 ? "(0 or 1: the target of the single output)" : $"(0 to {plan.OutputSize - 1}: the one-hot target)")}}.
            /// </summary>
            /// <param name="inputs">Rows of {{Int(spec.InputSize)}} features.</param>
            /// <param name="labels">One class index per input row.</param>
            public {{t}} TrainBatch(global::System.ReadOnlySpan<{{t}}> inputs, global::System.ReadOnlySpan<int> labels)
            {
                int rows = global::NetGen.NetworkGuard.TrainingRows(inputs.Length, InputSize, labels.Length, 1, nameof(inputs), nameof(labels));
                {{t}} loss = NetGenBackpropagate(inputs, default, labels, rows, dropout: true);
                NetGenOptimizerStep();
                return loss;
            }

            /// <summary>
            /// Runs one row forward without dropout and writes each dense layer's output, layer after layer
            /// ({{string.Join(" + ", plan.DenseLayers.Select(l => Int(l.OutputSize)))}} = {{Int(plan.ActivationCount)}} values), into <paramref name="activations"/>.
            /// </summary>
            public void PredictLayers(global::System.ReadOnlySpan<{{t}}> input, global::System.Span<{{t}}> activations)
            {
                global::NetGen.NetworkGuard.Length(input.Length, InputSize, nameof(InputSize), nameof(input));
                global::NetGen.NetworkGuard.Length(activations.Length, {{kernels}}.ActivationCount, "the sum of the dense layers' units", nameof(activations));
                {{t}}[] scratch = NetGenScratch;
                {{kernels}}.Forward(_netgenParameters, input, global::System.MemoryExtensions.AsSpan(scratch, {{kernels}}.OutputRow, OutputSize), scratch);
                {{kernels}}.CopyActivations(scratch, activations);
            }

            /// <summary>Clears the optimizer's state (step count and buffers), as after construction.</summary>
            public void ResetOptimizer()
            {
                _netgenStep = 0;
            """);
        foreach (string buffer in training.OptimizerBuffers)
        {
            w.Line($"    global::System.Array.Clear({buffer});");
        }

        w.Line("}");
        w.Line();

        string random = hasDropout ? "ref _netgenDropoutRandom" : "ref global::System.Runtime.CompilerServices.Unsafe.NullRef<global::NetGen.SeededRandom>()";
        w.Lines($$"""
            /// <summary>Accumulates the gradient of the mean loss over the batch into _netgenGradients; returns the mean loss.</summary>
            private {{t}} NetGenBackpropagate(global::System.ReadOnlySpan<{{t}}> inputs, global::System.ReadOnlySpan<{{t}}> targets, global::System.ReadOnlySpan<int> labels, int rows, bool dropout)
            {
                {{t}}[] scratch = _netgenTrainingScratch ??= new {{t}}[{{kernels}}.ScratchLength];
                global::System.Array.Clear(_netgenGradients);
                {{t}} scale = {{plan.Scalar.Literal(1)}} / ({{normalizer}});
                double total = 0;
                for (int row = 0; row < rows; row++)
                {
                    global::System.ReadOnlySpan<{{t}}> target = labels.IsEmpty
                        ? targets.Slice(row * OutputSize, OutputSize)
                        : {{kernels}}.LabelTarget(labels[row], row, scratch);
                    total += {{kernels}}.TrainRow(_netgenParameters, _netgenGradients, inputs.Slice(row * InputSize, InputSize), target, scratch, scale, {{(hasDropout ? "ref _netgenDropoutRandom, dropout" : "dropout")}});
                }

                return ({{t}})(total * scale);
            }

            """);
        EmitOptimizerStep(w, plan);
    }

    private static void EmitOptimizerStep(SourceWriter w, NetworkPlan plan)
    {
        NetworkSpec spec = plan.Spec;
        string t = plan.Scalar.Name;
        string L(double value) => plan.Scalar.Literal(value);
        string settings;
        string call;
        switch (spec.Optimizer)
        {
            case Optimizer.Adam:
            case Optimizer.AdamW:
                bool decoupled = spec.Optimizer == Optimizer.AdamW;
                settings = $"{spec.Optimizer}: β1 0.9, β2 0.999, ε 1e-8, {(decoupled ? "decoupled " : "")}weight decay {Double(spec.WeightDecay).TrimEnd('d')} (PyTorch defaults).";
                call = $"global::NetGen.Optimizers.Adam<{t}>(_netgenParameters, _netgenGradients, _netgenFirstMoment, _netgenSecondMoment, LearningRate, " +
                       $"beta1: {L(0.9)}, beta2: {L(0.999)}, epsilon: {L(1e-8)}, weightDecay: {L(spec.WeightDecay)}, decoupledWeightDecay: {(decoupled ? "true" : "false")}, _netgenStep);";
                break;
            case Optimizer.RmsProp:
                settings = $"RMSprop: α 0.99, ε 1e-8, weight decay {Double(spec.WeightDecay).TrimEnd('d')}, momentum {Double(spec.Momentum).TrimEnd('d')}.";
                call = $"global::NetGen.Optimizers.RmsProp<{t}>(_netgenParameters, _netgenGradients, _netgenSquareAverage, " +
                       $"{(spec.Momentum != 0 ? "_netgenVelocity" : "default")}, LearningRate, alpha: {L(0.99)}, epsilon: {L(1e-8)}, weightDecay: {L(spec.WeightDecay)}, momentum: {L(spec.Momentum)});";
                break;
            default:
                settings = $"SGD: momentum {Double(spec.Momentum).TrimEnd('d')}{(spec.Nesterov ? " (Nesterov)" : "")}, weight decay {Double(spec.WeightDecay).TrimEnd('d')}.";
                call = $"global::NetGen.Optimizers.Sgd<{t}>(_netgenParameters, _netgenGradients, {(spec.Momentum != 0 ? "_netgenVelocity" : "default")}, LearningRate, " +
                       $"momentum: {L(spec.Momentum)}, weightDecay: {L(spec.WeightDecay)}, nesterov: {(spec.Nesterov ? "true" : "false")}, firstStep: _netgenStep == 1);";
                break;
        }

        w.Line($"/// <summary>{settings}</summary>");
        using (w.Block("private void NetGenOptimizerStep()"))
        {
            w.Line("_netgenStep++;");
            w.Line(call);
        }
    }

    /// <summary>The training kernels: one row forward with every z and y kept, the loss gradient, and each layer's backward pass.</summary>
    private static void EmitTrainingKernels(SourceWriter w, NetworkPlan plan)
    {
        string t = plan.Scalar.Name;
        bool hasDropout = plan.HasDropout;
        string L(double value) => plan.Scalar.Literal(value);

        w.Line();
        w.Line($"/// <summary>The number of values PredictLayers writes: every dense layer's units.</summary>");
        w.Line($"public const int ActivationCount = {Int(plan.ActivationCount)};");
        w.Line();
        w.Line("/// <summary>Copies each dense layer's outputs, layer after layer, out of the scratch buffer.</summary>");
        using (w.Block($"public static void CopyActivations({t}[] scratch, Span<{t}> activations)"))
        {
            int at = 0;
            foreach (DenseLayerPlan layer in plan.DenseLayers)
            {
                w.Line($"scratch.AsSpan({Int(layer.Y.Offset)}, {Int(layer.OutputSize)}).CopyTo(activations.Slice({Int(at)}));");
                at += layer.OutputSize;
            }
        }

        w.Line();
        w.Line("/// <summary>The target row for a class label: one-hot, or the label itself for a single output.</summary>");
        using (w.Block($"public static ReadOnlySpan<{t}> LabelTarget(int label, int row, {t}[] scratch)"))
        {
            w.Line($"global::NetGen.NetworkGuard.Label(label, {Int(plan.OutputSize)}, row, \"labels\");");
            w.Line($"Span<{t}> target = scratch.AsSpan({Int(plan.Scratch.Target.Offset)}, {Int(plan.OutputSize)});");
            if (plan.OutputSize == 1)
            {
                w.Line($"target[0] = label;");
            }
            else
            {
                w.Line("target.Clear();");
                w.Line($"target[label] = {L(1)};");
            }

            w.Line("return target;");
        }

        w.Line();
        EmitTrainRow(w, plan, hasDropout);
        w.Line();
        EmitOutputGradient(w, plan);
        foreach (LayerPlan layer in plan.Layers)
        {
            w.Line();
            if (layer is DenseLayerPlan dense)
            {
                EmitDenseBackward(w, plan, dense);
            }
            else
            {
                EmitDropoutForward(w, plan, (DropoutLayerPlan)layer);
            }
        }

        EmitHelpers(w, plan, derivatives: true);
    }

    private static void EmitTrainRow(SourceWriter w, NetworkPlan plan, bool hasDropout)
    {
        string t = plan.Scalar.Name;
        w.Lines($"""
            /// <summary>
            /// Backpropagation for one row: forward keeping every z and y, the loss and its gradient at the output, then
            /// each layer's backward pass from the last to the first. Adds this row's gradient (already scaled by
            /// <paramref name="scale"/>, 1 over the number of averaged values) into <paramref name="gradients"/> and
            /// returns the row's unscaled loss.
            /// </summary>
            """);
        string randomParameter = hasDropout ? "ref global::NetGen.SeededRandom random, " : "";
        using (w.Block($"public static {t} TrainRow({t}[] parameters, {t}[] gradients, ReadOnlySpan<{t}> input, ReadOnlySpan<{t}> target, {t}[] scratch, {t} scale, {randomParameter}bool dropout)"))
        {
            w.Lines($"""
                ref {t} p = ref MemoryMarshal.GetArrayDataReference(parameters);
                ref {t} grad = ref MemoryMarshal.GetArrayDataReference(gradients);
                ref {t} x = ref MemoryMarshal.GetReference(input);
                ref {t} t = ref MemoryMarshal.GetReference(target);
                ref {t} a = ref MemoryMarshal.GetArrayDataReference(scratch);

                """);
            if (!hasDropout)
            {
                w.Line("_ = dropout; // this network has no dropout layer");
                w.Line();
            }

            w.Line("// Forward, keeping every layer's z and y.");
            foreach (LayerPlan layer in plan.Layers)
            {
                w.Line($"// Layer {layer.Number}: {Describe(layer)}.");
                if (layer is DenseLayerPlan dense)
                {
                    w.Line($"Dense{layer.Number}(ref p, {ScratchRef(layer.TrainingInput)}, {ScratchRef(dense.Z)}, {ScratchRef(dense.Y)});");
                }
                else
                {
                    var dropout = (DropoutLayerPlan)layer;
                    w.Line($"Dropout{layer.Number}({ScratchRef(layer.TrainingInput)}, {ScratchRef(dropout.Mask)}, {ScratchRef(dropout.Y)}, ref random, dropout);");
                }
            }

            DenseLayerPlan output = plan.OutputLayer;
            w.Line();
            w.Line($"// The loss, and its gradient with respect to the output layer's {(plan.Training!.FusedOutput ? "pre-activations (fused with the activation)" : "outputs")}.");
            w.Line($"{t} loss = OutputGradient({ScratchRef(output.Z)}, {ScratchRef(output.Y)}, ref t, {ScratchRef(plan.Scratch.GradientA)}, scale);");
            w.Line();
            w.Line("// Backward: each layer turns the gradient of its outputs into gradients of its parameters and of its inputs.");

            // The gradient row alternates between the two buffers as it moves down the layers.
            ScratchSlot current = plan.Scratch.GradientA, spare = plan.Scratch.GradientB;
            for (int i = plan.Layers.Count - 1; i >= 0; i--)
            {
                LayerPlan step = plan.Layers[i];
                if (step is DenseLayerPlan layer)
                {
                    string gIn = layer.IsFirstDense ? "" : $", {ScratchRef(spare)}";
                    w.Line($"// Layer {layer.Number}: {Describe(layer)}.");
                    w.Line($"Dense{layer.Number}Backward(ref p, ref grad, {ScratchRef(layer.TrainingInput)}, {ScratchRef(layer.Z)}, {ScratchRef(layer.Y)}, {ScratchRef(current)}{gIn});");
                    if (layer.IsFirstDense)
                    {
                        break;
                    }

                    (current, spare) = (spare, current);
                }
                else
                {
                    var dropout = (DropoutLayerPlan)step;
                    w.Line($"// Layer {dropout.Number} (dropout): the gradient flows only where the mask kept a value, scaled alike.");
                    w.Line($"for (int i = 0; i < {Int(dropout.InputSize)}; i++)");
                    w.Line("{");
                    w.Line($"    Unsafe.Add(ref a, {Int(current.Offset)} + i) *= Unsafe.Add(ref a, {Int(dropout.Mask.Offset)} + i);");
                    w.Line("}");
                    w.Line();
                }
            }

            w.Line();
            w.Line("return loss;");
        }
    }

    private static void EmitOutputGradient(SourceWriter w, NetworkPlan plan)
    {
        string t = plan.Scalar.Name;
        DenseLayerPlan output = plan.OutputLayer;
        LossForm form = plan.Training!.Entry.FormFor(output.Spec.Activation);

        w.Line($"/// <summary>{form.Summary} Returns the row's loss; writes the scaled gradient to g.</summary>");
        using (w.Block($"private static {t} OutputGradient(ref {t} z, ref {t} y, ref {t} t, ref {t} g, {t} scale)"))
        {
            w.Line($"const int Units = {Int(output.OutputSize)};");
            if ((form.Reads & Reads.Z) == 0)
            {
                w.Line("_ = z; // this loss reads the outputs only");
            }

            if ((form.Reads & Reads.Y) == 0)
            {
                w.Line("_ = y;");
            }

            w.Lines(form.Body(plan.Scalar));
        }
    }

    private static void EmitDropoutForward(SourceWriter w, NetworkPlan plan, DropoutLayerPlan layer)
    {
        string t = plan.Scalar.Name;
        double rate = layer.Rate;
        double keep = rate < 1 ? 1 / (1 - rate) : 0;
        string rateText = Double(rate).TrimEnd('d');
        w.Line($"/// <summary>Layer {layer.Number}: Dropout {rateText}. In training each value is zeroed with probability {rateText} and the rest scaled by 1/(1 - {rateText}) (inverted dropout); otherwise the mask is all ones.</summary>");
        using (w.Block($"private static void Dropout{layer.Number}(ref {t} x, ref {t} mask, ref {t} y, ref global::NetGen.SeededRandom random, bool active)"))
        {
            w.Line($"const int Width = {Int(layer.InputSize)};");
            using (w.Block("for (int i = 0; i < Width; i++)"))
            {
                w.Line($"{t} m = !active ? {plan.Scalar.Literal(1)} : random.NextDouble() < {Double(rate)} ? {plan.Scalar.Literal(0)} : {plan.Scalar.Literal(keep)};");
                w.Line("Unsafe.Add(ref mask, i) = m;");
                w.Line("Unsafe.Add(ref y, i) = Unsafe.Add(ref x, i) * m;");
            }
        }
    }

    private static void EmitDenseBackward(SourceWriter w, NetworkPlan plan, DenseLayerPlan layer)
    {
        ScalarType s = plan.Scalar;
        string t = s.Name;
        LayerSpec spec = layer.Spec;
        bool fused = layer.IsOutput && plan.Training!.FusedOutput;
        bool inputGradient = !layer.IsFirstDense;
        string L(double value) => s.Literal(value);

        string what = fused ? "g already holds δ = dL/dz (fused with the loss)" : "turns g = dL/dy into δ = dL/dz";
        w.Line($"/// <summary>");
        w.Line($"/// Layer {layer.Number} backward ({Describe(layer)}): {what}, adds δ xᵀ to the weight gradient{(spec.HasBias ? " and δ to the bias gradient" : "")}" +
               (inputGradient ? ", and writes Wᵀ δ, the gradient of the layer's inputs, to gIn." : "."));
        w.Line("/// </summary>");
        string signature = $"private static void Dense{layer.Number}Backward(ref {t} p, ref {t} grad, ref {t} x, ref {t} z, ref {t} y, ref {t} g" +
                           (inputGradient ? $", ref {t} gIn)" : ")");
        using (w.Block(signature))
        {
            string constants = $"const int Inputs = {Int(layer.InputSize)}, Units = {Int(layer.OutputSize)}, Weights = {Int(layer.Parameters.Weights.Offset)}";
            if (spec.HasBias)
            {
                constants += $", Bias = {Int(layer.Parameters.Bias!.Offset)}";
            }

            w.Line(constants + ";");
            EmitDelta(w, plan, layer, fused);

            if (inputGradient)
            {
                w.Line("MemoryMarshal.CreateSpan(ref gIn, Inputs).Clear();");
                w.Line();
            }

            w.Line(inputGradient
                ? "// For each unit: dW[u, :] += δ[u] x" + (spec.HasBias ? ", db[u] += δ[u]" : "") + ", gIn += δ[u] W[u, :]."
                : "// For each unit: dW[u, :] += δ[u] x" + (spec.HasBias ? ", db[u] += δ[u]" : "") + ".");
            using (w.Block("for (int u = 0; u < Units; u++)"))
            {
                w.Line($"{t} d = Unsafe.Add(ref g, u);");
                w.Line($"if (d == {L(0)})");
                w.Line("{");
                w.Line("    continue; // nothing to add, as for a ReLU unit that was off for this row");
                w.Line("}");
                w.Line();
                w.Line($"ref {t} dw = ref Unsafe.Add(ref grad, Weights + (u * Inputs));");
                if (inputGradient)
                {
                    w.Line($"ref {t} w = ref Unsafe.Add(ref p, Weights + (u * Inputs));");
                }

                bool vectorLoop = layer.InputSize >= s.MinVectorLanes;
                bool tail = layer.InputSize % s.MaxVectorLanes != 0;
                w.Line("int i = 0;");
                if (vectorLoop)
                {
                    w.Line($"Vector<{t}> dv = new(d);");
                    using (w.Block($"for (; i <= Inputs - Vector<{t}>.Count; i += Vector<{t}>.Count)"))
                    {
                        w.Line("(Vector.LoadUnsafe(ref dw, (nuint)i) + (dv * Vector.LoadUnsafe(ref x, (nuint)i))).StoreUnsafe(ref dw, (nuint)i);");
                        if (inputGradient)
                        {
                            w.Line("(Vector.LoadUnsafe(ref gIn, (nuint)i) + (dv * Vector.LoadUnsafe(ref w, (nuint)i))).StoreUnsafe(ref gIn, (nuint)i);");
                        }
                    }
                }

                if (tail || !vectorLoop)
                {
                    if (vectorLoop)
                    {
                        w.Line();
                    }

                    using (w.Block("for (; i < Inputs; i++)"))
                    {
                        w.Line("Unsafe.Add(ref dw, i) += d * Unsafe.Add(ref x, i);");
                        if (inputGradient)
                        {
                            w.Line("Unsafe.Add(ref gIn, i) += d * Unsafe.Add(ref w, i);");
                        }
                    }
                }

                if (spec.HasBias)
                {
                    w.Line();
                    w.Line("Unsafe.Add(ref grad, Bias + u) += d;");
                }
            }
        }
    }

    /// <summary>Writes the step that turns dL/dy into δ = dL/dz in place (nothing for the identity or a fused output).</summary>
    private static void EmitDelta(SourceWriter w, NetworkPlan plan, DenseLayerPlan layer, bool fused)
    {
        string t = plan.Scalar.Name;
        string L(double value) => plan.Scalar.Literal(value);
        ActivationEntry activation = layer.Activation;
        if (fused || activation.Backward == BackwardForm.Identity)
        {
            w.Line(fused ? "_ = z; _ = y; // δ came fused with the loss" : "_ = z; _ = y; // Linear: δ = dL/dy");
            w.Line();
            return;
        }

        w.Line();
        switch (activation.Backward)
        {
            case BackwardForm.RowJacobian:
                w.Lines($$"""
                    // {{activation.DerivativeText}}.
                    _ = z;
                    {{t}} dot = {{L(0)}};
                    for (int k = 0; k < Units; k++)
                    {
                        dot += Unsafe.Add(ref g, k) * Unsafe.Add(ref y, k);
                    }

                    for (int k = 0; k < Units; k++)
                    {
                        Unsafe.Add(ref g, k) = Unsafe.Add(ref y, k) * (Unsafe.Add(ref g, k) - dot);
                    }

                    """);
                return;
            case BackwardForm.LearnedSlope:
                int slope = layer.Parameters.Slope!.Value;
                w.Lines($$"""
                    // {{activation.DerivativeText}}.
                    _ = y;
                    {{t}} slope = Unsafe.Add(ref p, {{Int(slope)}}), slopeGradient = {{L(0)}};
                    for (int u = 0; u < Units; u++)
                    {
                        {{t}} zu = Unsafe.Add(ref z, u);
                        if (zu <= {{L(0)}})
                        {
                            slopeGradient += zu * Unsafe.Add(ref g, u);
                            Unsafe.Add(ref g, u) *= slope;
                        }
                    }

                    Unsafe.Add(ref grad, {{Int(slope)}}) += slopeGradient;

                    """);
                return;
        }

        string call = activation.Derivative!(new Operands(plan.Scalar, "Unsafe.Add(ref z, u)", "Unsafe.Add(ref y, u)", L(layer.Alpha)));
        bool readsZ = (activation.DerivativeReads & Reads.Z) != 0, readsY = (activation.DerivativeReads & Reads.Y) != 0;
        w.Line($"// δ = dL/dy ⊙ f'(z), with {activation.DerivativeText}.");
        if (!readsZ || !readsY)
        {
            w.Line((readsZ, readsY) switch
            {
                (false, false) => "_ = z; _ = y;",
                (false, true) => "_ = z;",
                _ => "_ = y;",
            });
        }

        using (w.Block("for (int u = 0; u < Units; u++)"))
        {
            w.Line($"Unsafe.Add(ref g, u) *= {call};");
        }

        w.Line();
    }
}
