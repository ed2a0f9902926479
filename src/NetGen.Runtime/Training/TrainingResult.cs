using System.Collections.Generic;

namespace NetGen;

/// <summary>Why <see cref="Trainer.Fit{T}"/> stopped.</summary>
public enum StopReason
{
    /// <summary>All <see cref="TrainingOptions.Epochs"/> ran.</summary>
    EpochsCompleted,
    /// <summary>An epoch's training loss reached <see cref="TrainingOptions.TargetLoss"/>.</summary>
    TargetLossReached,
    /// <summary>The monitored metric stopped improving for <see cref="TrainingOptions.EarlyStoppingPatience"/> epochs; with <see cref="TrainingOptions.RestoreBestWeights"/> the best epoch's parameters were restored.</summary>
    EarlyStopping,
    /// <summary>A <see cref="TrainingCallback"/> called <see cref="TrainingControl.StopTraining"/>.</summary>
    StoppedByCallback,
}

/// <summary>The outcome of <see cref="Trainer.Fit{T}"/>.</summary>
/// <param name="Epochs">The number of epochs run.</param>
/// <param name="StopReason">Why training stopped.</param>
/// <param name="History">One report per epoch.</param>
/// <param name="BestEpoch">The epoch with the best monitored metric (see <see cref="Monitor"/>).</param>
/// <param name="BestLoss">That epoch's monitored value (a loss unless <see cref="TrainingOptions.Monitor"/> names another metric).</param>
public sealed record TrainingResult(int Epochs, StopReason StopReason, IReadOnlyList<EpochReport> History, int BestEpoch, double BestLoss)
{
    /// <summary>The metric that was monitored, e.g. <c>"val_loss"</c>.</summary>
    public string Monitor { get; init; } = "loss";

    /// <summary>Whether the parameters at the end are the best epoch's, put back by <see cref="TrainingOptions.RestoreBestWeights"/>.</summary>
    public bool RestoredBestWeights { get; init; }
}
