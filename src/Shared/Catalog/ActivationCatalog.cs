using System;
using System.Collections.Generic;
using System.Globalization;

namespace NetGen.SourceGeneration;

/// <summary>
/// One <see cref="ActivationEntry"/> per <see cref="Activation"/> member: the only place that knows activations one
/// by one. Adding an activation means an enum member in src/NetGen.Runtime/Activation.cs, an entry here and its tests
/// (docs/architecture.md lists the files).
/// </summary>
internal static class ActivationCatalog
{
    // Constants written once, in the shared facts: the derivative, the forward helpers and the runtime's reference share them.
    private const double SeluScale = ActivationTable.SeluScale;
    private const double SeluScaleAlpha = ActivationTable.SeluScaleAlpha;
    private const double GeluSqrtTwoOverPi = ActivationTable.GeluSqrtTwoOverPi;
    private const double GeluCubic = ActivationTable.GeluCubic;
    private const double GeluCubicTimesThree = 0.134145;
    private const double SoftplusThreshold = ActivationTable.SoftplusThreshold;

    /// <summary>tanh'(1) = 1 - tanh(1)^2: the slope once a unit is one unit away from 0.</summary>
    private const double TanhSlopeAtOne = 0.41997434161402614;

    private static readonly HelperCode Log1PHelper = SharedHelpers.Log1P;

    /// <summary>The vector functions of the runtime (src/NetGen.Runtime/Numerics/VectorMath.cs).</summary>
    private const string VectorMath = "global::NetGen.Numerics.VectorMath";

    private const string ElementWise = "global::NetGen.Numerics.ElementWise";

    private static string Offset(int offset) => offset.ToString(CultureInfo.InvariantCulture);

    /// <summary>The lanes where <paramref name="mask"/> holds take <paramref name="ifTrue"/>, the others <paramref name="ifFalse"/>.</summary>
    private static string Select(Operands x, string mask, string ifTrue, string ifFalse) => $"{x.Vector}.ConditionalSelect({mask}, {ifTrue}, {ifFalse})";

    private static string Compare(Operands x, string comparison, string a, string b) => $"{x.Vector}.{comparison}({a}, {b})";

    /// <summary>z for z &gt; 0, alpha z otherwise (NaN: alpha NaN = NaN, as the scalar form).</summary>
    private static string VectorLeaky(Operands x) => Select(x, Compare(x, "GreaterThan", x.Z, x.Zero), x.Z, $"{x.Z} * {x.Alpha}");

    private static readonly HelperCode LeakyReLUHelper = HelperCode.Inline("LeakyReLU", 40,
        "z for z &gt; 0, slope * z otherwise (LeakyReLU with a fixed slope, PReLU with the learned one).",
        s => $"LeakyReLU({s.Name} z, {s.Name} slope)", s => $"z > {s.Literal(0)} ? z : slope * z");

    private static readonly ActivationEntry[] Entries =
    {
        new(Activation.Linear)
        {
            Backward = BackwardForm.Identity,
            Forward = null,
            VectorForward = x => x.Z,
        },
        new(Activation.Sigmoid)
        {
            Saturates = true,
            RegressionFit = RegressionFit.Bounded,
            DeepStack = new DeepStackRule(DiagnosticIds.DeepSigmoidStack, MinimumRun: 2, WarningRun: 4, ShrinkPerLayer: 0.25),
            Forward = x => $"Sigmoid({x.Z})",
            VectorForward = x => $"{VectorMath}.Sigmoid({x.Z})",
            ForwardHelpers = new[]
            {
                HelperCode.Inline("Sigmoid", 10, "1 / (1 + e^-z): e^-z overflows to infinity for very negative z, giving exactly 0.",
                    s => $"Sigmoid({s.Name} z)", s => $"{s.Literal(1)} / ({s.Literal(1)} + {s.MathClass}.Exp(-z))"),
            },
            Derivative = x => $"SigmoidDerivative({x.Y})",
            VectorDerivative = x => $"{x.Y} * ({x.Scalar.Vector}.One - {x.Y})",
            DerivativeReads = Reads.Y,
            DerivativeText = "sigmoid' = y (1 - y)",
            DerivativeHelpers = new[]
            {
                HelperCode.Inline("SigmoidDerivative", 210, "sigmoid'(z) = y (1 - y), from the output; at most 0.25.",
                    s => $"SigmoidDerivative({s.Name} y)", s => $"y * ({s.Literal(1)} - y)"),
            },
        },
        new(Activation.Tanh)
        {
            Saturates = true,
            RegressionFit = RegressionFit.Bounded,
            DeepStack = new DeepStackRule(DiagnosticIds.DeepTanhStack, MinimumRun: 6, WarningRun: int.MaxValue, ShrinkPerLayer: TanhSlopeAtOne),
            Forward = x => $"Tanh({x.Z})",
            VectorForward = x => $"{VectorMath}.Tanh({x.Z})",
            // VectorMath's one-value form: the bits of the vector form Predict applies, and 20x faster than MathF.Tanh here.
            ForwardHelpers = new[] { HelperCode.Inline("Tanh", 20, "tanh z, as VectorMath computes it at every width.", s => $"Tanh({s.Name} z)", s => $"{VectorMath}.Tanh(z)") },
            Derivative = x => $"TanhDerivative({x.Y})",
            VectorDerivative = x => $"{x.Scalar.Vector}.One - ({x.Y} * {x.Y})",
            DerivativeReads = Reads.Y,
            DerivativeText = "tanh' = 1 - y²",
            DerivativeHelpers = new[]
            {
                HelperCode.Inline("TanhDerivative", 220, "tanh'(z) = 1 - y², from the output; at most 1.",
                    s => $"TanhDerivative({s.Name} y)", s => $"{s.Literal(1)} - (y * y)"),
            },
        },
        new(Activation.ReLU)
        {
            DefaultInit = Init.HeNormal,
            RegressionFit = RegressionFit.CutsNegatives,
            Forward = x => $"ReLU({x.Z})",
            // A select rather than Max: Vector128/256/512.Max treat NaN differently in .NET 8 and 9; this keeps NaN and
            // gives +0 for -0, as MathF.Max(z, 0).
            VectorForward = x => Select(x, Compare(x, "LessThanOrEqual", x.Z, x.Zero), x.Zero, x.Z),
            ForwardHelpers = new[]
            {
                HelperCode.Inline("ReLU", 30, "max(0, z); NaN stays NaN.", s => $"ReLU({s.Name} z)", s => $"{s.MathClass}.Max(z, {s.Literal(0)})"),
            },
            // From the output: y = max(z, 0) > 0 exactly where z > 0 (NaN and ±0 included), so z need not be kept.
            Derivative = x => $"ReLUDerivative({x.Y})",
            VectorDerivative = x => $"{ScalarType.VectorClass}.ConditionalSelect({ScalarType.VectorClass}.GreaterThan({x.Y}, {x.Scalar.Vector}.Zero), {x.Scalar.Vector}.One, {x.Scalar.Vector}.Zero)",
            DerivativeReads = Reads.Y,
            DerivativeText = "ReLU' = 1 where y > 0 (that is, z > 0), else 0",
            DerivativeHelpers = new[]
            {
                HelperCode.Inline("ReLUDerivative", 230, "ReLU'(z) from the output: 1 where y &gt; 0, which is where z &gt; 0; else 0 (0 at the kink, as PyTorch).",
                    s => $"ReLUDerivative({s.Name} y)", s => $"y > {s.Literal(0)} ? {s.Literal(1)} : {s.Literal(0)}"),
            },
        },
        new(Activation.LeakyReLU)
        {
            DefaultInit = Init.HeNormal,
            Forward = x => $"LeakyReLU({x.Z}, {x.Alpha})",
            VectorForward = VectorLeaky,
            ForwardHelpers = new[] { LeakyReLUHelper },
            Derivative = x => $"LeakyReLUDerivative({x.Z}, {x.Alpha})",
            VectorDerivative = x => $"{ScalarType.VectorClass}.ConditionalSelect({ScalarType.VectorClass}.GreaterThan({x.Z}, {x.Scalar.Vector}.Zero), {x.Scalar.Vector}.One, {x.Alpha})",
            DerivativeReads = Reads.Z,
            DerivativeText = "LeakyReLU' = 1 for z > 0, α otherwise",
            DerivativeHelpers = new[]
            {
                HelperCode.Inline("LeakyReLUDerivative", 240, "LeakyReLU'(z): 1 for z &gt; 0, the slope otherwise.",
                    s => $"LeakyReLUDerivative({s.Name} z, {s.Name} slope)", s => $"z > {s.Literal(0)} ? {s.Literal(1)} : slope"),
            },
        },
        new(Activation.PReLU)
        {
            DefaultInit = Init.HeNormal,
            Forward = x => $"LeakyReLU({x.Z}, {x.Alpha})",
            VectorForward = VectorLeaky,
            ForwardHelpers = new[] { LeakyReLUHelper },
            Backward = BackwardForm.LearnedSlope,
            DerivativeReads = Reads.Z,
            DerivativeText = "PReLU: δ = g where z > 0 and slope·g elsewhere; the slope's own gradient is Σ over z < 0 of z·g",
            DeltaInPlace = slope => $"{ElementWise}.LearnedSlopeDelta(ref g, ref z, rows, Units, slope: Unsafe.Add(ref p, {Offset(slope)}), slopeGradient: ref Unsafe.Add(ref grad, {Offset(slope)}))",
        },
        new(Activation.ELU)
        {
            DefaultInit = Init.HeNormal,
            Forward = x => $"ELU({x.Z}, {x.Alpha})",
            VectorForward = x => $"{VectorMath}.Elu({x.Z}, {x.Alpha})",
            ForwardHelpers = new[]
            {
                HelperCode.Inline("ELU", 60, "z for z &gt; 0, alpha (e^z - 1) otherwise.",
                    s => $"ELU({s.Name} z, {s.Name} alpha)", s => $"z > {s.Literal(0)} ? z : alpha * ({s.MathClass}.Exp(z) - {s.Literal(1)})"),
            },
            Derivative = x => $"ELUDerivative({x.Z}, {x.Y}, {x.Alpha})",
            VectorDerivative = x => $"{ScalarType.VectorClass}.ConditionalSelect({ScalarType.VectorClass}.GreaterThan({x.Z}, {x.Scalar.Vector}.Zero), {x.Scalar.Vector}.One, {x.Y} + {x.Alpha})",
            DerivativeReads = Reads.Z | Reads.Y,
            DerivativeText = "ELU' = 1 for z > 0, y + α otherwise",
            DerivativeHelpers = new[]
            {
                HelperCode.Inline("ELUDerivative", 260, "ELU'(z): 1 for z &gt; 0, otherwise α e^z = y + α, from the output.",
                    s => $"ELUDerivative({s.Name} z, {s.Name} y, {s.Name} alpha)", s => $"z > {s.Literal(0)} ? {s.Literal(1)} : y + alpha"),
            },
        },
        new(Activation.SELU)
        {
            DefaultInit = Init.LeCunNormal,
            SelfNormalising = true,
            Forward = x => $"SELU({x.Z})",
            VectorForward = x => $"{VectorMath}.Selu({x.Z})",
            ForwardHelpers = new[]
            {
                HelperCode.Inline("SELU", 70, "λ z for z &gt; 0, λ α (e^z - 1) otherwise, with λ = 1.0507009873554805 and λ α = 1.7580993408473766.",
                    s => $"SELU({s.Name} z)",
                    s => $"z > {s.Literal(0)} ? {s.Literal(SeluScale)} * z : {s.Literal(SeluScaleAlpha)} * ({s.MathClass}.Exp(z) - {s.Literal(1)})"),
            },
            Derivative = x => $"SELUDerivative({x.Z}, {x.Y})",
            VectorDerivative = x => $"{ScalarType.VectorClass}.ConditionalSelect({ScalarType.VectorClass}.GreaterThan({x.Z}, {x.Scalar.Vector}.Zero), new {x.Scalar.Vector}({x.L(SeluScale)}), {x.Y} + new {x.Scalar.Vector}({x.L(SeluScaleAlpha)}))",
            DerivativeReads = Reads.Z | Reads.Y,
            DerivativeText = "SELU' = λ for z > 0, y + λα otherwise",
            DerivativeHelpers = new[]
            {
                HelperCode.Inline("SELUDerivative", 270, "SELU'(z): λ for z &gt; 0, otherwise λ α e^z = y + λ α.",
                    s => $"SELUDerivative({s.Name} z, {s.Name} y)", s => $"z > {s.Literal(0)} ? {s.Literal(SeluScale)} : y + {s.Literal(SeluScaleAlpha)}"),
            },
        },
        new(Activation.Softplus)
        {
            Forward = x => $"Softplus({x.Z})",
            // PyTorch's threshold, as the scalar form: above it the identity (in double, log1p(e^-20) = 2e-9 still shows).
            VectorForward = x => Select(x, Compare(x, "GreaterThan", x.Z, x.Splat(SoftplusThreshold)), x.Z, $"{VectorMath}.Softplus({x.Z})"),
            ForwardHelpers = new[]
            {
                HelperCode.Inline("Softplus", 80, "ln(1 + e^z), as PyTorch: the identity above z = 20, where the two agree to rounding.",
                    s => $"Softplus({s.Name} z)", s => $"z > {s.Literal(SoftplusThreshold)} ? z : Log1P({s.MathClass}.Exp(z))"),
                Log1PHelper,
            },
            Derivative = x => $"SoftplusDerivative({x.Z})",
            DerivativeReads = Reads.Z,
            DerivativeText = "Softplus' from z",
            DerivativeHelpers = new[]
            {
                HelperCode.Inline("SoftplusDerivative", 280, "Softplus'(z) = sigmoid(z), and 1 above the threshold z = 20 where Softplus is the identity.",
                    s => $"SoftplusDerivative({s.Name} z)",
                    s => $"z > {s.Literal(SoftplusThreshold)} ? {s.Literal(1)} : {s.Literal(1)} / ({s.Literal(1)} + {s.MathClass}.Exp(-z))"),
            },
        },
        new(Activation.GELU)
        {
            DefaultInit = Init.HeNormal,
            Forward = x => $"GELU({x.Z})",
            VectorForward = x => $"{VectorMath}.Gelu({x.Z})",
            ForwardHelpers = new[]
            {
                HelperCode.Inline("GELU", 90, "0.5 z (1 + tanh(sqrt(2/π) (z + 0.044715 z^3))): PyTorch's GELU with approximate='tanh'.",
                    s => $"GELU({s.Name} z)",
                    s => $"{s.Literal(0.5)} * z * ({s.Literal(1)} + {s.MathClass}.Tanh({s.Literal(GeluSqrtTwoOverPi)} * (z + ({s.Literal(GeluCubic)} * z * z * z))))"),
            },
            Derivative = x => $"GELUDerivative({x.Z})",
            DerivativeReads = Reads.Z,
            DerivativeText = "GELU' from z",
            DerivativeHelpers = new[]
            {
                HelperCode.Block("GELUDerivative", 290, s => $$"""
                    /// <summary>GELU'(z) for the tanh form: ½ (1 + tanh v) + ½ z (1 - tanh² v) √(2/π) (1 + 3·0.044715 z²), v = √(2/π)(z + 0.044715 z³).</summary>
                    private static {{s.Name}} GELUDerivative({{s.Name}} z)
                    {
                        {{s.Name}} th = {{s.MathClass}}.Tanh({{s.Literal(GeluSqrtTwoOverPi)}} * (z + ({{s.Literal(GeluCubic)}} * z * z * z)));
                        return ({{s.Literal(0.5)}} * ({{s.Literal(1)}} + th)) + ({{s.Literal(0.5)}} * z * ({{s.Literal(1)}} - (th * th)) * {{s.Literal(GeluSqrtTwoOverPi)}} * ({{s.Literal(1)}} + ({{s.Literal(GeluCubicTimesThree)}} * z * z)));
                    }
                    """),
            },
        },
        new(Activation.SiLU)
        {
            DefaultInit = Init.HeNormal,
            Forward = x => $"SiLU({x.Z})",
            VectorForward = x => $"{VectorMath}.Silu({x.Z})",
            ForwardHelpers = new[]
            {
                HelperCode.Inline("SiLU", 100, "z sigmoid(z).", s => $"SiLU({s.Name} z)", s => $"z / ({s.Literal(1)} + {s.MathClass}.Exp(-z))"),
            },
            Derivative = x => $"SiLUDerivative({x.Z})",
            DerivativeReads = Reads.Z,
            DerivativeText = "SiLU' from z",
            DerivativeHelpers = new[]
            {
                HelperCode.Block("SiLUDerivative", 300, s => $$"""
                    /// <summary>SiLU'(z) = s (1 + z (1 - s)) with s = sigmoid(z).</summary>
                    private static {{s.Name}} SiLUDerivative({{s.Name}} z)
                    {
                        {{s.Name}} s = {{s.Literal(1)}} / ({{s.Literal(1)}} + {{s.MathClass}}.Exp(-z));
                        return s * ({{s.Literal(1)}} + (z * ({{s.Literal(1)}} - s)));
                    }
                    """),
            },
        },
        new(Activation.PiecewiseLinear)
        {
            Forward = x => $"PiecewiseLinear({x.Z})",
            VectorForward = x => Select(x, Compare(x, "LessThanOrEqual", $"{x.Z} + {x.Splat(0.5)}", x.Zero), x.Zero,
                Select(x, Compare(x, "GreaterThanOrEqual", $"{x.Z} + {x.Splat(0.5)}", x.Splat(1)), x.Splat(1), $"{x.Z} + {x.Splat(0.5)}")),
            ForwardHelpers = new[]
            {
                HelperCode.Inline("PiecewiseLinear", 110, "0 for z ≤ -1/2, z + 1/2 in between, 1 for z ≥ 1/2.",
                    s => $"PiecewiseLinear({s.Name} z)", s => $"{s.MathClass}.Min({s.MathClass}.Max(z + {s.Literal(0.5)}, {s.Literal(0)}), {s.Literal(1)})"),
            },
            Derivative = x => $"PiecewiseLinearDerivative({x.Z})",
            VectorDerivative = x => $"{ScalarType.VectorClass}.ConditionalSelect({ScalarType.VectorClass}.GreaterThan({x.Z}, new {x.Scalar.Vector}({x.L(-0.5)})) & {ScalarType.VectorClass}.LessThan({x.Z}, new {x.Scalar.Vector}({x.L(0.5)})), {x.Scalar.Vector}.One, {x.Scalar.Vector}.Zero)",
            DerivativeReads = Reads.Z,
            DerivativeText = "PiecewiseLinear' from z",
            DerivativeHelpers = new[]
            {
                HelperCode.Inline("PiecewiseLinearDerivative", 310, "PiecewiseLinear'(z): 1 on the ramp -½ &lt; z &lt; ½, else 0.",
                    s => $"PiecewiseLinearDerivative({s.Name} z)", s => $"z > {s.Literal(-0.5)} && z < {s.Literal(0.5)} ? {s.Literal(1)} : {s.Literal(0)}"),
            },
        },
        new(Activation.Step)
        {
            Forward = x => $"Step({x.Z})",
            VectorForward = x => Select(x, Compare(x, "GreaterThan", x.Z, x.Zero), x.Splat(1),
                Select(x, Compare(x, "LessThan", x.Z, x.Zero), x.Zero, x.Splat(0.5))),
            ForwardHelpers = new[]
            {
                HelperCode.Inline("Step", 120, "Heaviside step: 0 below zero, 0.5 at zero, 1 above.",
                    s => $"Step({s.Name} z)", s => $"z > {s.Literal(0)} ? {s.Literal(1)} : z < {s.Literal(0)} ? {s.Literal(0)} : {s.Literal(0.5)}"),
            },
            Derivative = x => x.L(0),
            DerivativeText = "Step' = 0 almost everywhere (NG1017): nothing flows back",
        },
        new(Activation.Sign)
        {
            Forward = x => $"Sign({x.Z})",
            VectorForward = x => Select(x, Compare(x, "GreaterThan", x.Z, x.Zero), x.Splat(1),
                Select(x, Compare(x, "LessThan", x.Z, x.Zero), x.Splat(-1), x.Z)),
            ForwardHelpers = new[]
            {
                HelperCode.Inline("Sign", 130, "-1, 0 or 1 by the sign of z (±0 and NaN pass through).",
                    s => $"Sign({s.Name} z)", s => $"z > {s.Literal(0)} ? {s.Literal(1)} : z < {s.Literal(0)} ? {s.Literal(-1)} : z"),
            },
            Derivative = x => x.L(0),
            DerivativeText = "Sign' = 0 almost everywhere (NG1017): nothing flows back",
        },
        new(Activation.Softmax)
        {
            RegressionFit = RegressionFit.Bounded,
            Backward = BackwardForm.RowJacobian,
            DerivativeReads = Reads.Y,
            DerivativeText = "Softmax Jacobian: δ_k = y_k (g_k - Σ_j g_j y_j)",
            DeltaInPlace = _ => $"{ElementWise}.SoftmaxDelta(ref g, ref y, rows, Units)",
            RowHelper = HelperCode.Block("SoftmaxInPlace", 140, s => $$"""
                /// <summary>Replaces the <paramref name="length"/> logits at <paramref name="y"/> with e^(z - max) / Σ e^(z - max).</summary>
                private static void SoftmaxInPlace(ref {{s.Name}} y, int length)
                {
                    {{s.Name}} max = y;
                    for (int i = 1; i < length; i++)
                    {
                        max = {{s.MathClass}}.Max(max, Unsafe.Add(ref y, i));
                    }

                    {{s.Name}} sum = {{s.Literal(0)}};
                    for (int i = 0; i < length; i++)
                    {
                        {{s.Name}} e = {{s.MathClass}}.Exp(Unsafe.Add(ref y, i) - max);
                        Unsafe.Add(ref y, i) = e;
                        sum += e;
                    }

                    {{s.Name}} scale = {{s.Literal(1)}} / sum;
                    for (int i = 0; i < length; i++)
                    {
                        Unsafe.Add(ref y, i) *= scale;
                    }
                }
                """),
        },
    };

    /// <summary>Every entry, in the order of the enum's values.</summary>
    public static IReadOnlyList<ActivationEntry> All => Entries;

    /// <summary>The entry of <paramref name="activation"/>; Linear's for a value that is no member (the parser reports those as NG0008).</summary>
    public static ActivationEntry Of(Activation activation)
    {
        int index = (int)activation;
        return index >= 0 && index < Entries.Length ? Entries[index] : Entries[0];
    }
}
