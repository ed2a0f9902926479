using System;

namespace NetGen;

/// <summary>How <see cref="Trainer.Fit{T}"/> trains: epochs, batches, validation, stopping rules and health thresholds.</summary>
public sealed class TrainingOptions
{
    /// <summary>The most epochs to run. Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Rows per optimizer step. Default 32; the last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Whether to visit the training rows in a new seeded order every epoch. Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>The seed of shuffling and of the validation split. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>The fraction of the training rows held out for validation (taken after a seeded shuffle), or 0. Ignored when <c>Fit</c> is given a validation set.</summary>
    public double ValidationSplit { get; init; }

    /// <summary>Stop when the training loss E of an epoch is at most this ε (the classic "train until E ≤ ε"). Null: no target.</summary>
    public double? TargetLoss { get; init; }

    /// <summary>
    /// Stop after this many epochs without the monitored loss (validation loss, or training loss without validation data)
    /// improving by more than <see cref="MinDelta"/>, and restore the parameters of the best epoch. 0 turns it off.
    /// </summary>
    public int EarlyStoppingPatience { get; init; }

    /// <summary>The least decrease of the monitored loss that counts as an improvement. Default 0.</summary>
    public double MinDelta { get; init; }

    /// <summary>Training rows probed with <c>PredictLayers</c> after each epoch to find dead ReLU units. Default 256; 0 turns the check off.</summary>
    public int DeadUnitSampleRows { get; init; } = 256;

    /// <summary>Vanishing gradients are flagged when the first-layer / last-layer gradient-norm ratio is below this (default 1e-3, AUTOTRAINER) and the first-layer norm is below <see cref="VanishingGradientNorm"/>.</summary>
    public double VanishingGradientRatio { get; init; } = 1e-3;

    /// <summary>The first-layer gradient norm below which a small ratio counts as vanishing. Default 1e-4 (AUTOTRAINER).</summary>
    public double VanishingGradientNorm { get; init; } = 1e-4;

    /// <summary>Exploding gradients: first-layer / last-layer gradient norm above this ratio. Default 70 (AUTOTRAINER).</summary>
    public double ExplodingGradientRatio { get; init; } = 70;

    /// <summary>Dead units: at least this fraction of a ReLU-family layer's units output ≤ 0 on every probed row. Default 0.7 (DeepDiagnosis, AUTOTRAINER).</summary>
    public double DeadUnitFraction { get; init; } = 0.7;

    /// <summary>Stagnation: the training loss has not improved for this many epochs. Default 5 (DeepDiagnosis).</summary>
    public int StagnationEpochs { get; init; } = 5;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        static void Check(bool ok, string name, object value, string rule)
        {
            if (!ok)
            {
                throw new ArgumentException($"TrainingOptions.{name} is {value}; {rule}.", name);
            }
        }

        Check(Epochs >= 1, nameof(Epochs), Epochs, "train at least one epoch");
        Check(BatchSize >= 1, nameof(BatchSize), BatchSize, "a batch holds at least one row");
        Check(ValidationSplit is >= 0 and < 1, nameof(ValidationSplit), ValidationSplit, "use a fraction in [0, 1)");
        Check(TargetLoss is null || (TargetLoss >= 0 && double.IsFinite(TargetLoss.Value)), nameof(TargetLoss), TargetLoss!, "use a finite loss ≥ 0");
        Check(EarlyStoppingPatience >= 0, nameof(EarlyStoppingPatience), EarlyStoppingPatience, "use 0 (off) or a positive number of epochs");
        Check(MinDelta >= 0, nameof(MinDelta), MinDelta, "use a non-negative change");
        Check(DeadUnitSampleRows >= 0, nameof(DeadUnitSampleRows), DeadUnitSampleRows, "use 0 (off) or a positive row count");
        Check(DeadUnitFraction is > 0 and <= 1, nameof(DeadUnitFraction), DeadUnitFraction, "use a fraction in (0, 1]");
        Check(StagnationEpochs >= 1, nameof(StagnationEpochs), StagnationEpochs, "use at least one epoch");
    }
}
