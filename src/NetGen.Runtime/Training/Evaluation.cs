namespace NetGen;

/// <summary>How a network scores on a dataset.</summary>
/// <param name="Loss">The mean loss by the network's own <see cref="NetworkInfo.Loss"/> (NaN for an inference-only network).</param>
/// <param name="Accuracy">The fraction of rows classified right, for classification outputs; otherwise null.</param>
/// <param name="Rows">The number of rows scored.</param>
public sealed record Evaluation(double Loss, double? Accuracy, int Rows)
{
    /// <summary>For classification outputs: the confusion matrix, per-class precision, recall and F1; otherwise null.</summary>
    public ClassificationMetrics? Classification { get; init; }

    /// <summary>For regression networks (a loss of MeanSquaredError, MeanAbsoluteError or Huber and no classification output): RMSE, MAE and R²; otherwise null.</summary>
    public RegressionMetrics? Regression { get; init; }
}
