using System;
using System.Numerics;

namespace NetGen;

/// <summary>
/// Scales each feature to mean 0 and standard deviation 1, with the statistics of the training rows only (so that no
/// information leaks from validation or test rows). A constant feature is only centred.
/// </summary>
/// <remarks>
/// A standardizer travels with the weights it was trained with: <see cref="ModelFile.Save{T}(INeuralNetwork{T}, string, Standardizer?)"/>
/// stores it in the model file, <c>[Network(Weights = ..., StandardizeInputs = true)]</c> compiles it into the assembly,
/// and the generated <c>PredictRaw</c> applies it (docs/shipping.md, "Preprocessing travels with the model").
/// </remarks>
public sealed class Standardizer
{
    private Standardizer(double[] means, double[] deviations)
    {
        Means = means;
        Deviations = deviations;
    }

    /// <summary>
    /// A standardizer with known statistics, for example scikit-learn's <c>StandardScaler.mean_</c> and <c>scale_</c>.
    /// The values are copied.
    /// </summary>
    /// <exception cref="ArgumentException">The spans are empty or of different lengths, a mean is not finite, or a
    /// deviation is not finite and positive.</exception>
    public static Standardizer FromStatistics(ReadOnlySpan<double> means, ReadOnlySpan<double> deviations)
    {
        string? problem = Check(means, deviations);
        if (problem is not null)
        {
            throw new ArgumentException(problem, means.Length == deviations.Length && means.Length > 0 ? nameof(deviations) : nameof(means));
        }

        return new Standardizer(means.ToArray(), deviations.ToArray());
    }

    /// <summary>Why the statistics cannot be a standardizer, or null (shared with the model file reader).</summary>
    internal static string? Check(ReadOnlySpan<double> means, ReadOnlySpan<double> deviations)
    {
        if (means.Length == 0 || means.Length != deviations.Length)
        {
            return $"A standardizer needs one mean and one deviation per feature, at least one feature; got {means.Length} means and {deviations.Length} deviations.";
        }

        for (int c = 0; c < means.Length; c++)
        {
            if (!double.IsFinite(means[c]))
            {
                return $"The mean of feature {c} is {means[c]}; means must be finite.";
            }

            if (!double.IsFinite(deviations[c]) || deviations[c] <= 0)
            {
                return $"The deviation of feature {c} is {deviations[c]}; deviations must be finite and positive.";
            }
        }

        return null;
    }

    /// <summary>The number of features (the length of <see cref="Means"/> and <see cref="Deviations"/>).</summary>
    public int FeatureCount => Means.Length;

    /// <summary>Each feature's mean over the fitted rows.</summary>
    public double[] Means { get; }

    /// <summary>Each feature's (population) standard deviation over the fitted rows; 1 for a constant feature.</summary>
    public double[] Deviations { get; }

    /// <summary>Learns the means and deviations of <paramref name="data"/>'s features.</summary>
    public static Standardizer Fit<T>(Dataset<T> data) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        int n = data.InputSize;
        var sum = new double[n];
        var squares = new double[n];
        for (int r = 0; r < data.Rows; r++)
        {
            ReadOnlySpan<T> row = data.Row(r);
            for (int c = 0; c < n; c++)
            {
                double v = double.CreateChecked(row[c]);
                sum[c] += v;
                squares[c] += v * v;
            }
        }

        var means = new double[n];
        var deviations = new double[n];
        for (int c = 0; c < n; c++)
        {
            means[c] = sum[c] / data.Rows;
            double variance = Math.Max((squares[c] / data.Rows) - (means[c] * means[c]), 0);
            deviations[c] = variance > 1e-24 ? Math.Sqrt(variance) : 1;
        }

        return new Standardizer(means, deviations);
    }

    /// <summary>Standardizes <paramref name="data"/>'s features in place.</summary>
    public void Transform<T>(Dataset<T> data) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.InputSize != Means.Length)
        {
            throw new ArgumentException($"The standardizer was fitted on {Means.Length} features; the dataset has {data.InputSize}.", nameof(data));
        }

        Transform(data.MutableFeatures);
    }

    /// <summary>Standardizes row-major <paramref name="features"/> in place.</summary>
    public void Transform<T>(Span<T> features) where T : unmanaged, IFloatingPointIeee754<T> => Transform(features, features);

    /// <summary>
    /// Writes the standardized <paramref name="features"/> (row-major, any number of rows) to <paramref name="destination"/>
    /// without allocating: each value becomes <c>(x - mean) / deviation</c>, computed in double and rounded once to
    /// <typeparamref name="T"/>, exactly as the in-place overload does. The two spans may be the same memory.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths differ or are not a whole number of rows, or the spans overlap at different offsets.</exception>
    public void Transform<T>(ReadOnlySpan<T> features, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = Means.Length;
        if (features.Length % n != 0)
        {
            throw new ArgumentException($"features.Length {features.Length} is not a whole number of rows of {n}.", nameof(features));
        }

        if (destination.Length != features.Length)
        {
            throw new ArgumentException($"destination.Length {destination.Length} differs from features.Length {features.Length}.", nameof(destination));
        }

        if (features.Overlaps(destination, out int offset) && offset != 0)
        {
            throw new ArgumentException("features and destination overlap at different offsets; pass the same span or separate memory.", nameof(destination));
        }

        double[] means = Means, deviations = Deviations;
        for (int i = 0, c = 0; i < features.Length; i++)
        {
            destination[i] = T.CreateChecked((double.CreateChecked(features[i]) - means[c]) / deviations[c]);
            c = c + 1 == n ? 0 : c + 1;
        }
    }
}
