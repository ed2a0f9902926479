using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace NetGen;

/// <summary>
/// Classification scores from a confusion matrix, as scikit-learn's <c>precision_recall_fscore_support</c> and
/// <c>confusion_matrix</c> compute them. A ratio whose denominator is 0 (a class never predicted, or absent) is 0, as
/// scikit-learn's <c>zero_division=0</c>.
/// </summary>
public sealed class ClassificationMetrics
{
    private readonly int[,] _confusion;

    internal ClassificationMetrics(int[,] confusion)
    {
        _confusion = confusion;
        Classes = confusion.GetLength(0);
        var precision = new double[Classes];
        var recall = new double[Classes];
        var f1 = new double[Classes];
        var support = new int[Classes];
        int correct = 0, total = 0;
        for (int c = 0; c < Classes; c++)
        {
            int predicted = 0, actual = 0;
            for (int k = 0; k < Classes; k++)
            {
                predicted += confusion[k, c];
                actual += confusion[c, k];
            }

            int tp = confusion[c, c];
            correct += tp;
            total += actual;
            support[c] = actual;
            precision[c] = predicted == 0 ? 0 : tp / (double)predicted;
            recall[c] = actual == 0 ? 0 : tp / (double)actual;
            f1[c] = predicted + actual == 0 ? 0 : 2.0 * tp / (predicted + actual);
        }

        Precision = precision;
        Recall = recall;
        F1 = f1;
        Support = support;
        Accuracy = total == 0 ? 0 : correct / (double)total;
        MacroPrecision = Mean(precision);
        MacroRecall = Mean(recall);
        MacroF1 = Mean(f1);
    }

    /// <summary>The number of classes (2 for a single sigmoid or tanh output).</summary>
    public int Classes { get; }

    /// <summary>How many rows of class <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
    public int this[int actual, int predicted] => _confusion[actual, predicted];

    /// <summary>A copy of the confusion matrix: rows are true classes, columns predicted classes.</summary>
    public int[,] ConfusionMatrix => (int[,])_confusion.Clone();

    /// <summary>Per class: true positives / predicted positives.</summary>
    public IReadOnlyList<double> Precision { get; }

    /// <summary>Per class: true positives / actual positives.</summary>
    public IReadOnlyList<double> Recall { get; }

    /// <summary>Per class: the harmonic mean of precision and recall, 2 TP / (predicted + actual).</summary>
    public IReadOnlyList<double> F1 { get; }

    /// <summary>Per class: the number of rows of that class.</summary>
    public IReadOnlyList<int> Support { get; }

    /// <summary>The fraction of rows on the diagonal.</summary>
    public double Accuracy { get; }

    /// <summary>The unweighted mean of the per-class precisions (scikit-learn <c>average='macro'</c>).</summary>
    public double MacroPrecision { get; }

    /// <summary>The unweighted mean of the per-class recalls.</summary>
    public double MacroRecall { get; }

    /// <summary>The unweighted mean of the per-class F1 scores.</summary>
    public double MacroF1 { get; }

    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"accuracy {Accuracy:P2}, macro F1 {MacroF1:F4}").AppendLine();
        for (int c = 0; c < Classes; c++)
        {
            text.Append(CultureInfo.InvariantCulture, $"class {c}: precision {Precision[c]:F4}, recall {Recall[c]:F4}, F1 {F1[c]:F4}, support {Support[c]}").AppendLine();
        }

        return text.ToString();
    }

    private static double Mean(double[] values)
    {
        double sum = 0;
        foreach (double v in values)
        {
            sum += v;
        }

        return values.Length == 0 ? 0 : sum / values.Length;
    }
}

/// <summary>
/// Regression errors over every output value, as scikit-learn's <c>mean_squared_error</c> (square-rooted),
/// <c>mean_absolute_error</c> and <c>r2_score</c> (<c>multioutput='uniform_average'</c>) compute them.
/// </summary>
/// <param name="Rmse">√(mean of (y - t)²) over all rows and outputs.</param>
/// <param name="Mae">The mean of |y - t| over all rows and outputs.</param>
/// <param name="R2">1 - Σ(y - t)² / Σ(t - mean t)² per output, averaged over outputs; an output whose targets are all equal scores 1 when predicted exactly, else 0 (scikit-learn's <c>force_finite</c>).</param>
public sealed record RegressionMetrics(double Rmse, double Mae, double R2);

/// <summary>Classification and regression metrics from predictions and truths, for epoch reports and your own evaluation.</summary>
public static class Metrics
{
    /// <summary>The confusion matrix and the per-class and macro scores of <paramref name="predicted"/> against <paramref name="actual"/>.</summary>
    /// <exception cref="ArgumentException">The spans differ in length, or a class is outside [0, classes).</exception>
    public static ClassificationMetrics Classification(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        if (actual.Length != predicted.Length)
        {
            throw new ArgumentException($"predicted.Length is {predicted.Length}, but actual.Length is {actual.Length}.", nameof(predicted));
        }

        var confusion = new int[classes, classes];
        for (int i = 0; i < actual.Length; i++)
        {
            if ((uint)actual[i] >= (uint)classes || (uint)predicted[i] >= (uint)classes)
            {
                throw new ArgumentException($"Row {i} has class {actual[i]} predicted as {predicted[i]}; classes run from 0 to {classes - 1}.", nameof(actual));
            }

            confusion[actual[i], predicted[i]]++;
        }

        return new ClassificationMetrics(confusion);
    }

    /// <summary>RMSE, MAE and R² of <paramref name="outputs"/> against <paramref name="targets"/>, rows of <paramref name="outputSize"/> values.</summary>
    /// <exception cref="ArgumentException">The spans differ in length or do not hold whole rows.</exception>
    public static RegressionMetrics Regression<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, int outputSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outputSize, 1);
        if (outputs.Length != targets.Length || outputs.Length % outputSize != 0 || outputs.Length == 0)
        {
            throw new ArgumentException($"outputs.Length {outputs.Length} and targets.Length {targets.Length} must be equal, non-zero multiples of {outputSize}.", nameof(targets));
        }

        var accumulator = new RegressionAccumulator(outputSize);
        for (int row = 0; row < outputs.Length / outputSize; row++)
        {
            accumulator.Add(outputs.Slice(row * outputSize, outputSize), targets.Slice(row * outputSize, outputSize));
        }

        return accumulator.Result();
    }
}

/// <summary>Streams rows into RMSE, MAE and R² (Welford's running mean and sum of squares per output).</summary>
internal sealed class RegressionAccumulator(int outputs)
{
    private readonly double[] _mean = new double[outputs];
    private readonly double[] _squares = new double[outputs];
    private readonly double[] _residual = new double[outputs];
    private double _absolute;
    private long _rows;

    public void Add<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> t) where T : unmanaged, IFloatingPointIeee754<T>
    {
        _rows++;
        for (int k = 0; k < _mean.Length; k++)
        {
            double target = double.CreateChecked(t[k]), error = double.CreateChecked(y[k]) - target;
            _residual[k] += error * error;
            _absolute += Math.Abs(error);
            double delta = target - _mean[k];
            _mean[k] += delta / _rows;
            _squares[k] += delta * (target - _mean[k]);
        }
    }

    public RegressionMetrics Result()
    {
        double residual = 0, r2 = 0;
        for (int k = 0; k < _mean.Length; k++)
        {
            residual += _residual[k];
            r2 += _squares[k] > 0 ? 1 - (_residual[k] / _squares[k]) : _residual[k] == 0 ? 1 : 0;
        }

        double values = (double)_rows * _mean.Length;
        return new RegressionMetrics(Math.Sqrt(residual / values), _absolute / values, r2 / _mean.Length);
    }
}
