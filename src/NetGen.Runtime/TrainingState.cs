using System;
using System.ComponentModel;
using System.Numerics;

namespace NetGen;

/// <summary>
/// Backpropagation over a checked batch, as a generated network's kernels write it: writes the sum of every row's
/// gradient (scaled by <paramref name="scale"/>, times the row's weight when <paramref name="weights"/> is not empty)
/// into <paramref name="state"/>'s gradient, whatever it held before, and returns the sum of the rows' weighted
/// losses. Dropout layers drop values only while <paramref name="dropout"/> is true. Not meant to be used directly.
/// </summary>
/// <typeparam name="T">The network's scalar type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate double Backpropagation<T>(T[] packed, T[] parameters, TrainingState<T> state, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets,
    ReadOnlySpan<int> labels, ReadOnlySpan<T> weights, int rows, T scale, bool dropout)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// The training state of a generated network, behind its <see cref="ITrainableNetwork{T}"/> members: the gradient of
/// the last batch, the optimizer with its buffers and step, the learning rate, gradient clipping, the dropout stream and
/// backpropagation's scratch (with the second half's buffers of a split batch); and the batch methods themselves
/// (check, backpropagate through the network's kernels, step). Written once here instead of in every generated file
/// (docs/architecture.md); the setters refuse what <see cref="NetworkGuard"/> refuses. Not meant to be used directly.
/// </summary>
/// <typeparam name="T">The network's scalar type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class TrainingState<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _inputSize, _outputSize, _scratchLength;
    private readonly bool _meanOverOutputs;
    private readonly OptimizerSettings<T> _optimizer;
    private readonly Backpropagation<T> _backpropagate;
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
    /// that the split allocates them on the first such batch that needs them (null until then; networks with dropout
    /// never split, and one thread adds the second chunk of one-tile chunks into <see cref="Gradients"/> directly).
    /// </summary>
    public T[]? SplitGradients, SplitScratch;

    /// <summary>
    /// State for a network of <paramref name="parameterCount"/> parameters, <paramref name="inputSize"/> features and
    /// <paramref name="outputSize"/> outputs: the gradient, <paramref name="optimizerBuffers"/> blocks of the
    /// optimizer's state (allocated now), and a scratch buffer of <paramref name="scratchLength"/> values (on first
    /// use) for <paramref name="backpropagate"/>. The loss is the mean over the rows, or with
    /// <paramref name="meanOverOutputs"/> over the rows and outputs.
    /// </summary>
    public TrainingState(int parameterCount, int inputSize, int outputSize, T learningRate, OptimizerSettings<T> optimizer, int optimizerBuffers,
        Backpropagation<T> backpropagate, int scratchLength, bool meanOverOutputs)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(backpropagate);
        Gradients = new T[parameterCount];
        OptimizerState = optimizerBuffers == 0 ? Array.Empty<T>() : new T[checked(optimizerBuffers * parameterCount)];
        _learningRate = learningRate; // as declared: the attribute's value is not checked again here
        (_inputSize, _outputSize, _scratchLength, _meanOverOutputs) = (inputSize, outputSize, scratchLength, meanOverOutputs);
        (_optimizer, _backpropagate) = (optimizer, backpropagate);
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

    /// <summary>See <see cref="ITrainableNetwork{T}.ComputeGradients"/>: the network's parameters, its packed copy, and the batch.</summary>
    public T ComputeGradients(T[] parameters, PackedCopy<T> packed, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradients)
    {
        int rows = NetworkGuard.ComputeGradients(inputs, targets, gradients, _inputSize, _outputSize, Gradients.Length);
        T loss = Backpropagate(parameters, packed, inputs, targets, default, default, rows, rows, dropout: false);
        Gradients.CopyTo(gradients);
        return loss;
    }

    /// <summary>See <see cref="ITrainableNetwork{T}.TrainBatch(ReadOnlySpan{T}, ReadOnlySpan{T})"/>: the network's parameters, its packed copy, and the batch.</summary>
    public T TrainBatch(T[] parameters, PackedCopy<T> packed, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets)
    {
        int rows = NetworkGuard.TrainBatch(inputs, targets, _inputSize, _outputSize);
        return Train(parameters, packed, inputs, targets, default, default, rows, rows);
    }

    /// <summary>See <see cref="ITrainableNetwork{T}.TrainBatch(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T})"/>.</summary>
    public T TrainBatch(T[] parameters, PackedCopy<T> packed, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, ReadOnlySpan<T> sampleWeights)
    {
        int rows = NetworkGuard.TrainBatch(inputs, targets, _inputSize, _outputSize);
        double weightSum = NetworkGuard.SampleWeights(sampleWeights, rows, nameof(sampleWeights));
        return Train(parameters, packed, inputs, targets, default, sampleWeights, weightSum, rows);
    }

    /// <summary>See <see cref="ITrainableNetwork{T}.TrainBatch(ReadOnlySpan{T}, ReadOnlySpan{int})"/>.</summary>
    public T TrainBatch(T[] parameters, PackedCopy<T> packed, ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels)
    {
        int rows = NetworkGuard.TrainBatch(inputs, labels, _inputSize, _outputSize);
        return Train(parameters, packed, inputs, default, labels, default, rows, rows);
    }

    /// <summary>See <see cref="ITrainableNetwork{T}.TrainBatch(ReadOnlySpan{T}, ReadOnlySpan{int}, ReadOnlySpan{T})"/>.</summary>
    public T TrainBatch(T[] parameters, PackedCopy<T> packed, ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels, ReadOnlySpan<T> sampleWeights)
    {
        int rows = NetworkGuard.TrainBatch(inputs, labels, _inputSize, _outputSize);
        double weightSum = NetworkGuard.SampleWeights(sampleWeights, rows, nameof(sampleWeights));
        return Train(parameters, packed, inputs, default, labels, sampleWeights, weightSum, rows);
    }

    /// <summary>A checked batch: backpropagate with dropout, then one optimizer step. Returns the mean loss.</summary>
    private T Train(T[] parameters, PackedCopy<T> packed, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, ReadOnlySpan<int> labels, ReadOnlySpan<T> weights, double count, int rows)
    {
        T loss = Backpropagate(parameters, packed, inputs, targets, labels, weights, count, rows, dropout: true);
        StepOptimizer(parameters, packed);
        return loss;
    }

    /// <summary>
    /// Puts the gradient of the mean loss into <see cref="Gradients"/> and returns the mean loss. Without weights each
    /// row counts 1 and <paramref name="count"/> is the row count; with weights each row counts its weight and
    /// <paramref name="count"/> is their sum.
    /// </summary>
    private T Backpropagate(T[] parameters, PackedCopy<T> packed, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, ReadOnlySpan<int> labels, ReadOnlySpan<T> weights, double count, int rows, bool dropout)
    {
        // The generated backpropagation writes every value of Gradients: it clears them first, or its first one-tile chunk
        // stores its sums over them (Numerics.TrainingSplit).
        T scale = T.One / T.CreateTruncating(_meanOverOutputs ? count * _outputSize : count);

        // Training's forward reads the packed copy: pack the parameters as they are now (an optimizer step has moved the
        // version already; this also catches writes through a span taken from Parameters earlier).
        packed.Invalidate();
        double total = _backpropagate(packed.Get(parameters), parameters, this, inputs, targets, labels, weights, rows, scale, dropout);
        return T.CreateTruncating(total * double.CreateTruncating(scale));
    }

    /// <summary>One optimizer step: counts it, clips <see cref="Gradients"/> to <see cref="ClipGradientNorm"/> if set, then updates the parameters.</summary>
    private void StepOptimizer(T[] parameters, PackedCopy<T> packed)
    {
        _step++;
        if (_clipGradientNorm > 0)
        {
            Optimizers.ClipGradientNorm<T>(Gradients, _clipGradientNorm);
        }

        packed.Invalidate(); // the parameters change: repack before the next prediction
        _optimizer.Step(parameters, Gradients, OptimizerState, _learningRate, _step);
    }
}
