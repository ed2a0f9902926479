using System;
using System.Numerics;

namespace NetGen;

/// <summary>
/// Rows of features with their targets, stored row-major: what <see cref="Trainer"/> trains on and
/// <see cref="Trainer.Evaluate{T}(INeuralNetwork{T}, Dataset{T})"/> scores. Classification data also carries the class
/// label of each row.
/// </summary>
/// <typeparam name="T">float or double, as the network computes.</typeparam>
public sealed class Dataset<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _features;
    private readonly T[] _targets;
    private readonly int[]? _labels;
    private T[]? _sampleWeights;

    /// <summary>Creates a dataset from row-major features and targets (and optionally one class label per row).</summary>
    /// <exception cref="ArgumentException">The arrays do not hold the same number of whole rows.</exception>
    public Dataset(T[] features, int inputSize, T[] targets, int targetSize, int[]? labels = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetSize, 1);
        if (features.Length % inputSize != 0)
        {
            throw new ArgumentException($"features.Length {features.Length} is not a whole number of rows of {inputSize}.", nameof(features));
        }

        int rows = features.Length / inputSize;
        if (targets.Length != rows * targetSize)
        {
            throw new ArgumentException($"{rows} rows need {rows * targetSize} targets ({targetSize} per row); got {targets.Length}.", nameof(targets));
        }

        if (labels is not null && labels.Length != rows)
        {
            throw new ArgumentException($"{rows} rows need {rows} labels; got {labels.Length}.", nameof(labels));
        }

        _features = features;
        _targets = targets;
        _labels = labels;
        Rows = rows;
        InputSize = inputSize;
        TargetSize = targetSize;
    }

    /// <summary>
    /// A classification dataset from class labels. With <paramref name="classes"/> = 2 and <paramref name="oneHot"/>
    /// false the target is the label itself (for one sigmoid output); otherwise it is the one-hot row.
    /// </summary>
    public static Dataset<T> FromLabels(T[] features, int inputSize, int[] labels, int classes, bool oneHot = true)
    {
        ArgumentNullException.ThrowIfNull(labels);
        bool single = !oneHot && classes == 2;
        T[] targets = single ? OneHot.AsTargets<T>(labels, classes) : OneHot.Encode<T>(labels, classes);
        return new Dataset<T>(features, inputSize, targets, single ? 1 : classes, labels);
    }

    /// <summary>The number of rows.</summary>
    public int Rows { get; }

    /// <summary>Features per row.</summary>
    public int InputSize { get; }

    /// <summary>Targets per row.</summary>
    public int TargetSize { get; }

    /// <summary>All features, row after row.</summary>
    public ReadOnlySpan<T> Features => _features;

    /// <summary>All targets, row after row.</summary>
    public ReadOnlySpan<T> Targets => _targets;

    /// <summary>Whether each row has a class label.</summary>
    public bool HasLabels => _labels is not null;

    /// <summary>The class labels (empty when <see cref="HasLabels"/> is false).</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>Whether each row has a sample weight (see <see cref="WithSampleWeights"/>).</summary>
    public bool HasSampleWeights => _sampleWeights is not null;

    /// <summary>One weight per row (empty when <see cref="HasSampleWeights"/> is false).</summary>
    public ReadOnlySpan<T> SampleWeights => _sampleWeights;

    /// <summary>
    /// The same rows (sharing their arrays) with one weight per row, Keras's <c>sample_weight</c>: <see cref="Trainer.Fit{T}"/>
    /// then trains on the weighted mean loss Σ wᵢ Lᵢ / Σ wᵢ of each batch (times <see cref="TrainingOptions.ClassWeights"/>
    /// when given). Splits and <see cref="Select"/> keep each row's weight.
    /// </summary>
    /// <param name="weights">One finite weight ≥ 0 per row.</param>
    /// <exception cref="ArgumentException">The count is not one per row, or a weight is negative, NaN or infinite.</exception>
    public Dataset<T> WithSampleWeights(T[] weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Length != Rows)
        {
            throw new ArgumentException($"{Rows} rows need {Rows} sample weights; got {weights.Length}.", nameof(weights));
        }

        for (int i = 0; i < weights.Length; i++)
        {
            if (!(weights[i] >= T.Zero) || T.IsPositiveInfinity(weights[i]))
            {
                throw new ArgumentException($"The sample weight of row {i} is {weights[i]}; weights must be finite and ≥ 0.", nameof(weights));
            }
        }

        return new Dataset<T>(_features, InputSize, _targets, TargetSize, _labels) { _sampleWeights = weights };
    }

    /// <summary>The features of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<T> Row(int row) => _features.AsSpan(row * InputSize, InputSize);

    /// <summary>The targets of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<T> TargetRow(int row) => _targets.AsSpan(row * TargetSize, TargetSize);

    /// <summary>The features as a writable span, for in-place transforms such as <see cref="Standardizer.Transform{T}(Dataset{T})"/>.</summary>
    public Span<T> MutableFeatures => _features;

    /// <summary>A new dataset of the given rows, in the given order (rows are copied).</summary>
    public Dataset<T> Select(ReadOnlySpan<int> rows)
    {
        var features = new T[rows.Length * InputSize];
        var targets = new T[rows.Length * TargetSize];
        int[]? labels = _labels is null ? null : new int[rows.Length];
        T[]? weights = _sampleWeights is null ? null : new T[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            int row = rows[i];
            if ((uint)row >= (uint)Rows)
            {
                throw new ArgumentOutOfRangeException(nameof(rows), row, $"Row {row} is outside the dataset's {Rows} rows.");
            }

            Row(row).CopyTo(features.AsSpan(i * InputSize));
            TargetRow(row).CopyTo(targets.AsSpan(i * TargetSize));
            if (labels is not null)
            {
                labels[i] = _labels![row];
            }

            if (weights is not null)
            {
                weights[i] = _sampleWeights![row];
            }
        }

        return new Dataset<T>(features, InputSize, targets, TargetSize, labels) { _sampleWeights = weights };
    }

    /// <inheritdoc />
    public override string ToString() => $"{Rows} rows x {InputSize} features -> {TargetSize} targets{(HasLabels ? ", labelled" : "")}{(HasSampleWeights ? ", weighted" : "")}";
}
