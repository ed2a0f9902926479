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

                /// <summary>The architecture: layers, sizes, activations and where each layer's parameters live.</summary>
                public global::NetGen.NetworkInfo Info => s_netgenInfo;

                // Predict and PredictBatch read a packed copy of the parameters (docs/architecture.md), repacked when
                // _netgenVersion has moved past the version it was packed from. Every write path moves it: Initialize,
                // the optimizer step, and each read of Parameters (through which weight import, model files and the
                // Trainer write).
                private {{_t}}[]? _netgenPacked;
                private long _netgenVersion;
                private long _netgenPackedVersion = -1;
                private readonly object _netgenPackLock = new();

                /// <summary>
                /// The live parameters in PyTorch <c>nn.Sequential</c> <c>state_dict</c> order: for each dense layer its
                /// weight [units, inputs] row-major, then its bias, then (PReLU) its slope. A weight exported from PyTorch
                /// copies in without transposing. Predictions use a packed copy that is rebuilt on the next prediction
                /// after each read of this property, so write through a span taken after your last prediction (taking the
                /// span again is enough); do not write while predicting.
                /// </summary>
                public global::System.Span<{{_t}}> Parameters
                {
                    get
                    {
                        global::System.Threading.Interlocked.Increment(ref _netgenVersion);
                        return _netgenParameters;
                    }
                }

                int global::NetGen.INeuralNetwork<{{_t}}>.InputSize => InputSize;

                int global::NetGen.INeuralNetwork<{{_t}}>.OutputSize => OutputSize;

                int global::NetGen.INeuralNetwork<{{_t}}>.ParameterCount => ParameterCount;

                private static {{_t}}[] NetGenScratch => t_netgenScratch ??= new {{_t}}[{{_kernels}}.ScratchLength];

                /// <summary>The packed copy of the current parameters, repacked first if they may have changed since.</summary>
                private {{_t}}[] NetGenPacked()
                {
                    {{_t}}[]? packed = _netgenPacked;
                    return packed is not null && global::System.Threading.Volatile.Read(ref _netgenPackedVersion) == global::System.Threading.Volatile.Read(ref _netgenVersion)
                        ? packed
                        : NetGenRepack();
                }

                /// <summary>
                /// Packs the parameters under a lock, so that concurrent first predictions pack once; the copy is published
                /// (its version written) only when complete. Allocates the copy on the first call only.
                /// </summary>
                private {{_t}}[] NetGenRepack()
                {
                    lock (_netgenPackLock)
                    {
                        long version = global::System.Threading.Volatile.Read(ref _netgenVersion);
                        {{_t}}[] packed = _netgenPacked ??= new {{_t}}[{{_kernels}}.PackedLength];
                        if (_netgenPackedVersion != version)
                        {
                            {{_kernels}}.Pack(_netgenParameters, packed);
                            global::System.Threading.Volatile.Write(ref _netgenPackedVersion, version);
                        }

                        return packed;
                    }
                }

                """);
            WriteInitialize();
            WritePredict();
            if (_spec.IsTrainable)
            {
                WriteTrainingMembers();
            }
        }
    }

    private void WriteInfo()
    {
        _w.Line("private static readonly global::NetGen.NetworkInfo s_netgenInfo = new(");
        _w.Line($"    \"{_spec.FullName}\",");
        _w.Line($"    global::NetGen.Precision.{_spec.Precision},");
        _w.Line($"    global::NetGen.Loss.{_spec.Loss},");
        _w.Line("    InputSize,");
        _w.Line("    new global::NetGen.LayerInfo[]");
        _w.Line("    {");
        foreach (LayerPlan layer in _plan.Layers)
        {
            _w.Line($"        // Layer {layer.Number}: {Describe(layer)}");
            _w.Line(layer is DenseLayerPlan d
                ? $"        new(global::NetGen.LayerKind.Dense, {Int(d.InputSize)}, {Int(d.OutputSize)}, global::NetGen.Activation.{d.Spec.Activation}, " +
                  $"global::NetGen.Init.{d.Init}, {Double(d.Activation.Alpha != AlphaRole.None ? d.Alpha : 0)}, {Bool(d.HasBias)}, " +
                  $"{Int(d.Parameters.Weights.Offset)}, {Int(d.Parameters.Bias?.Offset ?? -1)}, {Int(d.Parameters.Slope ?? -1)}, 0d),"
                : $"        new(global::NetGen.LayerKind.Dropout, {Int(layer.InputSize)}, {Int(layer.OutputSize)}, global::NetGen.Activation.Linear, " +
                  $"global::NetGen.Init.Default, 0d, false, -1, -1, -1, {Double(((DropoutLayerPlan)layer).Rate)}),");
        }

        _w.Line("    });");
    }

    private void WriteInitialize()
    {
        _w.Lines("""
            /// <summary>
            /// Draws every weight afresh from its layer's initialiser and sets biases to zero. Layer k uses stream k of
            /// <see cref="global::NetGen.SeededRandom"/>, so a seed gives the same weights on every platform, and resizing
            /// one layer leaves the others' initial weights as they were.
            /// </summary>
            /// <param name="seed">Any integer; equal seeds give equal weights.</param>
            """);
        using (_w.Block("public void Initialize(int seed)"))
        {
            _w.Line("global::System.Threading.Interlocked.Increment(ref _netgenVersion); // new weights: repack before the next prediction");
            _w.Line($"global::System.Span<{_t}> parameters = _netgenParameters;");
            foreach (DenseLayerPlan layer in _plan.DenseLayers)
            {
                LayerSpec l = layer.Spec;
                _w.Line();
                _w.Line($"// Layer {layer.Number}: {Int(layer.OutputSize)} x {Int(layer.InputSize)} weights from {InitCatalog.Describe(l.Init, layer.InputSize, layer.OutputSize)}" +
                       (l.HasBias ? $"; {Int(layer.OutputSize)} biases at zero." : "; no bias."));
                _w.Line($"global::NetGen.SeededRandom random{layer.Number} = new(seed, stream: {Int(layer.Number)});");
                _w.Line($"global::NetGen.WeightInitializer.Fill(parameters.Slice({Int(layer.Parameters.Weights.Offset)}, {Int(layer.OutputSize * layer.InputSize)}), " +
                       $"global::NetGen.Init.{l.Init}, fanIn: {Int(layer.InputSize)}, fanOut: {Int(layer.OutputSize)}, ref random{layer.Number});");
                if (l.HasBias)
                {
                    _w.Line($"parameters.Slice({Int(layer.Parameters.Bias!.Offset)}, {Int(layer.OutputSize)}).Clear();");
                }

                if (layer.Parameters.Slope is { } slope)
                {
                    _w.Line($"parameters[{Int(slope)}] = {_s.Literal(l.Alpha)}; // PReLU slope, learned from here on");
                }
            }

            if (_spec.IsTrainable)
            {
                _w.Line();
                _w.Line("// Fresh weights start a fresh optimizer" + (_plan.HasDropout ? " and dropout sequence (stream 0)." : "."));
                _w.Line("ResetOptimizer();");
                if (_plan.HasDropout)
                {
                    _w.Line("_netgenDropoutRandom = new global::NetGen.SeededRandom(seed, stream: 0);");
                }
            }
        }

        _w.Line();
    }

    private void WritePredict()
    {
        _w.Lines($$"""
            /// <summary>Computes the output for one input row. Thread-safe; allocates nothing after the first call on a thread.</summary>
            /// <param name="input">{{Int(_spec.InputSize)}} features.</param>
            /// <param name="output">Receives {{Int(_plan.OutputSize)}} values.</param>
            /// <exception cref="global::System.ArgumentException">A span has the wrong length.</exception>
            public void Predict(global::System.ReadOnlySpan<{{_t}}> input, global::System.Span<{{_t}}> output)
            {
                global::NetGen.NetworkGuard.Length(input.Length, InputSize, nameof(InputSize), nameof(input));
                global::NetGen.NetworkGuard.Length(output.Length, OutputSize, nameof(OutputSize), nameof(output));
                {{_kernels}}.Forward(NetGenPacked(), input, output, NetGenScratch);
            }

            /// <summary>
            /// Computes the outputs of <c>inputs.Length / InputSize</c> rows stored one after another. Thread-safe;
            /// allocates nothing after the first call on a thread.
            /// </summary>
            /// <param name="inputs">Rows of {{Int(_spec.InputSize)}} features.</param>
            /// <param name="outputs">Receives rows of {{Int(_plan.OutputSize)}} values, one per input row.</param>
            /// <exception cref="global::System.ArgumentException">The spans do not hold matching whole rows.</exception>
            public void PredictBatch(global::System.ReadOnlySpan<{{_t}}> inputs, global::System.Span<{{_t}}> outputs)
            {
                int rows = global::NetGen.NetworkGuard.Rows(inputs.Length, InputSize, outputs.Length, OutputSize, nameof(inputs), nameof(outputs));

                // Every output is computed by the same operations as Predict's, so the results equal Predict's bit for bit.
                {{_kernels}}.ForwardBatch(NetGenPacked(), inputs, outputs, rows);
            }
            """);

        if (_plan.PredictClass is not { } classRule)
        {
            return;
        }

        string rule = classRule.Threshold is { } threshold
            ? $"1 when the output is at least {threshold.ToString(CultureInfo.InvariantCulture)}, else 0"
            : "the index of the largest output";
        if (classRule.IsArgMax)
        {
            _helpers.Add(SharedHelpers.ArgMax);
        }

        string decision = classRule.Threshold is { } limit
            ? $"return output[0] >= {_s.Literal(limit)} ? 1 : 0;"
            : $"return {_kernels}.ArgMax(output);";
        _w.Lines($$"""

            /// <summary>Classifies one input row: {{rule}}. Thread-safe; allocates nothing after the first call on a thread.</summary>
            /// <param name="input">{{Int(_spec.InputSize)}} features.</param>
            /// <exception cref="global::System.ArgumentException"><paramref name="input"/> has the wrong length.</exception>
            public int PredictClass(global::System.ReadOnlySpan<{{_t}}> input)
            {
                global::NetGen.NetworkGuard.Length(input.Length, InputSize, nameof(InputSize), nameof(input));
                {{_t}}[] scratch = NetGenScratch;
                global::System.Span<{{_t}}> output = global::System.MemoryExtensions.AsSpan(scratch, {{_kernels}}.OutputRow, OutputSize);
                {{_kernels}}.Forward(NetGenPacked(), input, output, scratch);
                {{decision}}
            }
            """);
    }

    /// <summary>The training members on the partial class: gradients, the optimizer step and its state.</summary>
    private void WriteTrainingMembers()
    {
        TrainingPlan training = _plan.Training!;
        bool hasDropout = _plan.HasDropout;
        string normalizer = training.Normaliser;
        string meanOver = training.MeanOver;

        int buffers = training.OptimizerBuffers.Count;
        string stateText = buffers == 0 ? "none" : string.Join(", then ", training.OptimizerBuffers);
        _w.Lines($$"""

            // Training state, allocated once with the network: the gradient of the last batch and the optimizer's buffers.
            private readonly {{_t}}[] _netgenGradients = new {{_t}}[ParameterCount];
            """);
        if (buffers > 0)
        {
            _w.Line($"private readonly {_t}[] _netgenOptimizerState = new {_t}[{(buffers == 1 ? "" : Int(buffers) + " * ")}ParameterCount]; // {stateText}");
        }

        _w.Line("private int _netgenStep;");
        _w.Line("private double _netgenClipGradientNorm;");
        if (hasDropout)
        {
            _w.Line("private global::NetGen.SeededRandom _netgenDropoutRandom;");
        }

        _w.Lines($$"""

            // Backpropagation keeps every z and y of the current row here (training is single-threaded per instance).
            private {{_t}}[]? _netgenTrainingScratch;

            private {{_t}} _netgenLearningRate = {{_s.Literal(_spec.LearningRate)}};

            /// <summary>
            /// The {{_spec.Optimizer}} learning rate; starts at {{_spec.LearningRate.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}}, as declared. Schedules may lower it to 0; a negative, NaN
            /// or infinite value throws <see cref="global::System.ArgumentOutOfRangeException"/> and leaves the rate unchanged.
            /// </summary>
            public {{_t}} LearningRate
            {
                get => _netgenLearningRate;
                set
                {
                    if (!(value >= 0) || {{_t}}.IsPositiveInfinity(value))
                    {
                        throw new global::System.ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be finite and not negative.");
                    }

                    _netgenLearningRate = value;
                }
            }

            /// <summary>
            /// The gradient computed by the last <see cref="TrainBatch(global::System.ReadOnlySpan{{{_t}}}, global::System.ReadOnlySpan{{{_t}}})"/> or <see cref="ComputeGradients"/> call
            /// (after clipping, when <see cref="ClipGradientNorm"/> clipped it).
            /// </summary>
            public global::System.ReadOnlySpan<{{_t}}> LastGradients => _netgenGradients;

            /// <summary>
            /// The {{_spec.Optimizer}} state per parameter ({{(buffers == 0 ? "none: this optimizer keeps no buffers" : $"{stateText}; {Int(buffers)} x ParameterCount values in the layout of <see cref=\"Parameters\"/>")}}),
            /// live: reading and writing it, with <see cref="OptimizerStep"/>, is how a checkpoint saves and resumes training exactly.
            /// </summary>
            public global::System.Span<{{_t}}> OptimizerState => {{(buffers == 0 ? "default" : "_netgenOptimizerState")}};

            /// <summary>
            /// The optimizer steps taken since construction, <see cref="Initialize"/> or <see cref="ResetOptimizer"/> (Adam's t); a
            /// negative value throws <see cref="global::System.ArgumentOutOfRangeException"/>.
            /// </summary>
            public int OptimizerStep
            {
                get => _netgenStep;
                set => _netgenStep = value >= 0 ? value : throw new global::System.ArgumentOutOfRangeException(nameof(value), value, "The step count cannot be negative.");
            }

            /// <summary>
            /// Clips the gradient before each optimizer step to this L2 norm over all parameters, as PyTorch's
            /// <c>clip_grad_norm_</c> (<see cref="global::NetGen.Optimizers.ClipGradientNorm{T}"/>); 0, the default, does not clip. A negative, NaN
            /// or infinite value throws <see cref="global::System.ArgumentOutOfRangeException"/> and leaves the limit unchanged.
            /// </summary>
            public double ClipGradientNorm
            {
                get => _netgenClipGradientNorm;
                set => _netgenClipGradientNorm = value >= 0 && !double.IsPositiveInfinity(value) ? value
                    : throw new global::System.ArgumentOutOfRangeException(nameof(value), value, "The norm limit must be finite and not negative.");
            }

            /// <summary>
            /// {{(hasDropout ? "The dropout masks' random stream (stream 0 of the seed); a checkpoint saves it so that a resumed run draws the same masks." : "Unused: this network has no dropout. Kept so that every trainable network saves and restores the same state.")}}
            /// </summary>
            public global::NetGen.SeededRandom DropoutRandom {{(hasDropout ? "{ get => _netgenDropoutRandom; set => _netgenDropoutRandom = value; }" : "{ get; set; }")}}

            /// <summary>
            /// Returns the {{_spec.Loss}} loss averaged over {{meanOver}}, and writes d(loss)/d(parameter) into
            /// <paramref name="gradients"/> in the layout of <see cref="Parameters"/>. Dropout is off; parameters are unchanged.
            /// Allocates nothing after the first call. Not thread-safe.
            /// </summary>
            /// <param name="inputs">Rows of {{Int(_spec.InputSize)}} features.</param>
            /// <param name="targets">One row of {{Int(_plan.OutputSize)}} targets per input row.</param>
            /// <param name="gradients">Receives {{Int(_plan.ParameterCount)}} values.</param>
            public {{_t}} ComputeGradients(global::System.ReadOnlySpan<{{_t}}> inputs, global::System.ReadOnlySpan<{{_t}}> targets, global::System.Span<{{_t}}> gradients)
            {
                int rows = global::NetGen.NetworkGuard.TrainingRows(inputs.Length, InputSize, targets.Length, OutputSize, nameof(inputs), nameof(targets));
                global::NetGen.NetworkGuard.Length(gradients.Length, ParameterCount, nameof(ParameterCount), nameof(gradients));
                {{_t}} loss = NetGenBackpropagate(inputs, targets, default, default, rows, rows{{(hasDropout ? ", dropout: false" : "")}});
                global::System.MemoryExtensions.CopyTo(_netgenGradients, gradients);
                return loss;
            }

            /// <summary>
            /// One {{_spec.Optimizer}} step on a batch: forward{{(hasDropout ? " with dropout" : "")}}, backward, update. Returns the batch's
            /// mean loss before the update. Allocates nothing after the first call. Not thread-safe.
            /// </summary>
            /// <param name="inputs">Rows of {{Int(_spec.InputSize)}} features.</param>
            /// <param name="targets">One row of {{Int(_plan.OutputSize)}} targets per input row.</param>
            public {{_t}} TrainBatch(global::System.ReadOnlySpan<{{_t}}> inputs, global::System.ReadOnlySpan<{{_t}}> targets)
            {
                int rows = global::NetGen.NetworkGuard.TrainingRows(inputs.Length, InputSize, targets.Length, OutputSize, nameof(inputs), nameof(targets));
                {{_t}} loss = NetGenBackpropagate(inputs, targets, default, default, rows, rows{{(hasDropout ? ", dropout: true" : "")}});
                NetGenOptimizerStep();
                return loss;
            }

            /// <summary>
            /// As <see cref="TrainBatch(global::System.ReadOnlySpan{{{_t}}}, global::System.ReadOnlySpan{{{_t}}})"/>, with one weight per row: the loss and its gradient are
            /// the weighted mean Σ wᵢ Lᵢ / Σ wᵢ, as PyTorch's weighted <c>CrossEntropyLoss</c> averages (class weights are each row's class weight).
            /// </summary>
            /// <param name="inputs">Rows of {{Int(_spec.InputSize)}} features.</param>
            /// <param name="targets">One row of {{Int(_plan.OutputSize)}} targets per input row.</param>
            /// <param name="sampleWeights">One finite weight ≥ 0 per row, with a sum above 0.</param>
            public {{_t}} TrainBatch(global::System.ReadOnlySpan<{{_t}}> inputs, global::System.ReadOnlySpan<{{_t}}> targets, global::System.ReadOnlySpan<{{_t}}> sampleWeights)
            {
                int rows = global::NetGen.NetworkGuard.TrainingRows(inputs.Length, InputSize, targets.Length, OutputSize, nameof(inputs), nameof(targets));
                double weightSum = global::NetGen.NetworkGuard.SampleWeights(sampleWeights, rows, nameof(sampleWeights));
                {{_t}} loss = NetGenBackpropagate(inputs, targets, default, sampleWeights, weightSum, rows{{(hasDropout ? ", dropout: true" : "")}});
                NetGenOptimizerStep();
                return loss;
            }

            /// <summary>
            /// As <see cref="TrainBatch(global::System.ReadOnlySpan{{{_t}}}, global::System.ReadOnlySpan{{{_t}}})"/>, with one class index per row
            /// {{(_plan.OutputSize == 1 ? "(0 or 1: the target of the single output)" : $"(0 to {_plan.OutputSize - 1}: the one-hot target)")}}.
            /// </summary>
            /// <param name="inputs">Rows of {{Int(_spec.InputSize)}} features.</param>
            /// <param name="labels">One class index per input row.</param>
            public {{_t}} TrainBatch(global::System.ReadOnlySpan<{{_t}}> inputs, global::System.ReadOnlySpan<int> labels)
            {
                int rows = global::NetGen.NetworkGuard.TrainingRows(inputs.Length, InputSize, labels.Length, 1, nameof(inputs), nameof(labels));
                {{_t}} loss = NetGenBackpropagate(inputs, default, labels, default, rows, rows{{(hasDropout ? ", dropout: true" : "")}});
                NetGenOptimizerStep();
                return loss;
            }

            /// <summary>
            /// As <see cref="TrainBatch(global::System.ReadOnlySpan{{{_t}}}, global::System.ReadOnlySpan{int})"/>, with one weight per row (the weighted mean Σ wᵢ Lᵢ / Σ wᵢ).
            /// </summary>
            /// <param name="inputs">Rows of {{Int(_spec.InputSize)}} features.</param>
            /// <param name="labels">One class index per input row.</param>
            /// <param name="sampleWeights">One finite weight ≥ 0 per row, with a sum above 0.</param>
            public {{_t}} TrainBatch(global::System.ReadOnlySpan<{{_t}}> inputs, global::System.ReadOnlySpan<int> labels, global::System.ReadOnlySpan<{{_t}}> sampleWeights)
            {
                int rows = global::NetGen.NetworkGuard.TrainingRows(inputs.Length, InputSize, labels.Length, 1, nameof(inputs), nameof(labels));
                double weightSum = global::NetGen.NetworkGuard.SampleWeights(sampleWeights, rows, nameof(sampleWeights));
                {{_t}} loss = NetGenBackpropagate(inputs, default, labels, sampleWeights, weightSum, rows{{(hasDropout ? ", dropout: true" : "")}});
                NetGenOptimizerStep();
                return loss;
            }

            /// <summary>
            /// Runs one row forward without dropout and writes each dense layer's output, layer after layer
            /// ({{string.Join(" + ", _plan.DenseLayers.Select(l => Int(l.OutputSize)))}} = {{Int(_plan.ActivationCount)}} values), into <paramref name="activations"/>.
            /// </summary>
            public void PredictLayers(global::System.ReadOnlySpan<{{_t}}> input, global::System.Span<{{_t}}> activations)
            {
                global::NetGen.NetworkGuard.Length(input.Length, InputSize, nameof(InputSize), nameof(input));
                global::NetGen.NetworkGuard.Length(activations.Length, {{_kernels}}.ActivationCount, "the sum of the dense layers' units", nameof(activations));
                {{_t}}[] scratch = NetGenScratch;
                {{_kernels}}.Forward(NetGenPacked(), input, global::System.MemoryExtensions.AsSpan(scratch, {{_kernels}}.OutputRow, OutputSize), scratch);
                {{_kernels}}.CopyActivations(scratch, activations);
            }

            /// <summary>Clears the optimizer's state (step count and buffers), as after construction.</summary>
            public void ResetOptimizer()
            {
                _netgenStep = 0;
            """);
        if (buffers > 0)
        {
            _w.Line("    global::System.Array.Clear(_netgenOptimizerState);");
        }

        _w.Line("}");
        _w.Line();

        _w.Lines($$"""
            /// <summary>
            /// Accumulates the gradient of the mean loss over the batch into _netgenGradients; returns the mean loss. Without
            /// weights each row counts 1 and <paramref name="count"/> is the row count; with weights each row counts its
            /// weight and <paramref name="count"/> is their sum.
            /// </summary>
            private {{_t}} NetGenBackpropagate(global::System.ReadOnlySpan<{{_t}}> inputs, global::System.ReadOnlySpan<{{_t}}> targets, global::System.ReadOnlySpan<int> labels, global::System.ReadOnlySpan<{{_t}}> weights, double count, int rows{{(hasDropout ? ", bool dropout" : "")}})
            {
                {{_t}}[] scratch = _netgenTrainingScratch ??= new {{_t}}[{{_kernels}}.ScratchLength];
                global::System.Array.Clear(_netgenGradients);
                {{_t}} scale = {{_s.Literal(1)}} / ({{_t}})({{normalizer}});
                double total = 0;
                for (int row = 0; row < rows; row++)
                {
                    global::System.ReadOnlySpan<{{_t}}> target = labels.IsEmpty
                        ? targets.Slice(row * OutputSize, OutputSize)
                        : {{_kernels}}.LabelTarget(labels[row], row, scratch);
                    {{_t}} weight = weights.IsEmpty ? {{_s.Literal(1)}} : weights[row];
                    total += weight * (double){{_kernels}}.TrainRow(_netgenParameters, _netgenGradients, inputs.Slice(row * InputSize, InputSize), target, scratch, scale * weight{{(hasDropout ? ", ref _netgenDropoutRandom, dropout" : "")}});
                }

                return ({{_t}})(total * scale);
            }

            """);
        WriteOptimizerStep();
    }

    private void WriteOptimizerStep()
    {
        (string summary, string call) = OptimizerCatalog.Step(_spec, _s);
        _w.Line($"/// <summary>{summary}</summary>");
        using (_w.Block("private void NetGenOptimizerStep()"))
        {
            _w.Line("_netgenStep++;");
            using (_w.Block("if (_netgenClipGradientNorm > 0)"))
            {
                _w.Line($"global::NetGen.Optimizers.ClipGradientNorm<{_t}>(_netgenGradients, _netgenClipGradientNorm);");
            }

            _w.Line();
            if (_plan.Training!.OptimizerBuffers.Count > 0)
            {
                _w.Line($"global::System.Span<{_t}> state = _netgenOptimizerState;");
            }

            _w.Line("global::System.Threading.Interlocked.Increment(ref _netgenVersion); // the parameters change: repack before the next prediction");
            _w.Line(call);
        }
    }
}
