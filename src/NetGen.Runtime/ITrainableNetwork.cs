using System;

namespace NetGen;

/// <summary>
/// A generated network declared with a <see cref="Loss"/>: it can compute gradients and take optimizer steps.
/// The runtime's <c>Trainer</c> drives any network through this interface. Training members are not thread-safe.
/// </summary>
public interface ITrainableNetwork<T> : INeuralNetwork<T> where T : unmanaged
{
    /// <summary>The optimizer's learning rate; starts at the value declared on <see cref="NetworkAttribute"/>.</summary>
    T LearningRate { get; set; }

    /// <summary>
    /// Returns the mean loss over the rows of <paramref name="inputs"/> and writes d(loss)/d(parameter) into
    /// <paramref name="gradients"/> in the layout of <see cref="INeuralNetwork{T}.Parameters"/>. Dropout is off and
    /// the parameters are unchanged. Allocates nothing after the first call.
    /// </summary>
    /// <param name="inputs">Rows of InputSize features.</param>
    /// <param name="targets">One row of OutputSize targets per input row.</param>
    /// <param name="gradients">ParameterCount values.</param>
    T ComputeGradients(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradients);

    /// <summary>
    /// One optimizer step on a batch: forward with dropout, backward, update. Returns the batch's mean loss (computed
    /// before the update). Allocates nothing after the first call.
    /// </summary>
    T TrainBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets);

    /// <summary>
    /// As <see cref="TrainBatch(ReadOnlySpan{T}, ReadOnlySpan{T})"/>, with class indices instead of one-hot rows
    /// (for a single sigmoid output, the label 0 or 1 is the target).
    /// </summary>
    T TrainBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels);

    /// <summary>
    /// The gradient of the last <see cref="TrainBatch(ReadOnlySpan{T}, ReadOnlySpan{T})"/> or
    /// <see cref="ComputeGradients"/> call, in parameter layout. Valid until the next training call; the trainer reads
    /// per-layer gradient norms from it.
    /// </summary>
    ReadOnlySpan<T> LastGradients { get; }

    /// <summary>
    /// Runs one row forward (no dropout) and writes every dense layer's output, layer after layer, into
    /// <paramref name="activations"/> (length: the sum of the dense layers' units). Used to find dead ReLU units.
    /// </summary>
    void PredictLayers(ReadOnlySpan<T> input, Span<T> activations);

    /// <summary>Clears the optimizer's state (moments, momentum buffers, step count), as after construction.</summary>
    void ResetOptimizer();
}
