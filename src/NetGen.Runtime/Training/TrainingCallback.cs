using System;

namespace NetGen;

/// <summary>One finished batch, as <see cref="TrainingCallback.OnBatchEnd"/> sees it.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Batch">The batch within the epoch, from 1.</param>
/// <param name="Rows">The rows in the batch.</param>
/// <param name="Loss">The batch's mean loss, computed before the optimizer step.</param>
/// <param name="LearningRate">The learning rate of the step.</param>
public readonly record struct BatchReport(int Epoch, int Batch, int Rows, double Loss, double LearningRate);

/// <summary>What a callback can do to the run it is called from.</summary>
public sealed class TrainingControl
{
    /// <summary>Whether a callback asked to stop.</summary>
    public bool StopRequested { get; private set; }

    /// <summary>
    /// Ends the run: after the current batch (from <see cref="TrainingCallback.OnBatchEnd"/>; the epoch is then
    /// scored and reported over the batches it ran) or after the current epoch. <see cref="TrainingResult.StopReason"/>
    /// is <see cref="StopReason.StoppedByCallback"/> (Keras: <c>model.stop_training = True</c>).
    /// </summary>
    public void StopTraining() => StopRequested = true;

    internal void Reset() => StopRequested = false;
}

/// <summary>
/// Code that runs inside <see cref="Trainer.Fit{T}"/> (Keras <c>Callback</c>, Lightning hooks). Override what you need;
/// every method is called on the training thread. <see cref="OnBatchEnd"/> runs after every batch: keep it cheap and
/// allocation-free. <see cref="AtEpochEnd"/> and <see cref="AtBatchEnd"/> make one from a lambda.
/// </summary>
public abstract class TrainingCallback
{
    /// <summary>Before the first epoch.</summary>
    public virtual void OnTrainBegin(TrainingControl control)
    {
    }

    /// <summary>After each optimizer step that passed the divergence checks.</summary>
    public virtual void OnBatchEnd(in BatchReport batch, TrainingControl control)
    {
    }

    /// <summary>After each epoch has been scored, checked and reported, before the stopping rules and the learning-rate schedule run.</summary>
    public virtual void OnEpochEnd(EpochReport report, TrainingControl control)
    {
    }

    /// <summary>After the last epoch, with the result <c>Fit</c> is about to return (not called when <c>Fit</c> throws).</summary>
    public virtual void OnTrainEnd(TrainingResult result)
    {
    }

    /// <summary>A callback that runs <paramref name="action"/> at the end of every epoch.</summary>
    public static TrainingCallback AtEpochEnd(Action<EpochReport, TrainingControl> action) => new EpochLambda(action ?? throw new ArgumentNullException(nameof(action)));

    /// <summary>A callback that runs <paramref name="action"/> at the end of every batch.</summary>
    public static TrainingCallback AtBatchEnd(Action<BatchReport, TrainingControl> action) => new BatchLambda(action ?? throw new ArgumentNullException(nameof(action)));

    private sealed class EpochLambda(Action<EpochReport, TrainingControl> action) : TrainingCallback
    {
        public override void OnEpochEnd(EpochReport report, TrainingControl control) => action(report, control);
    }

    private sealed class BatchLambda(Action<BatchReport, TrainingControl> action) : TrainingCallback
    {
        public override void OnBatchEnd(in BatchReport batch, TrainingControl control) => action(batch, control);
    }
}
