using System.Globalization;
using System.Linq;

namespace NetGen.SourceGeneration;

/// <summary>The public members on the user's partial class: constants, constructors, Info, Initialize, Predict and training.</summary>
internal sealed partial class NetworkEmitter
{
    private void WriteNetworkClass()
    {
        LayerTable.Write(_w, _plan);
        _w.Line($"[global::System.CodeDom.Compiler.GeneratedCode(\"NetGen.Generator\", \"{GeneratorVersion}\")]");
        string contract = _spec.IsTrainable ? "ITrainableNetwork" : "INeuralNetwork";
        using (_w.Block($"partial {_spec.TypeKeyword} {_spec.TypeIdentifier} : global::NetGen.{contract}<{_t}>"))
        {
            _w.Lines($$"""
                /// <summary>The number of features in one input row.</summary>
                public const int InputSize = {{Int(_spec.InputSize)}};

                /// <summary>The number of values in one output row.</summary>
                public const int OutputSize = {{Int(_plan.OutputSize)}};

                /// <summary>The number of trainable parameters: the length of <see cref="Parameters"/>.</summary>
                public const int ParameterCount = {{Int(_plan.ParameterCount)}};

                """);
            WriteInfo();
            _w.Lines($$"""

                // Weights and biases in PyTorch state_dict order; each layer's offsets are constants in its kernel.
                private readonly {{_t}}[] _netgenParameters = new {{_t}}[ParameterCount];

                // Each thread's activations. A thread-static buffer makes Predict thread-safe, allocation-free after a
                // thread's first call, and safe for layers of any width (no stackalloc).
                [global::System.ThreadStatic]
                private static {{_t}}[]? t_netgenScratch;

                {{Weights.WeightsEmitter.ParameterlessConstructor(_plan)}}

                /// <summary>Creates the network with weights drawn from <paramref name="seed"/> (see <see cref="Initialize"/>).</summary>
                public {{_spec.TypeIdentifier}}(int seed) => Initialize(seed);

                /// <inheritdoc/>
                public global::NetGen.NetworkInfo Info => s_netgenInfo;

                // Predict and PredictBatch read a packed copy of the parameters (docs/architecture.md), repacked after any
                // write path has marked it stale: Initialize, the optimizer step, and each read of Parameters (through which
                // weight import, model files and the Trainer write).
                private readonly global::NetGen.PackedCopy<{{_t}}> _netgenPacked = new({{_kernels}}.PackedLength, {{_kernels}}.Pack);

                /// <inheritdoc/>
                public global::System.Span<{{_t}}> Parameters => _netgenPacked.ForWriting(_netgenParameters);

                int global::NetGen.INeuralNetwork<{{_t}}>.InputSize => InputSize;

                int global::NetGen.INeuralNetwork<{{_t}}>.OutputSize => OutputSize;

                int global::NetGen.INeuralNetwork<{{_t}}>.ParameterCount => ParameterCount;

                private static {{_t}}[] NetGenScratch => t_netgenScratch ??= new {{_t}}[{{_kernels}}.ScratchLength];

                /// <inheritdoc/>
                public void Initialize(int seed)
                {
                    // Each dense layer as Info describes it: layer n's weights from stream n of the seed, biases at zero.
                    global::NetGen.WeightInitializer.Initialize<{{_t}}>(_netgenParameters, s_netgenInfo, seed);
                    _netgenPacked.Invalidate(); // new weights: repack before the next prediction
                """);
            if (_spec.IsTrainable)
            {
                _w.Line("    ResetOptimizer(); // fresh weights start a fresh optimizer" + (_plan.HasDropout ? " and dropout sequence (stream 0)" : ""));
                if (_plan.HasDropout)
                {
                    _w.Line("    _netgenTraining.DropoutRandom = new global::NetGen.SeededRandom(seed, stream: 0);");
                }
            }

            _w.Line("}");
            WritePredict();
            if (_spec.IsTrainable)
            {
                WriteTrainingMembers();
            }
        }
    }

    /// <summary>NetworkInfo with one LayerInfo per layer, its numbers taken from the plan.</summary>
    private void WriteInfo()
    {
        _w.Line("private static readonly global::NetGen.NetworkInfo s_netgenInfo = new(");
        _w.Line($"    \"{_spec.FullName}\", global::NetGen.Precision.{_spec.Precision}, global::NetGen.Loss.{_spec.Loss}, InputSize, new global::NetGen.LayerInfo[]");
        _w.Line("    {");
        foreach (LayerPlan layer in _plan.Layers)
        {
            _w.Line($"        // Layer {layer.Number}: {Describe(layer)}");
            _w.Line(layer is DenseLayerPlan d
                ? $"        global::NetGen.LayerInfo.Dense({Int(d.InputSize)}, {Int(d.OutputSize)}, global::NetGen.Activation.{d.Spec.Activation}, global::NetGen.Init.{d.Init}, " +
                  $"weightOffset: {Int(d.Parameters.Weights.Offset)}{(d.Parameters.Bias is { } bias ? $", biasOffset: {Int(bias.Offset)}" : "")}" +
                  $"{(d.Parameters.Slope is { } slope ? $", slopeOffset: {Int(slope)}" : "")}{(d.Activation.Alpha != AlphaRole.None ? $", alpha: {Double(d.Alpha)}" : "")}),"
                : $"        global::NetGen.LayerInfo.Dropout({Int(layer.InputSize)}, {Double(((DropoutLayerPlan)layer).Rate)}),");
        }

        _w.Line("    });");
    }

    /// <summary>Predict, PredictBatch and PredictClass: the checks are NetworkGuard's, the work the kernels'.</summary>
    private void WritePredict()
    {
        _w.Lines($$"""

            /// <inheritdoc/>
            public void Predict(global::System.ReadOnlySpan<{{_t}}> input, global::System.Span<{{_t}}> output)
            {
                global::NetGen.NetworkGuard.Predict(input, output, InputSize, OutputSize);
                {{_kernels}}.Forward(_netgenPacked.Get(_netgenParameters), input, output, NetGenScratch);
            }

            /// <inheritdoc/>
            public void PredictBatch(global::System.ReadOnlySpan<{{_t}}> inputs, global::System.Span<{{_t}}> outputs)
            {
                int rows = global::NetGen.NetworkGuard.PredictBatch(inputs, outputs, InputSize, OutputSize);

                // Every output is computed by the same operations as Predict's, so the results equal Predict's bit for bit.
                {{_kernels}}.ForwardBatch(_netgenPacked.Get(_netgenParameters), inputs, outputs, rows);
            }
            """);
        if (_plan.PredictClass is not { } classRule)
        {
            return;
        }

        (string rule, string decision) = classRule.Threshold is { } threshold
            ? ($"1 when the output is at least {threshold.ToString(CultureInfo.InvariantCulture)}, else 0", $"global::NetGen.NetworkGuard.Threshold<{_t}>(output, {_s.Literal(threshold)}, input)")
            : ("the index of the largest output", $"global::NetGen.NetworkGuard.ArgMax<{_t}>(output, input)");
        _w.Lines($$"""

            /// <summary>Classifies one input row: {{rule}}. Thread-safe; allocates nothing after the first call on a thread.</summary>
            /// <param name="input">InputSize features.</param>
            /// <exception cref="global::System.ArgumentException"><paramref name="input"/> has the wrong length, or holds a NaN or infinity that makes an output NaN.</exception>
            /// <exception cref="global::System.InvalidOperationException">An output is NaN for a finite row: the parameters are not finite.</exception>
            public int PredictClass(global::System.ReadOnlySpan<{{_t}}> input)
            {
                global::NetGen.NetworkGuard.PredictClass(input, InputSize);
                {{_t}}[] scratch = NetGenScratch;
                global::System.Span<{{_t}}> output = global::System.MemoryExtensions.AsSpan(scratch, {{_kernels}}.OutputRow, OutputSize);
                {{_kernels}}.Forward(_netgenPacked.Get(_netgenParameters), input, output, scratch);
                return {{decision}};
            }
            """);
    }

    /// <summary>
    /// The training members on the partial class, each a property or a call of the runtime's TrainingState, which
    /// checks a batch, backpropagates through the kernels class and takes the optimizer step.
    /// </summary>
    private void WriteTrainingMembers()
    {
        TrainingPlan training = _plan.Training!;
        int buffers = training.OptimizerBuffers.Count;
        (string summary, string optimizer) = OptimizerCatalog.Settings(_spec, _s);
        _w.Lines($$"""

            // Training state, allocated with the network: the last batch's gradient, the {{_spec.Optimizer}} optimizer's buffers
            // ({{(buffers == 0 ? "none" : string.Join(", then ", training.OptimizerBuffers))}}) and step, the learning rate as declared until a caller or a schedule sets
            // another, gradient clipping, the dropout stream and backpropagation's scratch; the batch methods below run through it.
            // {{summary}} The loss is the mean over {{training.MeanOver}}.
            private readonly global::NetGen.TrainingState<{{_t}}> _netgenTraining = new(ParameterCount, InputSize, OutputSize, learningRate: {{_s.Literal(_spec.LearningRate)}},
                {{optimizer}},
                optimizerBuffers: {{Int(buffers)}}, {{_kernels}}.Backpropagate, {{_kernels}}.TrainingScratchLength, meanOverOutputs: {{(training.MeanOverOutputs ? "true" : "false")}});

            /// <inheritdoc/>
            public {{_t}} LearningRate { get => _netgenTraining.LearningRate; set => _netgenTraining.LearningRate = value; }

            /// <inheritdoc/>
            public global::System.ReadOnlySpan<{{_t}}> LastGradients => _netgenTraining.Gradients;

            /// <inheritdoc/>
            public global::System.Span<{{_t}}> OptimizerState => _netgenTraining.OptimizerState;

            /// <inheritdoc/>
            public int OptimizerStep { get => _netgenTraining.Step; set => _netgenTraining.Step = value; }

            /// <inheritdoc/>
            public double ClipGradientNorm { get => _netgenTraining.ClipGradientNorm; set => _netgenTraining.ClipGradientNorm = value; }

            /// <inheritdoc/>
            public global::NetGen.SeededRandom DropoutRandom { get => _netgenTraining.DropoutRandom; set => _netgenTraining.DropoutRandom = value; }

            /// <inheritdoc/>
            public {{_t}} ComputeGradients(global::System.ReadOnlySpan<{{_t}}> inputs, global::System.ReadOnlySpan<{{_t}}> targets, global::System.Span<{{_t}}> gradients) =>
                _netgenTraining.ComputeGradients(_netgenParameters, _netgenPacked, inputs, targets, gradients);

            /// <inheritdoc/>
            public {{_t}} TrainBatch(global::System.ReadOnlySpan<{{_t}}> inputs, global::System.ReadOnlySpan<{{_t}}> targets) => _netgenTraining.TrainBatch(_netgenParameters, _netgenPacked, inputs, targets);

            /// <inheritdoc/>
            public {{_t}} TrainBatch(global::System.ReadOnlySpan<{{_t}}> inputs, global::System.ReadOnlySpan<{{_t}}> targets, global::System.ReadOnlySpan<{{_t}}> sampleWeights) =>
                _netgenTraining.TrainBatch(_netgenParameters, _netgenPacked, inputs, targets, sampleWeights);

            /// <inheritdoc/>
            public {{_t}} TrainBatch(global::System.ReadOnlySpan<{{_t}}> inputs, global::System.ReadOnlySpan<int> labels) => _netgenTraining.TrainBatch(_netgenParameters, _netgenPacked, inputs, labels);

            /// <inheritdoc/>
            public {{_t}} TrainBatch(global::System.ReadOnlySpan<{{_t}}> inputs, global::System.ReadOnlySpan<int> labels, global::System.ReadOnlySpan<{{_t}}> sampleWeights) =>
                _netgenTraining.TrainBatch(_netgenParameters, _netgenPacked, inputs, labels, sampleWeights);

            /// <inheritdoc/>
            public void PredictLayers(global::System.ReadOnlySpan<{{_t}}> input, global::System.Span<{{_t}}> activations)
            {
                global::NetGen.NetworkGuard.PredictLayers(input, activations, InputSize, {{_kernels}}.ActivationCount);
                {{_t}}[] scratch = NetGenScratch;
                {{_kernels}}.Forward(_netgenPacked.Get(_netgenParameters), input, global::System.MemoryExtensions.AsSpan(scratch, {{_kernels}}.OutputRow, OutputSize), scratch);
                {{_kernels}}.CopyActivations(scratch, activations);
            }

            /// <inheritdoc/>
            public void ResetOptimizer() => _netgenTraining.Reset();
            """);
    }
}
