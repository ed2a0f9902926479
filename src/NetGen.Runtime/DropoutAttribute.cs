using System;

namespace NetGen;

/// <summary>
/// Inverted dropout between two layers: during training each activation of the previous layer is zeroed with
/// probability <paramref name="rate"/> and the survivors are scaled by 1/(1 - rate); at inference it does nothing.
/// </summary>
/// <param name="rate">The probability of dropping a unit, in [0, 1). Typical values are 0.1 to 0.5.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute(double rate) : Attribute
{
    /// <summary>The probability of dropping a unit during training.</summary>
    public double Rate { get; } = rate;
}
