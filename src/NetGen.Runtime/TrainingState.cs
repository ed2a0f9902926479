using System;
using System.ComponentModel;
using System.Numerics;

namespace NetGen;

/// <summary>
/// The training state of a generated network, behind its <see cref="ITrainableNetwork{T}"/> members: the gradient of
/// the last batch, the optimizer's buffers and step, the learning rate, gradient clipping, the dropout stream and
/// backpropagation's scratch (with the second half's buffers of a split batch). Written once here instead of in every
/// generated file (docs/architecture.md); the setters refuse what <see cref="NetworkGuard"/> refuses. Not meant to be
/// used directly.
/// </summary>
/// <typeparam name="T">The network's scalar type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class TrainingState<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _scratchLength;
    private T[]? _scratch;
    private T _learningRate;
    private int _step;
    private double _clipGradientNorm;

    /// <summary>
    /// The dropout stream, a field so that backpropagation advances it in place. Networks without dropout keep it too,
    /// so that every trainable network saves the same state.
    /// </summary>
    public SeededRandom DropoutRandom;

    /// <summary>
    /// The second half's gradient and scratch of a batch that <see cref="Numerics.TrainingSplit"/> cuts in two, fields so
    /// that the split allocates them on the first such batch (null until then; networks with dropout never split).
    /// </summary>
    public T[]? SplitGradients, SplitScratch;

    /// <summary>
    /// State for <paramref name="parameterCount"/> parameters: the gradient, <paramref name="optimizerBuffers"/> blocks of
    /// optimizer state (allocated now), and a scratch buffer of <paramref name="scratchLength"/> values (on first use).
    /// </summary>
    public TrainingState(int parameterCount, int optimizerBuffers, T learningRate, int scratchLength)
    {
        Gradients = new T[parameterCount];
        OptimizerState = optimizerBuffers == 0 ? Array.Empty<T>() : new T[checked(optimizerBuffers * parameterCount)];
        _learningRate = learningRate; // as declared: the attribute's value is not checked again here
        _scratchLength = scratchLength;
    }

    /// <summary>The gradient of the mean loss of the last batch, one value per parameter.</summary>
    public T[] Gradients { get; }

    /// <summary>The optimizer's buffers, one block of the parameter count each (empty when it keeps none).</summary>
    public T[] OptimizerState { get; }

    /// <summary>See <see cref="ITrainableNetwork{T}.LearningRate"/>.</summary>
    public T LearningRate
    {
        get => _learningRate;
        set => _learningRate = NetworkGuard.LearningRate(value);
    }

    /// <summary>See <see cref="ITrainableNetwork{T}.OptimizerStep"/>: the optimizer steps taken so far.</summary>
    public int Step
    {
        get => _step;
        set => _step = NetworkGuard.OptimizerStep(value);
    }

    /// <summary>See <see cref="ITrainableNetwork{T}.ClipGradientNorm"/>.</summary>
    public double ClipGradientNorm
    {
        get => _clipGradientNorm;
        set => _clipGradientNorm = NetworkGuard.ClipGradientNorm(value);
    }

    /// <summary>Backpropagation's scratch, allocated on the first batch (training is single-threaded per network).</summary>
    public T[] Scratch => _scratch ??= new T[_scratchLength];

    /// <summary>Forgets the optimizer's history: step 0 and zero buffers.</summary>
    public void Reset()
    {
        _step = 0;
        Array.Clear(OptimizerState);
    }

    /// <summary>Counts an optimizer step and clips <see cref="Gradients"/> to <see cref="ClipGradientNorm"/> if set; returns the step's number (1 for the first).</summary>
    public int NextStep()
    {
        _step++;
        if (_clipGradientNorm > 0)
        {
            Optimizers.ClipGradientNorm<T>(Gradients, _clipGradientNorm);
        }

        return _step;
    }
}
