using System;
using System.Collections.Generic;

#if NETGEN_SOURCE_GENERATION
namespace NetGen.SourceGeneration;
#else
// The runtime compiles this file of the catalog too (NetGen.Runtime.csproj links it), so the runtime, the generator's
// ActivationCatalog and the analyzers read these facts from one table (docs/architecture.md, "The catalog").
namespace NetGen;
#endif

/// <summary>What the Alpha argument of [Dense] means for an activation.</summary>
internal enum AlphaRole
{
    /// <summary>The activation has no parameter; Alpha is ignored.</summary>
    None,

    /// <summary>The slope for negative inputs, fixed (LeakyReLU).</summary>
    FixedSlope,

    /// <summary>The initial slope for negative inputs, learned as a parameter of the layer (PReLU).</summary>
    LearnedSlope,

    /// <summary>The value the activation saturates to for very negative inputs (ELU).</summary>
    Saturation,
}

/// <summary>
/// The facts about one activation that the runtime needs as much as the generator and the analyzers: its range, what
/// Alpha means, how its output reads as a class, and its formula in double precision. The generator's
/// <c>ActivationCatalog</c> builds its entries (code templates, rule facts) on these.
/// </summary>
internal sealed class ActivationFacts
{
    public ActivationFacts(Activation kind, Func<double, double, double>? reference)
    {
        Kind = kind;
        Reference = reference;
    }

    public Activation Kind { get; }

    /// <summary>The output range as messages write it, e.g. "(0, 1)".</summary>
    public string Range { get; init; } = "(-inf, inf)";

    /// <summary>What Alpha means, and its default (PyTorch's).</summary>
    public AlphaRole Alpha { get; init; }

    public double DefaultAlpha { get; init; }

    /// <summary>Alpha is part of the function itself (LeakyReLU, ELU), not a learned parameter: it belongs in a fingerprint.</summary>
    public bool HasFixedAlpha => Alpha is AlphaRole.FixedSlope or AlphaRole.Saturation;

    /// <summary>False for Step and Sign, whose derivative is 0 almost everywhere: inference only (NG1017).</summary>
    public bool Differentiable { get; init; } = true;

    /// <summary>f(z) = z (Linear).</summary>
    public bool IsIdentity { get; init; }

    /// <summary>A function of the whole row (Softmax): normalises the layer's outputs to sum to 1.</summary>
    public bool NormalisesRow { get; init; }

    /// <summary>ReLU and its leaky kin: z for z &gt; 0 and a slope of 0 or Alpha below, so a unit can die (output ≤ 0 for every row).</summary>
    public bool IsRectifier { get; init; }

    /// <summary>For a single output unit: the output is class 1 at or above this value. Null: no natural threshold.</summary>
    public double? ClassThreshold { get; init; }

    /// <summary>
    /// The loss that reads this activation's outputs as probabilities and fuses with it (Softmax: cross-entropy,
    /// Sigmoid: binary cross-entropy); <see cref="Loss.None"/> for the others.
    /// </summary>
    public Loss ProbabilityLoss { get; init; }

    /// <summary>f(z) with Alpha in double precision, as docs/numerics.md defines it; null for a function of the whole row.</summary>
    public Func<double, double, double>? Reference { get; }

    /// <summary>"LeakyReLU(0.01)" for activations with a parameter, else the name.</summary>
    public string WithAlpha(double alpha, Func<double, string> format) =>
        Alpha == AlphaRole.None ? Kind.ToString() : $"{Kind}({format(alpha)})";
}

/// <summary>One <see cref="ActivationFacts"/> per <see cref="Activation"/> member, at the index of its value.</summary>
internal static class ActivationTable
{
    public const double SeluScale = 1.0507009873554805;

    /// <summary>SELU's λ α, with α = 1.6732632423543772.</summary>
    public const double SeluScaleAlpha = 1.7580993408473766;

    public const double GeluSqrtTwoOverPi = 0.7978845608028654;

    public const double GeluCubic = 0.044715;

    /// <summary>PyTorch's Softplus threshold: above it Softplus is the identity.</summary>
    public const double SoftplusThreshold = 20;

    private static readonly ActivationFacts[] Facts =
    {
        new(Activation.Linear, (z, _) => z) { IsIdentity = true },
        new(Activation.Sigmoid, (z, _) => 1 / (1 + Math.Exp(-z))) { Range = "(0, 1)", ClassThreshold = 0.5, ProbabilityLoss = Loss.BinaryCrossEntropy },
        new(Activation.Tanh, (z, _) => Math.Tanh(z)) { Range = "(-1, 1)", ClassThreshold = 0 },
        new(Activation.ReLU, (z, _) => Math.Max(z, 0)) { Range = "[0, inf)", IsRectifier = true },
        new(Activation.LeakyReLU, Leaky) { Alpha = AlphaRole.FixedSlope, DefaultAlpha = 0.01, IsRectifier = true },
        new(Activation.PReLU, Leaky) { Alpha = AlphaRole.LearnedSlope, DefaultAlpha = 0.25, IsRectifier = true },
        new(Activation.ELU, (z, alpha) => z > 0 ? z : alpha * (Math.Exp(z) - 1)) { Range = "(-alpha, inf)", Alpha = AlphaRole.Saturation, DefaultAlpha = 1.0 },
        new(Activation.SELU, (z, _) => z > 0 ? SeluScale * z : SeluScaleAlpha * (Math.Exp(z) - 1)) { Range = "(-1.76, inf)" },
        new(Activation.Softplus, (z, _) => z > SoftplusThreshold ? z : z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z))) { Range = "[0, inf)" },
        new(Activation.GELU, (z, _) => 0.5 * z * (1 + Math.Tanh(GeluSqrtTwoOverPi * (z + (GeluCubic * z * z * z))))) { Range = "(-0.17, inf)" },
        new(Activation.SiLU, (z, _) => z / (1 + Math.Exp(-z))) { Range = "(-0.28, inf)" },
        new(Activation.PiecewiseLinear, (z, _) => Math.Min(Math.Max(z + 0.5, 0), 1)) { Range = "[0, 1]" },
        new(Activation.Step, (z, _) => z > 0 ? 1 : z < 0 ? 0 : 0.5) { Range = "[0, 1]", Differentiable = false, ClassThreshold = 0.5 },
        new(Activation.Sign, (z, _) => z > 0 ? 1 : z < 0 ? -1 : z) { Range = "{-1, 0, 1}", Differentiable = false, ClassThreshold = 0 },
        new(Activation.Softmax, null) { Range = "(0, 1) with a sum of 1", NormalisesRow = true, ProbabilityLoss = Loss.CrossEntropy },
    };

    /// <summary>The activation NetGen suggests for hidden layers (with He initialisation).</summary>
    public const Activation Hidden = Activation.ReLU;

    /// <summary>The output activation NetGen suggests for regression: the identity.</summary>
    public const Activation Regression = Activation.Linear;

    /// <summary>Every entry, in the order of the enum's values.</summary>
    public static IReadOnlyList<ActivationFacts> All => Facts;

    /// <summary>The facts of <paramref name="activation"/>; Linear's for a value that is no member (the parser reports those as NG0008).</summary>
    public static ActivationFacts Of(Activation activation)
    {
        int index = (int)activation;
        return index >= 0 && index < Facts.Length ? Facts[index] : Facts[0];
    }

    /// <summary>The output activation that <paramref name="loss"/> reads as probabilities (Sigmoid for binary cross-entropy), or null.</summary>
    public static Activation? ProbabilitiesFor(Loss loss)
    {
        foreach (ActivationFacts facts in Facts)
        {
            if (loss != Loss.None && facts.ProbabilityLoss == loss)
            {
                return facts.Kind;
            }
        }

        return null;
    }

    private static double Leaky(double z, double alpha) => z > 0 ? z : alpha * z;
}
