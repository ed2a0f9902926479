using System;
using System.Numerics.Tensors;

namespace NetGen.Bench;

/// <summary>
/// Hand-written forward passes over the same parameters (PyTorch layout) as <see cref="BenchNetwork"/>: what a C#
/// developer writes without NetGen. Sizes are fields, not constants.
/// </summary>
public sealed class Baselines
{
    private readonly float[] _parameters;
    private readonly int[] _sizes = { 784, 256, 128, 10 };
    private readonly float[] _a = new float[256];
    private readonly float[] _b = new float[256];

    public Baselines(float[] parameters) => _parameters = parameters;

    /// <summary>Plain scalar loops: the classic textbook implementation.</summary>
    public void PredictScalar(ReadOnlySpan<float> input, Span<float> output)
    {
        ReadOnlySpan<float> x = input;
        int offset = 0;
        for (int layer = 0; layer < 3; layer++)
        {
            int inputs = _sizes[layer], units = _sizes[layer + 1];
            Span<float> y = layer == 2 ? output : (layer % 2 == 0 ? _a : _b).AsSpan(0, units);
            for (int u = 0; u < units; u++)
            {
                float sum = _parameters[offset + (inputs * units) + u];
                for (int i = 0; i < inputs; i++)
                {
                    sum += _parameters[offset + (u * inputs) + i] * x[i];
                }

                y[u] = layer == 2 ? sum : MathF.Max(sum, 0f);
            }

            offset += (inputs * units) + units;
            x = y;
        }

        Softmax(output);
    }

    /// <summary>System.Numerics.Tensors' vectorised dot products and softmax: a strong library baseline.</summary>
    public void PredictTensorPrimitives(ReadOnlySpan<float> input, Span<float> output)
    {
        ReadOnlySpan<float> x = input;
        int offset = 0;
        for (int layer = 0; layer < 3; layer++)
        {
            int inputs = _sizes[layer], units = _sizes[layer + 1];
            Span<float> y = layer == 2 ? output : (layer % 2 == 0 ? _a : _b).AsSpan(0, units);
            ReadOnlySpan<float> weights = _parameters.AsSpan(offset, inputs * units);
            ReadOnlySpan<float> bias = _parameters.AsSpan(offset + (inputs * units), units);
            for (int u = 0; u < units; u++)
            {
                y[u] = TensorPrimitives.Dot(weights.Slice(u * inputs, inputs), x) + bias[u];
            }

            if (layer < 2)
            {
                TensorPrimitives.Max(y, 0f, y);
            }

            offset += (inputs * units) + units;
            x = y;
        }

        TensorPrimitives.SoftMax(output, output);
    }

    private static void Softmax(Span<float> values)
    {
        float max = float.NegativeInfinity;
        foreach (float v in values)
        {
            max = MathF.Max(max, v);
        }

        float sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = MathF.Exp(values[i] - max);
            sum += values[i];
        }

        for (int i = 0; i < values.Length; i++)
        {
            values[i] /= sum;
        }
    }
}
