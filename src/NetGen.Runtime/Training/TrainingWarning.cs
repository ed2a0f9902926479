namespace NetGen;

/// <summary>What a training-health check found.</summary>
public enum TrainingWarningKind
{
    /// <summary>The first layer's gradient is tiny next to the last layer's: early layers barely learn.</summary>
    VanishingGradient,
    /// <summary>The first layer's gradient is huge next to the last layer's: steps overshoot.</summary>
    ExplodingGradient,
    /// <summary>Most units of a ReLU-family layer output zero for every probed row and no longer learn.</summary>
    DeadUnits,
    /// <summary>The training loss has stopped improving.</summary>
    Stagnation,
}

/// <summary>A training-health finding for one epoch, with the numbers behind it.</summary>
/// <param name="Kind">What was found.</param>
/// <param name="Layer">The layer concerned (1-based, as in the generated layer table), or null for the whole network.</param>
/// <param name="Value">The measured value (a gradient ratio, a dead fraction, or a count of epochs).</param>
/// <param name="Message">A sentence with the numbers and the usual remedy.</param>
public sealed record TrainingWarning(TrainingWarningKind Kind, int? Layer, double Value, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Message;
}
