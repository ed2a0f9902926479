using System;

namespace NetGen;

/// <summary>
/// What every generated network offers, so that runtime services (the trainer, model files, evaluation) work with
/// any of them. <typeparamref name="T"/> is <see cref="float"/> or <see cref="double"/>, per <see cref="Precision"/>.
/// </summary>
/// <remarks>
/// Generated classes also expose <c>InputSize</c>, <c>OutputSize</c> and <c>ParameterCount</c> as constants; the
/// interface members return the same values.
/// </remarks>
public interface INeuralNetwork<T> where T : unmanaged
{
    /// <summary>The number of features in one input row.</summary>
    int InputSize { get; }

    /// <summary>The number of values in one output row.</summary>
    int OutputSize { get; }

    /// <summary>The number of trainable parameters, the length of <see cref="Parameters"/>.</summary>
    int ParameterCount { get; }

    /// <summary>The architecture: layers, sizes, activations and where each layer's parameters live.</summary>
    NetworkInfo Info { get; }

    /// <summary>
    /// The live parameters in PyTorch <c>nn.Sequential</c> <c>state_dict</c> order: for each dense layer its weight
    /// [units, inputs] row-major, then its bias, then (PReLU) its slope. Writes take effect immediately.
    /// </summary>
    Span<T> Parameters { get; }

    /// <summary>Draws fresh weights from each layer's initialiser with the given seed; biases become zero.</summary>
    void Initialize(int seed);

    /// <summary>Computes the output for one input row. Thread-safe; allocates nothing after the first call on a thread.</summary>
    void Predict(ReadOnlySpan<T> input, Span<T> output);

    /// <summary>Computes outputs for <c>inputs.Length / InputSize</c> rows. Thread-safe; allocates nothing after the first call on a thread.</summary>
    void PredictBatch(ReadOnlySpan<T> inputs, Span<T> outputs);
}
