using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>What happened in one epoch: reported through <see cref="IProgress{T}"/> and kept in <see cref="TrainingResult.History"/>.</summary>
public sealed class EpochReport
{
    internal EpochReport(int epoch, double trainLoss, double? trainAccuracy, double? validationLoss, double? validationAccuracy,
        double seconds, IReadOnlyList<double> gradientNorms, IReadOnlyList<int> gradientLayers, IReadOnlyList<TrainingWarning> warnings)
    {
        Epoch = epoch;
        TrainLoss = trainLoss;
        TrainAccuracy = trainAccuracy;
        ValidationLoss = validationLoss;
        ValidationAccuracy = validationAccuracy;
        Seconds = seconds;
        GradientNorms = gradientNorms;
        GradientLayers = gradientLayers;
        Warnings = warnings;
    }

    /// <summary>The epoch number, from 1.</summary>
    public int Epoch { get; }

    /// <summary>The mean loss of the epoch's batches (with dropout active), weighted by rows.</summary>
    public double TrainLoss { get; }

    /// <summary>The training accuracy after the epoch (no dropout), for classification networks; otherwise null.</summary>
    public double? TrainAccuracy { get; }

    /// <summary>The validation loss after the epoch, when there is validation data.</summary>
    public double? ValidationLoss { get; }

    /// <summary>The validation accuracy after the epoch, for classification networks with validation data.</summary>
    public double? ValidationAccuracy { get; }

    /// <summary>Wall-clock seconds the epoch took, including evaluation and health checks.</summary>
    public double Seconds { get; }

    /// <summary>Each dense layer's gradient L2 norm (weights and bias), averaged over the epoch's batches, first layer first.</summary>
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
}
