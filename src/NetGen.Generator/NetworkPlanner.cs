using System;
using System.Collections.Generic;

namespace NetGen.SourceGeneration;

/// <summary>
/// Lays a network out: parameters in PyTorch <c>state_dict</c> order (each dense layer's weight [out, in] row-major,
/// then its bias, then a PReLU slope), and every intermediate value of one row at its own place in one scratch buffer
/// so that backpropagation can read it back.
/// </summary>
internal static class NetworkPlanner
{
    public static NetworkPlan Plan(NetworkSpec spec)
    {
        var layers = new List<LayerPlan>(spec.Layers.Count);
        int width = spec.InputSize;
        int parameterOffset = 0, scratch = 0, maxWidth = 1, activations = 0;
        int trainingSource = -1, inferenceSource = -1; // -1: the caller's input row
        long multiplyAdds = 0;
        int lastDense = LastDenseIndex(spec);
        bool seenDense = false;

        for (int i = 0; i < spec.Layers.Count; i++)
        {
            LayerSpec layer = spec.Layers[i];
            if (layer.Kind == LayerKindSpec.Dropout)
            {
                // Training: y = x * mask. Inference: identity, so the next layer reads what this one received.
                int mask = scratch, y = scratch + width;
                scratch += 2 * width;
                layers.Add(new LayerPlan(i + 1, layer, width, width, -1, -1, -1, 0, 0, -1, y, mask, trainingSource, inferenceSource, false, false));
                trainingSource = y;
                continue;
            }

            int weights = parameterOffset;
            int bias = layer.HasBias ? weights + (layer.Units * width) : -1;
            int slope = layer.Activation == ActivationKind.PReLU ? weights + (layer.Units * width) + (layer.HasBias ? layer.Units : 0) : -1;
            int count = (layer.Units * width) + (layer.HasBias ? layer.Units : 0) + (slope >= 0 ? 1 : 0);
            long macs = (long)layer.Units * width;
            int z = scratch, yOffset = scratch + layer.Units;
            scratch += 2 * layer.Units;

            layers.Add(new LayerPlan(i + 1, layer, width, layer.Units, weights, bias, slope, count, macs, z, yOffset, -1,
                trainingSource, inferenceSource, !seenDense, i == lastDense));

            seenDense = true;
            parameterOffset += count;
            multiplyAdds += macs;
            activations += layer.Units;
            maxWidth = Math.Max(maxWidth, layer.Units);
            trainingSource = inferenceSource = yOffset;
            width = layer.Units;
        }

        int gradientA = scratch, gradientB = scratch + maxWidth, target = scratch + (2 * maxWidth);

        // PredictBatch's tiles: each hidden dense layer's outputs for BatchTile rows, one row after another.
        int batchRegion = target + width, batch = batchRegion, batchSource = -1;
        for (int i = 0; i < layers.Count; i++)
        {
            LayerPlan layer = layers[i];
            if (!layer.IsDense)
            {
                continue;
            }

            int batchY = layer.IsOutput ? -1 : batch;
            layers[i] = layer with { BatchYOffset = batchY, BatchSource = batchSource };
            if (!layer.IsOutput)
            {
                batch += NetworkPlan.BatchTile * layer.OutputSize;
                batchSource = batchY;
            }
        }

        return new NetworkPlan(
            spec,
            spec.Precision == PrecisionKind.Double ? ScalarType.Double : ScalarType.Single,
            width,
            parameterOffset,
            multiplyAdds,
            maxWidth,
            activations,
            gradientA,
            gradientB,
            target,
            batchRegion,
            batch,
            new EquatableArray<LayerPlan>(layers));
    }

    private static int LastDenseIndex(NetworkSpec spec)
    {
        for (int i = spec.Layers.Count - 1; i >= 0; i--)
        {
            if (spec.Layers[i].Kind == LayerKindSpec.Dense)
            {
                return i;
            }
        }

        return -1;
    }
}
