using System;

namespace NetGen;

/// <summary>
/// Sets the learning rate of each epoch of <see cref="Trainer.Fit{T}"/>, as a PyTorch <c>torch.optim.lr_scheduler</c>
/// stepped once per epoch. <c>Fit</c> calls <see cref="Start"/> with the network's learning rate before epoch 1 (the
/// base rate, which epoch 1 uses), then <see cref="Next"/> after every epoch for the rate of the epoch after it.
/// Derive from it for a schedule of your own.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate the network had when training started.</summary>
    public double BaseLearningRate { get; private set; }

    /// <summary>Starts a run at <paramref name="baseLearningRate"/>, forgetting any earlier run.</summary>
    public virtual void Start(double baseLearningRate) => BaseLearningRate = baseLearningRate;

    /// <summary>The learning rate of epoch <c>finished.Epoch + 1</c>, given the epoch that just finished and its rate.</summary>
    public abstract double Next(EpochReport finished, double currentRate);
}

/// <summary>PyTorch's <c>StepLR</c>: the base rate times γ^⌊(epoch - 1) / stepSize⌋ (epochs from 1), so it drops by γ every <c>stepSize</c> epochs.</summary>
/// <param name="stepSize">Epochs between drops (PyTorch <c>step_size</c>).</param>
/// <param name="gamma">The factor of each drop (PyTorch default 0.1).</param>
public sealed class StepLR(int stepSize, double gamma = 0.1) : LearningRateSchedule
{
    /// <summary>Epochs between drops.</summary>
    public int StepSize { get; } = stepSize >= 1 ? stepSize : throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "Use at least one epoch.");

    /// <summary>The factor of each drop.</summary>
    public double Gamma { get; } = gamma > 0 && double.IsFinite(gamma) ? gamma : throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "Use a finite factor > 0.");

    /// <inheritdoc />
    public override double Next(EpochReport finished, double currentRate) => BaseLearningRate * Math.Pow(Gamma, finished.Epoch / StepSize);
}

/// <summary>PyTorch's <c>ExponentialLR</c>: the base rate times γ^(epoch - 1).</summary>
/// <param name="gamma">The factor per epoch.</param>
public sealed class ExponentialLR(double gamma) : LearningRateSchedule
{
    /// <summary>The factor per epoch.</summary>
    public double Gamma { get; } = gamma > 0 && double.IsFinite(gamma) ? gamma : throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "Use a finite factor > 0.");

    /// <inheritdoc />
    public override double Next(EpochReport finished, double currentRate) => BaseLearningRate * Math.Pow(Gamma, finished.Epoch);
}

/// <summary>
/// PyTorch's <c>CosineAnnealingLR</c>: with e = epoch - 1, η = η_min + (base - η_min)(1 + cos(π e / T_max)) / 2,
/// falling from the base rate to η_min over <c>tMax</c> epochs (and, as in PyTorch, rising again after that).
/// </summary>
/// <param name="tMax">The epochs of the half cosine (PyTorch <c>T_max</c>).</param>
/// <param name="etaMin">The smallest rate (PyTorch <c>eta_min</c>, default 0).</param>
public sealed class CosineAnnealingLR(int tMax, double etaMin = 0) : LearningRateSchedule
{
    /// <summary>The epochs of the half cosine.</summary>
    public int TMax { get; } = tMax >= 1 ? tMax : throw new ArgumentOutOfRangeException(nameof(tMax), tMax, "Use at least one epoch.");

    /// <summary>The smallest rate.</summary>
    public double EtaMin { get; } = etaMin >= 0 && double.IsFinite(etaMin) ? etaMin : throw new ArgumentOutOfRangeException(nameof(etaMin), etaMin, "Use a finite rate ≥ 0.");

    /// <inheritdoc />
    public override double Next(EpochReport finished, double currentRate) =>
        EtaMin + ((BaseLearningRate - EtaMin) * (1 + Math.Cos(Math.PI * finished.Epoch / TMax)) / 2);
}

/// <summary>PyTorch's <c>LambdaLR</c>: the base rate times <c>factor(e)</c>, with e = epoch - 1 (PyTorch's epoch index, so factor(0) belongs to epoch 1).</summary>
/// <param name="factor">The multiplier of the base rate for each epoch index.</param>
public sealed class LambdaLR(Func<int, double> factor) : LearningRateSchedule
{
    private readonly Func<int, double> _factor = factor ?? throw new ArgumentNullException(nameof(factor));

    /// <inheritdoc />
    public override double Next(EpochReport finished, double currentRate) => BaseLearningRate * _factor(finished.Epoch);
}

/// <summary>How <see cref="ReduceLROnPlateau"/> compares a metric with its best value (PyTorch <c>threshold_mode</c>).</summary>
public enum ThresholdMode
{
    /// <summary>Relative: better than best × (1 - threshold) when minimising, best × (1 + threshold) when maximising.</summary>
    Relative,
    /// <summary>Absolute: better than best - threshold when minimising, best + threshold when maximising.</summary>
    Absolute,
}

/// <summary>
/// PyTorch's <c>ReduceLROnPlateau</c> (Keras has the same callback): when the monitored metric has not improved for
/// more than <c>patience</c> epochs, the rate is multiplied by <c>factor</c> (not below <c>minLr</c>), then
/// <c>cooldown</c> epochs pass before counting again. Improvement follows <see cref="ThresholdMode"/>; a change
/// of the rate smaller than <see cref="Epsilon"/> is skipped.
/// </summary>
/// <param name="factor">The factor of each reduction (PyTorch default 0.1).</param>
/// <param name="patience">Epochs without improvement that are tolerated (PyTorch default 10).</param>
/// <param name="threshold">What counts as an improvement (PyTorch default 1e-4).</param>
/// <param name="thresholdMode">Relative (PyTorch's default 'rel') or absolute.</param>
/// <param name="cooldown">Epochs after a reduction during which bad epochs are not counted (default 0).</param>
/// <param name="minLr">The smallest rate (default 0).</param>
/// <param name="monitor">The metric to watch; null: <see cref="TrainingOptions.Monitor"/>'s choice.</param>
public sealed class ReduceLROnPlateau(double factor = 0.1, int patience = 10, double threshold = 1e-4, ThresholdMode thresholdMode = ThresholdMode.Relative,
    int cooldown = 0, double minLr = 0, string? monitor = null) : LearningRateSchedule
{
    private double _best;
    private int _badEpochs;
    private int _cooldownLeft;

    /// <summary>The factor of each reduction.</summary>
    public double Factor { get; } = factor is > 0 and < 1 ? factor : throw new ArgumentOutOfRangeException(nameof(factor), factor, "Use a factor in (0, 1).");

    /// <summary>Epochs without improvement that are tolerated.</summary>
    public int Patience { get; } = patience >= 0 ? patience : throw new ArgumentOutOfRangeException(nameof(patience), patience, "Use 0 or more epochs.");

    /// <summary>What counts as an improvement.</summary>
    public double Threshold { get; } = threshold >= 0 && double.IsFinite(threshold) ? threshold : throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "Use a finite threshold ≥ 0.");

    /// <summary>Relative or absolute threshold.</summary>
    public ThresholdMode ThresholdMode { get; } = thresholdMode;

    /// <summary>Epochs after a reduction during which bad epochs are not counted.</summary>
    public int Cooldown { get; } = cooldown >= 0 ? cooldown : throw new ArgumentOutOfRangeException(nameof(cooldown), cooldown, "Use 0 or more epochs.");

    /// <summary>The smallest rate.</summary>
    public double MinLr { get; } = minLr >= 0 && double.IsFinite(minLr) ? minLr : throw new ArgumentOutOfRangeException(nameof(minLr), minLr, "Use a finite rate ≥ 0.");

    /// <summary>The smallest change of the rate that is applied (PyTorch <c>eps</c>, 1e-8).</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>The metric to watch, or null for <see cref="TrainingOptions.Monitor"/>'s choice.</summary>
    public string? Monitor { get; } = monitor;

    /// <summary>The metric name <see cref="Trainer.Fit{T}"/> resolved for this run.</summary>
    internal string MonitorInUse { get; set; } = "loss";

    /// <summary>The number of reductions so far in this run.</summary>
    public int Reductions { get; private set; }

    /// <inheritdoc />
    public override void Start(double baseLearningRate)
    {
        base.Start(baseLearningRate);
        _best = Trainer.Maximizes(MonitorInUse) ? double.NegativeInfinity : double.PositiveInfinity;
        _badEpochs = 0;
        _cooldownLeft = 0;
        Reductions = 0;
    }

    /// <inheritdoc />
    public override double Next(EpochReport finished, double currentRate)
    {
        double current = finished.Metrics[MonitorInUse];
        if (IsBetter(current))
        {
            _best = current;
            _badEpochs = 0;
        }
        else
        {
            _badEpochs++;
        }

        if (_cooldownLeft > 0)
        {
            _cooldownLeft--;
            _badEpochs = 0;
        }

        if (_badEpochs > Patience)
        {
            _cooldownLeft = Cooldown;
            _badEpochs = 0;
            double reduced = Math.Max(currentRate * Factor, MinLr);
            if (currentRate - reduced > Epsilon)
            {
                Reductions++;
                return reduced;
            }
        }

        return currentRate;
    }

    private bool IsBetter(double current)
    {
        bool maximize = Trainer.Maximizes(MonitorInUse);
        return (maximize, ThresholdMode) switch
        {
            (false, ThresholdMode.Relative) => current < _best * (1 - Threshold),
            (false, ThresholdMode.Absolute) => current < _best - Threshold,
            (true, ThresholdMode.Relative) => current > _best * (1 + Threshold),
            _ => current > _best + Threshold,
        };
    }
}
