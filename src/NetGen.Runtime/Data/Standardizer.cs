using System;
using System.Numerics;

namespace NetGen;

/// <summary>
/// Scales each feature to mean 0 and standard deviation 1, with the statistics of the training rows only (so that no
/// information leaks from validation or test rows). A constant feature is only centred.
/// </summary>
public sealed class Standardizer
{
    private Standardizer(double[] means, double[] deviations)
    {
        Means = means;
        Deviations = deviations;
    }

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
    public void Transform<T>(Span<T> features) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = Means.Length;
        if (features.Length % n != 0)
        {
            throw new ArgumentException($"features.Length {features.Length} is not a whole number of rows of {n}.", nameof(features));
        }

        for (int i = 0; i < features.Length; i++)
        {
            int c = i % n;
            features[i] = T.CreateChecked((double.CreateChecked(features[i]) - Means[c]) / Deviations[c]);
        }
    }
}
