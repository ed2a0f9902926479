using System;
using System.Collections.Generic;
using System.Numerics;

namespace NetGen;

/// <summary>The scores of k-fold cross-validation: the mean and spread over folds, and each fold's result.</summary>
/// <param name="MeanLoss">The mean of the folds' validation losses.</param>
/// <param name="LossStandardDeviation">Their (population) standard deviation.</param>
/// <param name="MeanAccuracy">The mean validation accuracy, for classification networks.</param>
/// <param name="Folds">Each fold's validation score.</param>
public sealed record CrossValidationResult(double MeanLoss, double LossStandardDeviation, double? MeanAccuracy, IReadOnlyList<Evaluation> Folds);

/// <summary>k-fold cross-validation, for choosing hyper-parameters (a dropout rate, a width, a learning rate) on the training data alone.</summary>
public static class CrossValidation
{
    /// <summary>
    /// Splits the rows, in a seeded order, into <paramref name="k"/> folds of near-equal size and yields each fold as the
    /// validation part with the other folds as the training part. Every row is validated exactly once.
    /// </summary>
    public static IEnumerable<(Dataset<T> Train, Dataset<T> Validation)> KFold<T>(Dataset<T> data, int k, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        if (k < 2 || k > data.Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"Use between 2 and {data.Rows} folds.");
        }

        return Folds(data, k, DataSplit.ShuffledRows(data.Rows, seed));
    }

    /// <summary>
    /// Trains a fresh network from <paramref name="createNetwork"/> on each training part and scores it on its fold.
    /// </summary>
    public static CrossValidationResult Evaluate<T>(Func<ITrainableNetwork<T>> createNetwork, Dataset<T> data, int k, TrainingOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(createNetwork);
        var folds = new List<Evaluation>();
        foreach ((Dataset<T> train, Dataset<T> validation) in KFold(data, k, options.Seed))
        {
            ITrainableNetwork<T> network = createNetwork();
            Trainer.Fit(network, train, options);
            folds.Add(Trainer.Evaluate(network, validation));
        }

        double mean = 0, accuracy = 0;
        foreach (Evaluation fold in folds)
        {
            mean += fold.Loss / folds.Count;
            accuracy += (fold.Accuracy ?? 0) / folds.Count;
        }

        double variance = 0;
        foreach (Evaluation fold in folds)
        {
            variance += (fold.Loss - mean) * (fold.Loss - mean) / folds.Count;
        }

        return new CrossValidationResult(mean, Math.Sqrt(variance), folds[0].Accuracy is null ? null : accuracy, folds);
    }

    private static IEnumerable<(Dataset<T>, Dataset<T>)> Folds<T>(Dataset<T> data, int k, int[] order)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int fold = 0; fold < k; fold++)
        {
            int start = (int)((long)fold * data.Rows / k), end = (int)((long)(fold + 1) * data.Rows / k);
            var validation = order.AsSpan(start, end - start).ToArray();
            var train = new int[data.Rows - validation.Length];
            order.AsSpan(0, start).CopyTo(train);
            order.AsSpan(end).CopyTo(train.AsSpan(start));
            yield return (data.Select(train), data.Select(validation));
        }
    }
}
