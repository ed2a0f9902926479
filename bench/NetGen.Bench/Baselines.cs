using System;
using System.Numerics.Tensors;

namespace NetGen.Bench;

/// <summary>
/// Hand-written forward passes over the same parameters (PyTorch layout, [out, in] weights then bias per layer) as
/// the generated networks: what a C# developer writes without NetGen. Sizes are fields, not constants.
/// </summary>
public sealed class Baselines
{
    private readonly float[] _parameters;
    private readonly int[] _sizes;
    private readonly bool _tanh;
    private readonly bool _softmax;
    private readonly float[] _a;
    private readonly float[] _b;

    /// <param name="parameters">All layers' weights and biases in PyTorch's state_dict order.</param>
    /// <param name="sizes">Input width, then each layer's units.</param>
    /// <param name="tanh">Hidden layers use tanh (else ReLU).</param>
    /// <param name="softmax">The last layer is followed by a softmax (else it is linear).</param>
    public Baselines(float[] parameters, int[] sizes, bool tanh, bool softmax)
    {
        _parameters = parameters;
        _sizes = sizes;
        _tanh = tanh;
        _softmax = softmax;
        int widest = 0;
        foreach (int size in sizes)
        {
            widest = Math.Max(widest, size);
        }

        _a = new float[widest];
        _b = new float[widest];
    }

    /// <summary>Plain scalar loops: the classic textbook implementation.</summary>
    public void PredictScalar(ReadOnlySpan<float> input, Span<float> output)
    {
        ReadOnlySpan<float> x = input;
        int offset = 0;
        int layers = _sizes.Length - 1;
        for (int layer = 0; layer < layers; layer++)
        {
            int inputs = _sizes[layer], units = _sizes[layer + 1];
            bool last = layer == layers - 1;
            Span<float> y = last ? output : (layer % 2 == 0 ? _a : _b).AsSpan(0, units);
            for (int u = 0; u < units; u++)
            {
                float sum = _parameters[offset + (inputs * units) + u];
                for (int i = 0; i < inputs; i++)
                {
                    sum += _parameters[offset + (u * inputs) + i] * x[i];
                }

                y[u] = last ? sum : _tanh ? MathF.Tanh(sum) : MathF.Max(sum, 0f);
            }

            offset += (inputs * units) + units;
            x = y;
        }

        if (_softmax)
        {
            Softmax(output);
        }
    }

    /// <summary>System.Numerics.Tensors' vectorised dot products, activations and softmax: a strong library baseline.</summary>
    public void PredictTensorPrimitives(ReadOnlySpan<float> input, Span<float> output)
    {
        ReadOnlySpan<float> x = input;
        int offset = 0;
        int layers = _sizes.Length - 1;
        for (int layer = 0; layer < layers; layer++)
        {
            int inputs = _sizes[layer], units = _sizes[layer + 1];
            bool last = layer == layers - 1;
            Span<float> y = last ? output : (layer % 2 == 0 ? _a : _b).AsSpan(0, units);
            ReadOnlySpan<float> weights = _parameters.AsSpan(offset, inputs * units);
            ReadOnlySpan<float> bias = _parameters.AsSpan(offset + (inputs * units), units);
            for (int u = 0; u < units; u++)
            {
                y[u] = TensorPrimitives.Dot(weights.Slice(u * inputs, inputs), x);
            }

            TensorPrimitives.Add(y, bias, y);
            if (!last)
            {
                if (_tanh)
                {
                    TensorPrimitives.Tanh(y, y);
                }
                else
                {
                    TensorPrimitives.Max(y, 0f, y);
                }
            }

            offset += (inputs * units) + units;
            x = y;
        }

        if (_softmax)
        {
            TensorPrimitives.SoftMax(output, output);
        }
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
