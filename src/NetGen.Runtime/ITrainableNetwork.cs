using System;

namespace NetGen;

/// <summary>
/// A generated network declared with a <see cref="Loss"/>: it can compute gradients and take optimizer steps.
/// The runtime's <c>Trainer</c> drives any network through this interface. Training members are not thread-safe.
/// </summary>
public interface ITrainableNetwork<T> : INeuralNetwork<T> where T : unmanaged
{
    /// <summary>
    /// The optimizer's learning rate; starts at the value declared on <see cref="NetworkAttribute"/>. Schedules may
    /// lower it to 0; a negative, NaN or infinite value throws <see cref="ArgumentOutOfRangeException"/> and leaves the
    /// rate unchanged.
    /// </summary>
    T LearningRate { get; set; }

    /// <summary>
    /// Returns the mean loss over the rows of <paramref name="inputs"/> and writes d(loss)/d(parameter) into
    /// <paramref name="gradients"/> in the layout of <see cref="INeuralNetwork{T}.Parameters"/>. Dropout is off and
    /// the parameters are unchanged. Allocates nothing after the first call. Not thread-safe.
    /// </summary>
    /// <param name="inputs">Rows of InputSize features.</param>
    /// <param name="targets">One row of OutputSize targets per input row.</param>
    /// <param name="gradients">Receives ParameterCount values.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or there are no rows.</exception>
    T ComputeGradients(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradients);

    /// <summary>
    /// One optimizer step on a batch: forward with dropout, backward, update. Returns the batch's mean loss (computed
    /// before the update). Allocates nothing after the first call. Not thread-safe.
    /// </summary>
    /// <param name="inputs">Rows of InputSize features.</param>
    /// <param name="targets">One row of OutputSize targets per input row.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or there are no rows.</exception>
    T TrainBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets);

    /// <summary>
    /// As <see cref="TrainBatch(ReadOnlySpan{T}, ReadOnlySpan{T})"/>, with class indices instead of one-hot rows
    /// (for a single sigmoid output, the label 0 or 1 is the target).
    /// </summary>
    /// <param name="inputs">Rows of InputSize features.</param>
    /// <param name="labels">One class index per input row: 0 to OutputSize - 1 (0 or 1 for a single output).</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or there are no rows.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside its range.</exception>
    T TrainBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels);

    /// <summary>
    /// As <see cref="TrainBatch(ReadOnlySpan{T}, ReadOnlySpan{T})"/>, with one weight per row: the loss and its gradient
    /// are the weighted mean Σ wᵢ Lᵢ / Σ wᵢ (PyTorch's weighted <c>CrossEntropyLoss</c> divides by the weights' sum the
    /// same way). Each weight must be finite and ≥ 0, and their sum above 0.
    /// </summary>
    T TrainBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, ReadOnlySpan<T> sampleWeights);

    /// <summary>As <see cref="TrainBatch(ReadOnlySpan{T}, ReadOnlySpan{int})"/>, with one weight per row (see <see cref="TrainBatch(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T})"/>).</summary>
    T TrainBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels, ReadOnlySpan<T> sampleWeights);

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

    /// <summary>
    /// The optimizer's per-parameter state, live: its torch.optim buffers one after another, each ParameterCount values
    /// in the layout of <see cref="INeuralNetwork{T}.Parameters"/>. Adam and AdamW: <c>exp_avg</c> (m), then
    /// <c>exp_avg_sq</c> (v); RMSprop: <c>square_avg</c>, then <c>momentum_buffer</c> with momentum; SGD:
    /// <c>momentum_buffer</c> with momentum, else empty. <see cref="Checkpoint"/> saves and restores it with
    /// <see cref="OptimizerStep"/>, so that training resumes exactly where it stopped.
    /// </summary>
    Span<T> OptimizerState { get; }

    /// <summary>The optimizer steps taken since construction, <c>Initialize</c> or <see cref="ResetOptimizer"/> (Adam's t, PyTorch's <c>state['step']</c>). Not negative.</summary>
    int OptimizerStep { get; set; }

    /// <summary>
    /// Clip the gradient before each optimizer step so that its L2 norm over all parameters is at most this value, as
    /// PyTorch's <c>clip_grad_norm_</c> between <c>backward()</c> and <c>step()</c> (<see cref="Optimizers.ClipGradientNorm{T}"/>).
    /// 0 (the default) does not clip; <see cref="Trainer.Fit{T}"/> sets it from <see cref="TrainingOptions.ClipGradientNorm"/>
    /// for the run and puts the old value back.
    /// </summary>
    double ClipGradientNorm { get; set; }

    /// <summary>The random stream of the dropout masks (unused by networks without dropout); checkpoints save it so that a resumed run draws the same masks.</summary>
    SeededRandom DropoutRandom { get; set; }
}
