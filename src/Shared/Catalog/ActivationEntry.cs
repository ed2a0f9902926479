using System;
using System.Collections.Generic;

namespace NetGen.SourceGeneration;

/// <summary>Which of a dense layer's values a formula reads: its pre-activations z, its outputs y, both or neither.</summary>
[Flags]
internal enum Reads
{
    None = 0,
    Z = 1,
    Y = 2,
}

/// <summary>How a layer turns the gradient of its outputs, dL/dy, into the gradient of its pre-activations, dL/dz.</summary>
internal enum BackwardForm
{
    /// <summary>f(z) = z: dL/dz is dL/dy, nothing to do.</summary>
    Identity,

    /// <summary>dL/dz = dL/dy ⊙ f'(z), with f' from <see cref="ActivationEntry.Derivative"/>.</summary>
    Elementwise,

    /// <summary>As <see cref="Elementwise"/>, and the learned slope gets a gradient of its own (PReLU).</summary>
    LearnedSlope,

    /// <summary>The Jacobian of a function of the whole row: δ_k = y_k (g_k - Σ_j g_j y_j) (Softmax).</summary>
    RowJacobian,
}

/// <summary>How well an activation's range suits a regression target (NG1014).</summary>
internal enum RegressionFit
{
    /// <summary>Any real target can be reached, or the range is not flagged.</summary>
    Unbounded,

    /// <summary>Negative targets cannot be reached (info).</summary>
    CutsNegatives,

    /// <summary>The output is confined to a bounded range (warning).</summary>
    Bounded,
}

/// <summary>
/// A run of hidden layers with this activation shrinks the gradient by up to <see cref="ShrinkPerLayer"/> per layer:
/// rule <see cref="RuleId"/> reports runs of <see cref="MinimumRun"/> or more, as a warning from <see cref="WarningRun"/>.
/// </summary>
internal sealed record DeepStackRule(string RuleId, int MinimumRun, int WarningRun, double ShrinkPerLayer);

/// <summary>The code a template is written for: the scalar type, and the expressions for z, y and the layer's Alpha.</summary>
internal readonly struct Operands
{
    public Operands(ScalarType scalar, string z, string y, string alpha)
    {
        Scalar = scalar;
        Z = z;
        Y = y;
        Alpha = alpha;
    }

    public ScalarType Scalar { get; }

    public string Z { get; }

    public string Y { get; }

    public string Alpha { get; }

    /// <summary>For vector templates: the vector class the kernel runs at, fully qualified (<c>global::System.Runtime.Intrinsics.Vector256</c>).</summary>
    public string Vector { get; init; } = "global::System.Runtime.Intrinsics.Vector128";

    /// <summary>A literal of the scalar type.</summary>
    public string L(double value) => Scalar.Literal(value);

    /// <summary>For vector templates: the zero vector.</summary>
    public string Zero => $"{Vector}<{Scalar.Name}>.Zero";

    /// <summary>For vector templates: every lane <paramref name="value"/>.</summary>
    public string Splat(double value) => $"{Vector}.Create({L(value)})";
}

/// <summary>
/// Everything NetGen knows about one activation: its facts (range, defaults, differentiability) for the parser and
/// the analyzers, and its code (forward and derivative templates, the helpers they call) for the emitter. One entry per
/// <see cref="Activation"/> member lives in <see cref="ActivationCatalog"/>; nothing else branches on activations.
/// </summary>
internal sealed class ActivationEntry
{
    public ActivationEntry(Activation kind)
    {
        Facts = ActivationTable.Of(kind);
    }

    /// <summary>The facts the runtime shares (src/Shared/Catalog/ActivationFacts.cs).</summary>
    public ActivationFacts Facts { get; }

    public Activation Kind => Facts.Kind;

    /// <summary>The output range as messages write it, e.g. "(0, 1)".</summary>
    public string Range => Facts.Range;

    /// <summary>The initialiser <see cref="Init.Default"/> stands for.</summary>
    public Init DefaultInit { get; init; } = Init.GlorotUniform;

    /// <summary>What Alpha means, and its default (PyTorch's).</summary>
    public AlphaRole Alpha => Facts.Alpha;

    public double DefaultAlpha => Facts.DefaultAlpha;

    /// <summary>False for Step and Sign, whose derivative is 0 almost everywhere: inference only (NG1017).</summary>
    public bool Differentiable => Facts.Differentiable;

    /// <summary>For a single output unit: PredictClass answers 1 at or above this value. Null: no natural threshold.</summary>
    public double? ClassThreshold => Facts.ClassThreshold;

    /// <summary>f(z) = z (Linear): no activation code at all; as a hidden layer it adds no power (NG1015).</summary>
    public bool IsIdentity => Facts.IsIdentity;

    /// <summary>A function of the whole row (Softmax): normalises the layer's outputs to sum to 1.</summary>
    public bool NormalisesRow => Facts.NormalisesRow;

    /// <summary>
    /// The slope a rectifier has for negative inputs, for which He's gain is exact (0 for ReLU, Alpha for LeakyReLU
    /// and PReLU); NG1001 compares Glorot with He for these. Null for every other activation.
    /// </summary>
    public double? RectifierSlope(double alpha) => !Facts.IsRectifier ? null : Alpha == AlphaRole.None ? 0.0 : alpha;

    /// <summary>Sigmoid and tanh: He init pushes them into saturation (NG1002).</summary>
    public bool Saturates { get; init; }

    /// <summary>SELU: self-normalising only with LeCun normal weights and no standard dropout (NG1003).</summary>
    public bool SelfNormalising { get; init; }

    public RegressionFit RegressionFit { get; init; }

    /// <summary>The vanishing-gradient rule for stacks of this activation (NG1006, NG1007), if any.</summary>
    public DeepStackRule? DeepStack { get; init; }

    /// <summary>The name in formulas of comments ("ReLU"); empty for the identity.</summary>
    public string FormulaName => IsIdentity ? "" : Kind.ToString();

    /// <summary>
    /// The scalar expression for f(z), applied to each unit (null for the identity and for row-wise activations, which
    /// run after the unit loop, see <see cref="RowHelper"/>).
    /// </summary>
    public Func<Operands, string>? Forward { get; init; }

    /// <summary>
    /// f(z) for a vector z of the class <see cref="Operands.Vector"/> (Alpha stays a scalar), for the packed inference
    /// kernels, which apply it to their accumulators before the store; the transcendental ones call
    /// <c>NetGen.Numerics.VectorMath</c>. It agrees with <see cref="Forward"/> within VectorMath's measured error
    /// (docs/performance.md), keeps NaN and gives ±∞ the same limits, except GELU and SiLU at -∞, where it gives the
    /// limit 0 and the scalar formula NaN. Row-wise activations: the identity (their <see cref="RowHelper"/> runs on the
    /// stored row).
    /// </summary>
    public Func<Operands, string> VectorForward { get; init; } = x => x.Z;

    /// <summary>The helper that applies a row-wise activation in place: <c>Name(ref y, length)</c>.</summary>
    public HelperCode? RowHelper { get; init; }

    public BackwardForm Backward { get; init; } = BackwardForm.Elementwise;

    /// <summary>
    /// For <see cref="BackwardForm.RowJacobian"/> and <see cref="BackwardForm.LearnedSlope"/>: the call of a
    /// NetGen.Numerics.ElementWise kernel that turns g = dL/dy into δ = dL/dz in place over a tile, row by row (and adds
    /// the slope's gradient). It reads <c>g</c>, <c>rows</c>, <c>Units</c>, z or y as <see cref="DerivativeReads"/>
    /// says, and <c>p</c>/<c>grad</c> at the slope's offset (the int).
    /// </summary>
    public Func<int, string>? DeltaInPlace { get; init; }

    /// <summary>f' as a scalar expression of z, y and Alpha, for <see cref="BackwardForm.Elementwise"/>.</summary>
    public Func<Operands, string>? Derivative { get; init; }

    /// <summary>
    /// The same as a <c>Vector&lt;T&gt;</c> expression of the vector locals Z and Y (and Alpha as a vector), for the
    /// training kernels' δ loop; the same bits as <see cref="Derivative"/> lane by lane. Null: <see cref="Derivative"/>
    /// value by value.
    /// </summary>
    public Func<Operands, string>? VectorDerivative { get; init; }

    /// <summary>What <see cref="Derivative"/> reads. A layer whose derivative reads z keeps z for backpropagation.</summary>
    public Reads DerivativeReads { get; init; }

    /// <summary>The derivative in words, for the comment above the δ loop ("ReLU' = 1 for z > 0, else 0").</summary>
    public string DerivativeText { get; init; } = "";

    /// <summary>Helpers <see cref="Forward"/> calls.</summary>
    public IReadOnlyList<HelperCode> ForwardHelpers { get; init; } = Array.Empty<HelperCode>();

    /// <summary>Helpers <see cref="Derivative"/> calls.</summary>
    public IReadOnlyList<HelperCode> DerivativeHelpers { get; init; } = Array.Empty<HelperCode>();

    /// <summary>"LeakyReLU(0.01)" for activations with a parameter, else the name.</summary>
    public string WithAlpha(double alpha, Func<double, string> format) => Facts.WithAlpha(alpha, format);
}
