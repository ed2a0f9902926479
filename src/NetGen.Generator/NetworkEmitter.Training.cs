using System.Linq;

namespace NetGen.SourceGeneration;

internal static partial class NetworkEmitter
{
    /// <summary>Whether the output layer and the loss are fused: the gradient at the logits is written directly.</summary>
    private static bool IsFusedOutput(NetworkPlan plan) =>
        (plan.Spec.Loss, plan.OutputLayer.Spec.Activation) is (LossKind.CrossEntropy, ActivationKind.Softmax)
            or (LossKind.BinaryCrossEntropy, ActivationKind.Sigmoid);

    /// <summary>Cross-entropy averages over rows; the element-wise losses over every output value.</summary>
    private static bool AveragesOverRows(NetworkSpec spec) => spec.Loss == LossKind.CrossEntropy;

    /// <summary>The training members on the partial class: gradients, the optimizer step and its state.</summary>
    private static void EmitTrainingMembers(SourceWriter w, NetworkPlan plan)
    {
        NetworkSpec spec = plan.Spec;
        string t = plan.Scalar.Name;
        string kernels = KernelsName(plan);
        bool hasDropout = plan.Layers.Any(l => !l.IsDense);
        string normalizer = AveragesOverRows(spec) ? "rows" : "rows * OutputSize";
        string meanOver = AveragesOverRows(spec) ? "rows" : "rows and outputs";

        w.Lines($$"""

            // Training state, allocated once with the network: the gradient of the last batch and the optimizer's buffers.
            private readonly {{t}}[] _netgenGradients = new {{t}}[ParameterCount];
            """);
        foreach (string buffer in OptimizerBuffers(spec))
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
            /// ({{string.Join(" + ", plan.Layers.Where(l => l.IsDense).Select(l => Int(l.OutputSize)))}} = {{Int(plan.ActivationCount)}} values), into <paramref name="activations"/>.
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
        foreach (string buffer in OptimizerBuffers(spec))
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

    private static string[] OptimizerBuffers(NetworkSpec spec) => spec.Optimizer switch
    {
        OptimizerKind.Adam or OptimizerKind.AdamW => new[] { "_netgenFirstMoment", "_netgenSecondMoment" },
        OptimizerKind.RmsProp => spec.Momentum != 0 ? new[] { "_netgenSquareAverage", "_netgenVelocity" } : new[] { "_netgenSquareAverage" },
        _ => spec.Momentum != 0 ? new[] { "_netgenVelocity" } : System.Array.Empty<string>(),
    };

    private static void EmitOptimizerStep(SourceWriter w, NetworkPlan plan)
    {
        NetworkSpec spec = plan.Spec;
        string t = plan.Scalar.Name;
        string L(double value) => plan.Scalar.Literal(value);
        string settings;
        string call;
        switch (spec.Optimizer)
        {
            case OptimizerKind.Adam:
            case OptimizerKind.AdamW:
                bool decoupled = spec.Optimizer == OptimizerKind.AdamW;
                settings = $"{spec.Optimizer}: β1 0.9, β2 0.999, ε 1e-8, {(decoupled ? "decoupled " : "")}weight decay {Double(spec.WeightDecay).TrimEnd('d')} (PyTorch defaults).";
                call = $"global::NetGen.Optimizers.Adam<{t}>(_netgenParameters, _netgenGradients, _netgenFirstMoment, _netgenSecondMoment, LearningRate, " +
                       $"beta1: {L(0.9)}, beta2: {L(0.999)}, epsilon: {L(1e-8)}, weightDecay: {L(spec.WeightDecay)}, decoupledWeightDecay: {(decoupled ? "true" : "false")}, _netgenStep);";
                break;
            case OptimizerKind.RmsProp:
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
        bool hasDropout = plan.Layers.Any(l => !l.IsDense);
        string L(double value) => plan.Scalar.Literal(value);

        w.Line();
        w.Line($"/// <summary>The number of values PredictLayers writes: every dense layer's units.</summary>");
        w.Line($"public const int ActivationCount = {Int(plan.ActivationCount)};");
        w.Line();
        w.Line("/// <summary>Copies each dense layer's outputs, layer after layer, out of the scratch buffer.</summary>");
        using (w.Block($"public static void CopyActivations({t}[] scratch, Span<{t}> activations)"))
        {
            int at = 0;
            foreach (LayerPlan layer in plan.Layers.Where(l => l.IsDense))
            {
                w.Line($"scratch.AsSpan({Int(layer.YOffset)}, {Int(layer.OutputSize)}).CopyTo(activations.Slice({Int(at)}));");
                at += layer.OutputSize;
            }
        }

        w.Line();
        w.Line("/// <summary>The target row for a class label: one-hot, or the label itself for a single output.</summary>");
        using (w.Block($"public static ReadOnlySpan<{t}> LabelTarget(int label, int row, {t}[] scratch)"))
        {
            w.Line($"global::NetGen.NetworkGuard.Label(label, {Int(plan.OutputSize)}, row, \"labels\");");
            w.Line($"Span<{t}> target = scratch.AsSpan({Int(plan.TargetRow)}, {Int(plan.OutputSize)});");
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
            if (layer.IsDense)
            {
                EmitDenseBackward(w, plan, layer);
            }
            else
            {
                EmitDropoutForward(w, plan, layer);
            }
        }

        EmitDerivativeHelpers(w, plan);
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
                if (layer.IsDense)
                {
                    w.Line($"Dense{layer.Number}(ref p, {ScratchRef(layer.TrainingSource)}, {ScratchRef(layer.ZOffset)}, {ScratchRef(layer.YOffset)});");
                }
                else
                {
                    w.Line($"Dropout{layer.Number}({ScratchRef(layer.TrainingSource)}, {ScratchRef(layer.MaskOffset)}, {ScratchRef(layer.YOffset)}, ref random, dropout);");
                }
            }

            LayerPlan output = plan.OutputLayer;
            w.Line();
            w.Line($"// The loss, and its gradient with respect to the output layer's {(IsFusedOutput(plan) ? "pre-activations (fused with the activation)" : "outputs")}.");
            w.Line($"{t} loss = OutputGradient({ScratchRef(output.ZOffset)}, {ScratchRef(output.YOffset)}, ref t, {ScratchRef(plan.GradientA)}, scale);");
            w.Line();
            w.Line("// Backward: each layer turns the gradient of its outputs into gradients of its parameters and of its inputs.");

            // The gradient row alternates between the two buffers as it moves down the layers.
            int current = plan.GradientA, spare = plan.GradientB;
            for (int i = plan.Layers.Count - 1; i >= 0; i--)
            {
                LayerPlan layer = plan.Layers[i];
                if (layer.IsDense)
                {
                    string gIn = layer.IsFirstDense ? "" : $", {ScratchRef(spare)}";
                    w.Line($"// Layer {layer.Number}: {Describe(layer)}.");
                    w.Line($"Dense{layer.Number}Backward(ref p, ref grad, {ScratchRef(layer.TrainingSource)}, {ScratchRef(layer.ZOffset)}, {ScratchRef(layer.YOffset)}, {ScratchRef(current)}{gIn});");
                    if (layer.IsFirstDense)
                    {
                        break;
                    }

                    (current, spare) = (spare, current);
                }
                else
                {
                    w.Line($"// Layer {layer.Number} (dropout): the gradient flows only where the mask kept a value, scaled alike.");
                    w.Line($"for (int i = 0; i < {Int(layer.InputSize)}; i++)");
                    w.Line("{");
                    w.Line($"    Unsafe.Add(ref a, {Int(current)} + i) *= Unsafe.Add(ref a, {Int(layer.MaskOffset)} + i);");
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
        string t = plan.Scalar.Name, m = plan.Scalar.MathClass;
        string L(double value) => plan.Scalar.Literal(value);
        LayerPlan output = plan.OutputLayer;
        ActivationKind activation = output.Spec.Activation;
        string units = Int(output.OutputSize);

        (string summary, string body) = (plan.Spec.Loss, activation) switch
        {
            (LossKind.CrossEntropy, ActivationKind.Softmax) => (
                "Cross-entropy fused with softmax: loss = -Σ t_k log p_k with log p_k = z_k - log Σ e^z (no log of a rounded 0), and the gradient at the logits is (p Σt - t), which is p - t for one-hot targets.",
                $$"""
                {{t}} max = z;
                for (int k = 1; k < Units; k++)
                {
                    max = {{m}}.Max(max, Unsafe.Add(ref z, k));
                }

                {{t}} sumExp = {{L(0)}};
                for (int k = 0; k < Units; k++)
                {
                    sumExp += {{m}}.Exp(Unsafe.Add(ref z, k) - max);
                }

                {{t}} logSumExp = max + {{m}}.Log(sumExp);
                {{t}} loss = {{L(0)}}, targetSum = {{L(0)}};
                for (int k = 0; k < Units; k++)
                {
                    {{t}} tk = Unsafe.Add(ref t, k);
                    if (tk != {{L(0)}})
                    {
                        loss -= tk * (Unsafe.Add(ref z, k) - logSumExp);
                    }

                    targetSum += tk;
                }

                for (int k = 0; k < Units; k++)
                {
                    Unsafe.Add(ref g, k) = ((Unsafe.Add(ref y, k) * targetSum) - Unsafe.Add(ref t, k)) * scale;
                }

                return loss;
                """),
            (LossKind.BinaryCrossEntropy, ActivationKind.Sigmoid) => (
                "Binary cross-entropy fused with the sigmoid, from the logit z: loss = max(z, 0) - z t + ln(1 + e^-|z|), stable for any z; the gradient at z is sigmoid(z) - t.",
                $$"""
                {{t}} loss = {{L(0)}};
                for (int k = 0; k < Units; k++)
                {
                    {{t}} zk = Unsafe.Add(ref z, k), tk = Unsafe.Add(ref t, k);
                    loss += {{m}}.Max(zk, {{L(0)}}) - (zk * tk) + Log1P({{m}}.Exp(-{{m}}.Abs(zk)));
                    Unsafe.Add(ref g, k) = (Unsafe.Add(ref y, k) - tk) * scale;
                }

                return loss;
                """),
            (LossKind.MeanSquaredError, _) => (
                "Squared error: loss = Σ (y - t)², gradient 2 (y - t).",
                ElementwiseLoss(t, "d * d", $"{L(2)} * d")),
            (LossKind.MeanAbsoluteError, _) => (
                "Absolute error: loss = Σ |y - t|, gradient sign(y - t) (0 where y = t, as PyTorch).",
                ElementwiseLoss(t, $"{m}.Abs(d)", $"d > {L(0)} ? {L(1)} : d < {L(0)} ? {L(-1)} : {L(0)}")),
            (LossKind.Huber, _) => (
                "Huber loss with δ = 1: ½ d² where |d| ≤ 1, |d| - ½ beyond; gradient d clamped to [-1, 1].",
                ElementwiseLoss(t, $"{m}.Abs(d) <= {L(1)} ? {L(0.5)} * d * d : {m}.Abs(d) - {L(0.5)}", $"{m}.Min({m}.Max(d, {L(-1)}), {L(1)})")),
            (LossKind.BinaryCrossEntropy, _) => (
                "Binary cross-entropy on outputs that are not a sigmoid's (NG1012): -(t ln y + (1 - t) ln(1 - y)) with each log clamped at -100 as PyTorch's BCELoss.",
                $$"""
                {{t}} loss = {{L(0)}};
                for (int k = 0; k < Units; k++)
                {
                    {{t}} yk = Unsafe.Add(ref y, k), tk = Unsafe.Add(ref t, k);
                    loss -= (tk * {{m}}.Max({{m}}.Log(yk), {{L(-100)}})) + (({{L(1)}} - tk) * {{m}}.Max({{m}}.Log({{L(1)}} - yk), {{L(-100)}}));
                    Unsafe.Add(ref g, k) = (yk - tk) / {{m}}.Max(yk * ({{L(1)}} - yk), {{L(1e-12)}}) * scale;
                }

                return loss;
                """),
            _ => (
                "Cross-entropy on outputs that are not a softmax's (NG1011): -Σ t ln y, each log clamped at -100.",
                $$"""
                {{t}} loss = {{L(0)}};
                for (int k = 0; k < Units; k++)
                {
                    {{t}} yk = Unsafe.Add(ref y, k), tk = Unsafe.Add(ref t, k);
                    loss -= tk == {{L(0)}} ? {{L(0)}} : tk * {{m}}.Max({{m}}.Log(yk), {{L(-100)}});
                    Unsafe.Add(ref g, k) = tk == {{L(0)}} ? {{L(0)}} : -tk / {{m}}.Max(yk, {{L(1e-12)}}) * scale;
                }

                return loss;
                """),
        };

        w.Line($"/// <summary>{summary} Returns the row's loss; writes the scaled gradient to g.</summary>");
        using (w.Block($"private static {t} OutputGradient(ref {t} z, ref {t} y, ref {t} t, ref {t} g, {t} scale)"))
        {
            w.Line($"const int Units = {units};");
            if (!body.Contains("ref z"))
            {
                w.Line("_ = z; // this loss reads the outputs only");
            }

            if (!body.Contains("ref y"))
            {
                w.Line("_ = y;");
            }

            w.Lines(body);
        }
    }

    private static string ElementwiseLoss(string t, string lossTerm, string gradient) => $$"""
        {{t}} loss = {{(t == "float" ? "0f" : "0d")}};
        for (int k = 0; k < Units; k++)
        {
            {{t}} d = Unsafe.Add(ref y, k) - Unsafe.Add(ref t, k);
            loss += {{lossTerm}};
            Unsafe.Add(ref g, k) = ({{gradient}}) * scale;
        }

        return loss;
        """;

    private static void EmitDropoutForward(SourceWriter w, NetworkPlan plan, LayerPlan layer)
    {
        string t = plan.Scalar.Name;
        double rate = layer.Spec.DropoutRate;
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

    private static void EmitDenseBackward(SourceWriter w, NetworkPlan plan, LayerPlan layer)
    {
        ScalarType s = plan.Scalar;
        string t = s.Name;
        LayerSpec spec = layer.Spec;
        bool fused = layer.IsOutput && IsFusedOutput(plan);
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
            string constants = $"const int Inputs = {Int(layer.InputSize)}, Units = {Int(layer.OutputSize)}, Weights = {Int(layer.WeightOffset)}";
            if (spec.HasBias)
            {
                constants += $", Bias = {Int(layer.BiasOffset)}";
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
                    w.Line($"var dv = new Vector<{t}>(d);");
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

    /// <summary>Writes the step that turns dL/dy into δ = dL/dz in place (nothing for Linear or a fused output).</summary>
    private static void EmitDelta(SourceWriter w, NetworkPlan plan, LayerPlan layer, bool fused)
    {
        string t = plan.Scalar.Name;
        string L(double value) => plan.Scalar.Literal(value);
        ActivationKind activation = layer.Spec.Activation;
        if (fused || activation == ActivationKind.Linear)
        {
            w.Line(fused ? "_ = z; _ = y; // δ came fused with the loss" : "_ = z; _ = y; // Linear: δ = dL/dy");
            w.Line();
            return;
        }

        w.Line();
        if (activation == ActivationKind.Softmax)
        {
            w.Lines($$"""
                // Softmax Jacobian: δ_k = y_k (g_k - Σ_j g_j y_j).
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
        }

        if (activation == ActivationKind.PReLU)
        {
            w.Lines($$"""
                // PReLU: δ = g where z > 0 and slope·g elsewhere; the slope's own gradient is Σ over z < 0 of z·g.
                _ = y;
                {{t}} slope = Unsafe.Add(ref p, {{Int(layer.SlopeOffset)}}), slopeGradient = {{L(0)}};
                for (int u = 0; u < Units; u++)
                {
                    {{t}} zu = Unsafe.Add(ref z, u);
                    if (zu <= {{L(0)}})
                    {
                        slopeGradient += zu * Unsafe.Add(ref g, u);
                        Unsafe.Add(ref g, u) *= slope;
                    }
                }

                Unsafe.Add(ref grad, {{Int(layer.SlopeOffset)}}) += slopeGradient;

                """);
            return;
        }

        (string call, string text) = activation switch
        {
            ActivationKind.LeakyReLU => ($"LeakyReLUDerivative(Unsafe.Add(ref z, u), {L(layer.Spec.Alpha)})", "LeakyReLU' = 1 for z > 0, α otherwise"),
            ActivationKind.ELU => ($"ELUDerivative(Unsafe.Add(ref z, u), Unsafe.Add(ref y, u), {L(layer.Spec.Alpha)})", "ELU' = 1 for z > 0, y + α otherwise"),
            ActivationKind.Sigmoid => ("SigmoidDerivative(Unsafe.Add(ref y, u))", "sigmoid' = y (1 - y)"),
            ActivationKind.Tanh => ("TanhDerivative(Unsafe.Add(ref y, u))", "tanh' = 1 - y²"),
            ActivationKind.SELU => ("SELUDerivative(Unsafe.Add(ref z, u), Unsafe.Add(ref y, u))", "SELU' = λ for z > 0, y + λα otherwise"),
            ActivationKind.ReLU => ("ReLUDerivative(Unsafe.Add(ref z, u))", "ReLU' = 1 for z > 0, else 0"),
            ActivationKind.Step or ActivationKind.Sign => ($"{L(0)}", $"{activation}' = 0 almost everywhere (NG1017): nothing flows back"),
            _ => ($"{activation}Derivative(Unsafe.Add(ref z, u))", $"{activation}' from z"),
        };

        bool readsZ = call.Contains("ref z"), readsY = call.Contains("ref y");
        w.Line($"// δ = dL/dy ⊙ f'(z), with {text}.");
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

    private static void EmitDerivativeHelpers(SourceWriter w, NetworkPlan plan)
    {
        ScalarType s = plan.Scalar;
        string t = s.Name, m = s.MathClass;
        string L(double value) => s.Literal(value);
        var used = plan.Layers.Where(l => l.IsDense).Select(l => l.Spec.Activation).Distinct().OrderBy(a => a);

        void Helper(string summary, string signature, string body)
        {
            w.Line();
            w.Line($"/// <summary>{summary}</summary>");
            w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
            w.Line($"private static {t} {signature} => {body};");
        }

        foreach (ActivationKind activation in used)
        {
            switch (activation)
            {
                case ActivationKind.Sigmoid:
                    Helper("sigmoid'(z) = y (1 - y), from the output; at most 0.25.", $"SigmoidDerivative({t} y)", $"y * ({L(1)} - y)");
                    break;
                case ActivationKind.Tanh:
                    Helper("tanh'(z) = 1 - y², from the output; at most 1.", $"TanhDerivative({t} y)", $"{L(1)} - (y * y)");
                    break;
                case ActivationKind.ReLU:
                    Helper("ReLU'(z): 1 for z &gt; 0, else 0 (0 at the kink, as PyTorch).", $"ReLUDerivative({t} z)", $"z > {L(0)} ? {L(1)} : {L(0)}");
                    break;
                case ActivationKind.LeakyReLU:
                    Helper("LeakyReLU'(z): 1 for z &gt; 0, the slope otherwise.", $"LeakyReLUDerivative({t} z, {t} slope)", $"z > {L(0)} ? {L(1)} : slope");
                    break;
                case ActivationKind.ELU:
                    Helper("ELU'(z): 1 for z &gt; 0, otherwise α e^z = y + α, from the output.", $"ELUDerivative({t} z, {t} y, {t} alpha)", $"z > {L(0)} ? {L(1)} : y + alpha");
                    break;
                case ActivationKind.SELU:
                    Helper("SELU'(z): λ for z &gt; 0, otherwise λ α e^z = y + λ α.", $"SELUDerivative({t} z, {t} y)",
                        $"z > {L(0)} ? {L(1.0507009873554805)} : y + {L(1.7580993408473766)}");
                    break;
                case ActivationKind.Softplus:
                    Helper("Softplus'(z) = sigmoid(z), and 1 above the threshold z = 20 where Softplus is the identity.", $"SoftplusDerivative({t} z)",
                        $"z > {L(20)} ? {L(1)} : {L(1)} / ({L(1)} + {m}.Exp(-z))");
                    break;
                case ActivationKind.GELU:
                    w.Line();
                    w.Lines($$"""
                        /// <summary>GELU'(z) for the tanh form: ½ (1 + tanh v) + ½ z (1 - tanh² v) √(2/π) (1 + 3·0.044715 z²), v = √(2/π)(z + 0.044715 z³).</summary>
                        private static {{t}} GELUDerivative({{t}} z)
                        {
                            {{t}} th = {{m}}.Tanh({{L(0.7978845608028654)}} * (z + ({{L(0.044715)}} * z * z * z)));
                            return ({{L(0.5)}} * ({{L(1)}} + th)) + ({{L(0.5)}} * z * ({{L(1)}} - (th * th)) * {{L(0.7978845608028654)}} * ({{L(1)}} + ({{L(0.134145)}} * z * z)));
                        }
                        """);
                    break;
                case ActivationKind.SiLU:
                    w.Line();
                    w.Lines($$"""
                        /// <summary>SiLU'(z) = s (1 + z (1 - s)) with s = sigmoid(z).</summary>
                        private static {{t}} SiLUDerivative({{t}} z)
                        {
                            {{t}} s = {{L(1)}} / ({{L(1)}} + {{m}}.Exp(-z));
                            return s * ({{L(1)}} + (z * ({{L(1)}} - s)));
                        }
                        """);
                    break;
                case ActivationKind.PiecewiseLinear:
                    Helper("PiecewiseLinear'(z): 1 on the ramp -½ &lt; z &lt; ½, else 0.", $"PiecewiseLinearDerivative({t} z)",
                        $"z > {L(-0.5)} && z < {L(0.5)} ? {L(1)} : {L(0)}");
                    break;
            }
        }
    }
}
