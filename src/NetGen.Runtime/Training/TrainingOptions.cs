using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// How <see cref="Trainer.Fit{T}"/> trains: epochs, batches, validation, stopping rules, the learning-rate schedule,
/// gradient clipping, callbacks and health thresholds. <c>new TrainingOptions()</c> (or no options at all) trains
/// up to 1000 epochs with 10% of the rows held out for validation, stops when the validation loss has not improved
/// for 10 epochs and restores the best epoch's parameters (see docs/training.md, "Defaults").
/// </summary>
public sealed class TrainingOptions
{
    /// <summary>The most epochs to run. Default 1000, a ceiling (PyTorch Lightning's <c>max_epochs</c> default): early stopping ends real runs.</summary>
    public int Epochs { get; init; } = 1000;

    /// <summary>Rows per optimizer step. Default 32 (Keras's <c>batch_size</c> default); the last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Whether to visit the training rows in a new seeded order every epoch. Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>The seed of shuffling and of the validation split. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// The fraction of the training rows held out for validation (a seeded split, stratified by class for labelled
    /// data), or 0 for none. Default 0.1. Ignored when <c>Fit</c> is given a validation set.
    /// </summary>
    public double ValidationSplit { get; init; } = 0.1;

    /// <summary>Stop when the training loss E of an epoch is at most this ε (the classic "train until E ≤ ε"). Null: no target.</summary>
    public double? TargetLoss { get; init; }

    /// <summary>
    /// The epoch metric early stopping, <see cref="RestoreBestWeights"/> and <see cref="ReduceLROnPlateau"/> watch,
    /// by its Keras name: <c>"val_loss"</c>, <c>"val_accuracy"</c>, <c>"loss"</c>, <c>"accuracy"</c>, or any key of
    /// <see cref="EpochReport.Metrics"/> (<c>"val_f1"</c>, <c>"val_rmse"</c>, <c>"val_r2"</c>...). Losses and errors
    /// are minimised, accuracy, precision, recall, F1 and R² maximised. Null (the default): <c>"val_loss"</c> when
    /// there is validation data, else <c>"loss"</c>.
    /// </summary>
    public string? Monitor { get; init; }

    /// <summary>
    /// Stop after this many epochs without the monitored metric improving by more than <see cref="MinDelta"/>
    /// (Keras <c>EarlyStopping(patience)</c>). Default 10; 0 turns early stopping off.
    /// </summary>
    public int EarlyStoppingPatience { get; init; } = 10;

    /// <summary>The least change of the monitored metric that counts as an improvement (Keras <c>min_delta</c>). Default 0.</summary>
    public double MinDelta { get; init; }

    /// <summary>
    /// When early stopping ends the run, put back the parameters of the best epoch (Keras <c>restore_best_weights</c>).
    /// Default true. The best epoch is at least the first one, so there is always something saved to restore.
    /// </summary>
    public bool RestoreBestWeights { get; init; } = true;

    /// <summary>
    /// Sets the learning rate epoch by epoch: <see cref="StepLR"/>, <see cref="CosineAnnealingLR"/>,
    /// <see cref="ReduceLROnPlateau"/>, <see cref="ExponentialLR"/>, <see cref="LambdaLR"/> or your own. Null (the
    /// default): the network's learning rate stays as it is.
    /// </summary>
    public LearningRateSchedule? LearningRateSchedule { get; init; }

    /// <summary>
    /// Clip the gradient before each optimizer step so that its L2 norm over all parameters is at most this value,
    /// as PyTorch's <c>clip_grad_norm_(parameters, max_norm)</c>: with total norm n, every gradient is multiplied by
    /// min(1, max_norm / (n + 1e-6)). Null (the default): no clipping.
    /// </summary>
    public double? ClipGradientNorm { get; init; }

    /// <summary>
    /// One weight per class (PyTorch <c>CrossEntropyLoss(weight=...)</c>, Keras <c>class_weight</c>): each training row
    /// counts with the weight of its class (its label, else the largest target, or for one output the target ≥ 0.5),
    /// times its sample weight when the data has <see cref="Dataset{T}.SampleWeights"/>, and each batch minimises the
    /// weighted mean Σ wᵢ Lᵢ / Σ wᵢ, which is PyTorch's 'mean' reduction with class weights. Classes: the outputs, or 2
    /// for one output. Weights must be finite and ≥ 0. Null (the default): every class weighs 1. The validation loss
    /// and <see cref="Trainer.Evaluate{T}"/> stay unweighted.
    /// </summary>
    public IReadOnlyList<double>? ClassWeights { get; init; }

    /// <summary>Called at the end of every batch and epoch; a callback can stop the run (<see cref="TrainingCallback"/>).</summary>
    public IReadOnlyList<TrainingCallback> Callbacks { get; init; } = Array.Empty<TrainingCallback>();

    /// <summary>
    /// Divergence: a batch whose loss exceeds this factor times the run's reference loss (its first positive batch
    /// loss, computed at the starting parameters) stops training with <see cref="TrainingDivergedException"/>.
    /// Default 1e4. <see cref="double.PositiveInfinity"/> leaves only the NaN and infinity checks.
    /// </summary>
    public double DivergenceFactor { get; init; } = 1e4;

    /// <summary>
    /// After each epoch, score the training rows without dropout: the training accuracy and metrics of the report and
    /// the stagnation check read it. Default true. It costs one forward pass over the training rows; false keeps only
    /// the batches' mean loss (<c>loss</c>) for the training rows.
    /// </summary>
    public bool EvaluateTrainingSet { get; init; } = true;

    /// <summary>
    /// How many training rows that scoring reads: all of them up to this many, else a fixed sample of this many (seeded
    /// by <see cref="Seed"/>, the same rows every epoch, so epochs compare like with like). Default 1024, which keeps the
    /// pass at a few percent of an epoch on large data (about 0.6% on 60,000 rows) while the accuracy it reports is
    /// within about ±2 points (95%); 0 scores every row.
    /// </summary>
    public int TrainingEvaluationRows { get; init; } = 1024;

    /// <summary>
    /// The most training rows probed with <c>PredictLayers</c> after each epoch to find dead ReLU units (the first rows of
    /// the training split; the probe stops at the row by which every ReLU-family unit has fired). Default 256; 0 turns
    /// the check off.
    /// </summary>
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
        static void Check(bool ok, string name, object? value, string rule)
        {
            if (!ok)
            {
                throw new ArgumentException($"TrainingOptions.{name} is {value ?? "null"}; {rule}.", name);
            }
        }

        Check(Epochs >= 1, nameof(Epochs), Epochs, "train at least one epoch");
        Check(BatchSize >= 1, nameof(BatchSize), BatchSize, "a batch holds at least one row");
        Check(ValidationSplit is >= 0 and < 1, nameof(ValidationSplit), ValidationSplit, "use a fraction in [0, 1)");
        Check(TargetLoss is null || (TargetLoss >= 0 && double.IsFinite(TargetLoss.Value)), nameof(TargetLoss), TargetLoss, "use a finite loss ≥ 0");
        Check(EarlyStoppingPatience >= 0, nameof(EarlyStoppingPatience), EarlyStoppingPatience, "use 0 (off) or a positive number of epochs");
        Check(MinDelta >= 0 && double.IsFinite(MinDelta), nameof(MinDelta), MinDelta, "use a finite, non-negative change");
        Check(Monitor is null || Monitor.Length > 0, nameof(Monitor), "\"\"", "use null or a metric name such as \"val_loss\"");
        Check(ClipGradientNorm is null || (ClipGradientNorm > 0 && double.IsFinite(ClipGradientNorm.Value)), nameof(ClipGradientNorm), ClipGradientNorm, "use null (off) or a finite norm > 0");
        Check(Callbacks is not null, nameof(Callbacks), null, "use an empty list for no callbacks");
        if (ClassWeights is not null)
        {
            for (int i = 0; i < ClassWeights.Count; i++)
            {
                Check(ClassWeights[i] >= 0 && double.IsFinite(ClassWeights[i]), $"{nameof(ClassWeights)}[{i}]", ClassWeights[i], "use finite weights ≥ 0");
            }
        }

        Check(DivergenceFactor > 1, nameof(DivergenceFactor), DivergenceFactor, "use a factor > 1 (PositiveInfinity turns the loss rule off)");
        Check(TrainingEvaluationRows >= 0, nameof(TrainingEvaluationRows), TrainingEvaluationRows, "use 0 (every row) or a positive row count");
        Check(DeadUnitSampleRows >= 0, nameof(DeadUnitSampleRows), DeadUnitSampleRows, "use 0 (off) or a positive row count");
        Check(DeadUnitFraction is > 0 and <= 1, nameof(DeadUnitFraction), DeadUnitFraction, "use a fraction in (0, 1]");
        Check(StagnationEpochs >= 1, nameof(StagnationEpochs), StagnationEpochs, "use at least one epoch");
    }
}
