using System;

namespace NetGen;

/// <summary>
/// Thrown by <see cref="Trainer.Fit{T}"/> when a batch's loss, gradient or parameters stop being finite numbers. The
/// network's parameters are those from before that batch, the last good ones, and its optimizer state is reset.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for the given place in training.</summary>
    public TrainingDivergedException(int epoch, int batch, double loss, string what)
        : base($"Training diverged in epoch {epoch}, batch {batch}: {what} (loss {loss}). The parameters from before that batch were kept. " +
               "Lower the learning rate, check the inputs for NaN or very large values, or standardize the features.")
    {
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
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

    /// <summary>The loss that batch returned.</summary>
    public double Loss { get; }
}
