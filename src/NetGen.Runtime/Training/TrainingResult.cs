using System.Collections.Generic;

namespace NetGen;

/// <summary>Why <see cref="Trainer.Fit{T}"/> stopped.</summary>
public enum StopReason
{
    /// <summary>All <see cref="TrainingOptions.Epochs"/> ran.</summary>
    EpochsCompleted,
    /// <summary>An epoch's training loss reached <see cref="TrainingOptions.TargetLoss"/>.</summary>
    TargetLossReached,
    /// <summary>The monitored loss stopped improving for <see cref="TrainingOptions.EarlyStoppingPatience"/> epochs; the best epoch's parameters were restored.</summary>
    EarlyStopping,
}

/// <summary>The outcome of <see cref="Trainer.Fit{T}"/>.</summary>
/// <param name="Epochs">The number of epochs run.</param>
/// <param name="StopReason">Why training stopped.</param>
/// <param name="History">One report per epoch.</param>
/// <param name="BestEpoch">The epoch with the lowest monitored loss (validation loss, else training loss).</param>
/// <param name="BestLoss">That loss.</param>
public sealed record TrainingResult(int Epochs, StopReason StopReason, IReadOnlyList<EpochReport> History, int BestEpoch, double BestLoss);
