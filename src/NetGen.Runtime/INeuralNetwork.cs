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
    /// [units, inputs] row-major, then its bias, then (PReLU) its slope. A weight exported from PyTorch copies in
    /// without transposing. Predictions use a packed copy that is rebuilt on the next prediction after each read of
    /// this property, so write through a span taken after your last prediction (taking the span again is enough); do
    /// not write while predicting.
    /// </summary>
    Span<T> Parameters { get; }

    /// <summary>
    /// Draws every weight afresh from its layer's initialiser and sets biases to zero. Layer k uses stream k of
    /// <see cref="SeededRandom"/>, so a seed gives the same weights on every platform, and resizing one layer leaves
    /// the others' initial weights as they were. A trainable network also resets its optimizer and dropout sequence.
    /// </summary>
    /// <param name="seed">Any integer; equal seeds give equal weights.</param>
    void Initialize(int seed);

    /// <summary>Computes the output for one input row. Thread-safe; allocates nothing after the first call on a thread.</summary>
    /// <param name="input">InputSize features.</param>
    /// <param name="output">Receives OutputSize values.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    void Predict(ReadOnlySpan<T> input, Span<T> output);

    /// <summary>
    /// Computes the outputs of <c>inputs.Length / InputSize</c> rows stored one after another. Thread-safe; allocates
    /// nothing after the first call on a thread.
    /// </summary>
    /// <param name="inputs">Rows of InputSize features.</param>
    /// <param name="outputs">Receives rows of OutputSize values, one per input row.</param>
    /// <exception cref="ArgumentException">The spans do not hold matching whole rows.</exception>
    void PredictBatch(ReadOnlySpan<T> inputs, Span<T> outputs);
}
