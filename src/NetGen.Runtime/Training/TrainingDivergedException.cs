using System;

namespace NetGen;

/// <summary>
/// Thrown by <see cref="Trainer.Fit{T}"/> when training diverges: a batch's loss, gradient or parameters stop being
/// finite numbers, a batch loss explodes past <see cref="TrainingOptions.DivergenceFactor"/> times the first one, or
/// the loss after an epoch is not finite. The network's parameters are restored to the last snapshot whose loss passed
/// these checks (<see cref="RestoredEpoch"/>, <see cref="RestoredBatch"/>), and its optimizer state is reset.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for the given place in training, with the snapshot the parameters were restored to.</summary>
    public TrainingDivergedException(int epoch, int batch, double loss, string what, int restoredEpoch, int restoredBatch)
        : base($"Training diverged in epoch {epoch}, batch {batch}: {what} (loss {loss:G6}). The parameters were restored to those before " +
               $"epoch {restoredEpoch}, batch {restoredBatch}, the last ones whose loss passed the checks. " +
               "Lower the learning rate, clip the gradient norm (TrainingOptions.ClipGradientNorm), or standardize the features.")
    {
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
        RestoredEpoch = restoredEpoch;
        RestoredBatch = restoredBatch;
    }

    /// <summary>Creates the exception with a message of your own.</summary>
    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The epoch (from 1) whose batch diverged.</summary>
    public int Epoch { get; }

    /// <summary>The batch (from 1) within the epoch.</summary>
    public int Batch { get; }

    /// <summary>The loss that batch returned (or the epoch's loss when the check after the epoch failed).</summary>
    public double Loss { get; }

    /// <summary>The epoch of the batch the restored parameters were taken before.</summary>
    public int RestoredEpoch { get; }

    /// <summary>The batch (within <see cref="RestoredEpoch"/>) the restored parameters were taken before.</summary>
    public int RestoredBatch { get; }
}
