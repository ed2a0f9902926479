using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>What happened in one epoch: reported through <see cref="IProgress{T}"/> and kept in <see cref="TrainingResult.History"/>.</summary>
public sealed class EpochReport
{
    internal EpochReport(int epoch, double trainLoss, Evaluation training, Evaluation? validation, double learningRate,
        double seconds, IReadOnlyList<double> gradientNorms, IReadOnlyList<int> gradientLayers, IReadOnlyList<TrainingWarning> warnings)
    {
        Epoch = epoch;
        TrainLoss = trainLoss;
        Training = training;
        Validation = validation;
        LearningRate = learningRate;
        Seconds = seconds;
        GradientNorms = gradientNorms;
        GradientLayers = gradientLayers;
        Warnings = warnings;
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal) { ["loss"] = trainLoss, ["lr"] = learningRate };
        AddMetrics(metrics, "", training);
        if (validation is not null)
        {
            metrics["val_loss"] = validation.Loss;
            AddMetrics(metrics, "val_", validation);
        }

        Metrics = metrics;
    }

    /// <summary>The epoch number, from 1.</summary>
    public int Epoch { get; }

    /// <summary>The mean loss of the epoch's batches (with dropout active), weighted by rows (or by the rows' class and sample weights): Keras's <c>loss</c>.</summary>
    public double TrainLoss { get; }

    /// <summary>The training accuracy after the epoch (no dropout), for classification networks; otherwise null.</summary>
    public double? TrainAccuracy => Training.Accuracy;

    /// <summary>The validation loss after the epoch, when there is validation data.</summary>
    public double? ValidationLoss => Validation?.Loss;

    /// <summary>The validation accuracy after the epoch, for classification networks with validation data.</summary>
    public double? ValidationAccuracy => Validation?.Accuracy;

    /// <summary>
    /// The training rows scored after the epoch (no dropout), with the confusion matrix or the regression errors: all
    /// rows, or a fixed sample of <see cref="TrainingOptions.TrainingEvaluationRows"/> of them.
    /// </summary>
    public Evaluation Training { get; }

    /// <summary>The validation rows scored after the epoch, or null without validation data.</summary>
    public Evaluation? Validation { get; }

    /// <summary>The learning rate of this epoch's steps.</summary>
    public double LearningRate { get; }

    /// <summary>
    /// The epoch's numbers by Keras-style name, what <see cref="TrainingOptions.Monitor"/> chooses from: <c>loss</c>,
    /// <c>lr</c>; for classification <c>accuracy</c>, <c>precision</c>, <c>recall</c>, <c>f1</c> (macro averages);
    /// for regression <c>rmse</c>, <c>mae</c>, <c>r2</c>; each again with a <c>val_</c> prefix (and <c>val_loss</c>)
    /// when there is validation data. The unprefixed scores are measured on the training rows after the epoch.
    /// </summary>
    public IReadOnlyDictionary<string, double> Metrics { get; }

    /// <summary>Wall-clock seconds the epoch took, including evaluation and health checks.</summary>
    public double Seconds { get; }

    /// <summary>Each dense layer's gradient L2 norm (weights and bias, as the optimizer step used it: after clipping when <see cref="TrainingOptions.ClipGradientNorm"/> is set), averaged over the epoch's batches, first layer first.</summary>
    public IReadOnlyList<double> GradientNorms { get; }

    /// <summary>The layer numbers (1-based, as in the layer table) that <see cref="GradientNorms"/> belong to.</summary>
    public IReadOnlyList<int> GradientLayers { get; }

    /// <summary>Training-health findings of this epoch.</summary>
    public IReadOnlyList<TrainingWarning> Warnings { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"epoch {Epoch}: loss {TrainLoss:G4}" + (TrainAccuracy is { } a ? $", accuracy {a:P1}" : "") +
        (ValidationLoss is { } vl ? $", validation loss {vl:G4}" : "") + (ValidationAccuracy is { } va ? $", validation accuracy {va:P1}" : "") +
        $" ({Seconds:F2} s)";

    private static void AddMetrics(Dictionary<string, double> metrics, string prefix, Evaluation evaluation)
    {
        if (evaluation.Classification is { } c)
        {
            metrics[prefix + "accuracy"] = c.Accuracy;
            metrics[prefix + "precision"] = c.MacroPrecision;
            metrics[prefix + "recall"] = c.MacroRecall;
            metrics[prefix + "f1"] = c.MacroF1;
        }

        if (evaluation.Regression is { } r)
        {
            metrics[prefix + "rmse"] = r.Rmse;
            metrics[prefix + "mae"] = r.Mae;
            metrics[prefix + "r2"] = r.R2;
        }
    }
}
