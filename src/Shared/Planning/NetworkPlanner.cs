using System;
using System.Collections.Generic;
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
    public static NetworkPlan Plan(NetworkSpec spec)
    {
        // Every offset and size of the generated code is computed by these two allocators and nowhere else: checked
        // 64-bit arithmetic and an error for networks too large to address belong in them (docs/architecture.md).
        var parameters = new Allocator();
        var scratch = new Allocator();
        var slots = new List<ScratchSlot>();
        ScratchSlot Slot(string name, int length)
        {
            var slot = new ScratchSlot(name, scratch.Take(length), length);
            slots.Add(slot);
            return slot;
        }

        LossEntry? loss = LossCatalog.Of(spec.Loss);
        int lastDense = LastDenseIndex(spec);
        var layers = new List<LayerPlan>(spec.Layers.Count);
        int width = spec.InputSize, maxWidth = 1, denseNumber = 0, activations = 0;
        long multiplyAdds = 0;
        ScratchSlot? trainingInput = null, inferenceInput = null; // null: the caller's input row

        for (int i = 0; i < spec.Layers.Count; i++)
        {
            LayerSpec layer = spec.Layers[i];
            int number = i + 1;
            if (layer.Kind == LayerKind.Dropout)
            {
                // Training: y = x * mask. Inference: identity, so the next layer reads what this one received.
                ScratchSlot mask = Slot($"Layer{number}Mask", width);
                ScratchSlot masked = Slot($"Layer{number}Y", width);
                layers.Add(new DropoutLayerPlan(number, layer.DropoutRate, width, mask, masked, trainingInput));
                trainingInput = masked;
                continue;
            }

            ActivationEntry activation = ActivationCatalog.Of(layer.Activation);
            int units = layer.Units;
            var weights = new ParameterRange(parameters.Take(units * width), units * width);
            ParameterRange? bias = layer.HasBias ? new ParameterRange(parameters.Take(units), units) : null;
            int? slope = activation.Alpha == AlphaRole.LearnedSlope ? parameters.Take(1) : null;
            ScratchSlot z = Slot($"Layer{number}Z", units);
            ScratchSlot y = Slot($"Layer{number}Y", units);
            bool isOutput = i == lastDense;
            bool keepsZ = loss is not null
                && ((activation.DerivativeReads & Reads.Z) != 0 || (isOutput && (loss.FormFor(layer.Activation).Reads & Reads.Z) != 0));

            layers.Add(new DenseLayerPlan(number, ++denseNumber, layer, width, units, new DenseParameters(weights, bias, slope), z, y,
                trainingInput, inferenceInput, BatchInput: null, BatchOutput: null, IsFirstDense: denseNumber == 1, isOutput, keepsZ));

            multiplyAdds += (long)units * width;
            activations += units;
            maxWidth = Math.Max(maxWidth, units);
            trainingInput = inferenceInput = y;
            width = units;
        }

        ScratchSlot gradientA = Slot("GradientA", maxWidth);
        ScratchSlot gradientB = Slot("GradientB", maxWidth);
        ScratchSlot target = Slot("TargetRow", width);

        // PredictBatch's tiles: each hidden dense layer's outputs for BatchTile rows, one row after another.
        ScratchSlot? batchInput = null;
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i] is not DenseLayerPlan { IsOutput: false } dense)
            {
                if (layers[i] is DenseLayerPlan output)
                {
                    layers[i] = output with { BatchInput = batchInput };
                }

                continue;
            }

            ScratchSlot tile = Slot($"Layer{dense.Number}Tile", NetworkPlan.BatchTile * dense.OutputSize);
            layers[i] = dense with { BatchInput = batchInput, BatchOutput = tile };
            batchInput = tile;
        }

        DenseLayerPlan outputLayer = layers.OfType<DenseLayerPlan>().Last();
        ClassRule? predictClass = outputLayer.OutputSize > 1 ? new ClassRule(null)
            : outputLayer.Activation.ClassThreshold is { } threshold ? new ClassRule(threshold)
            : null;

        TrainingPlan? training = loss is null ? null : new TrainingPlan(
            spec.Loss,
            FusedOutput: loss.FusesWith == outputLayer.Spec.Activation,
            OutputReads: loss.FormFor(outputLayer.Spec.Activation).Reads,
            Normaliser: loss.AveragesOverRows ? "rows" : "rows * OutputSize",
            MeanOver: loss.AveragesOverRows ? "rows" : "rows and outputs",
            OptimizerBuffers: new EquatableArray<string>(OptimizerCatalog.Buffers(spec.Optimizer, spec.Momentum)));

        return new NetworkPlan(
            spec,
            spec.Precision == Precision.Double ? ScalarType.Double : ScalarType.Single,
            width,
            parameters.Total,
            multiplyAdds,
            activations,
            new EquatableArray<LayerPlan>(layers),
            new ScratchLayout(new EquatableArray<ScratchSlot>(slots), gradientA, gradientB, target, scratch.Total),
            predictClass,
            training,
            new EquatableArray<string>(MemberNames(predictClass is not null, training is not null).ToArray()));
    }

    /// <summary>
    /// The members the generator adds to a network type, as NG0009 checks them (constructors () and (int) are checked
    /// separately). The one list: the emitter writes exactly these.
    /// </summary>
    private static IEnumerable<string> MemberNames(bool predictClass, bool trainable)
    {
        string[] always = { "InputSize", "OutputSize", "ParameterCount", "Info", "Parameters", "Initialize", "Predict", "PredictBatch" };
        string[] training = { "ComputeGradients", "TrainBatch", "LearningRate", "LastGradients", "PredictLayers", "ResetOptimizer" };
        return always.Concat(predictClass ? new[] { "PredictClass" } : Array.Empty<string>()).Concat(trainable ? training : Array.Empty<string>());
    }

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

    /// <summary>Hands out consecutive offsets in one array.</summary>
    private sealed class Allocator
    {
        public int Total { get; private set; }

        public int Take(int length)
        {
            int offset = Total;
            Total += length;
            return offset;
        }
    }
}
