using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace NetGen.SourceGeneration;

internal static partial class NetworkEmitter
{
    /// <summary>Units computed together in the main loop of a dense layer: each vector of x is loaded once for four rows of W.</summary>
    private const int UnitBlock = 4;

    /// <summary>
    /// The file-local kernels class: <c>Forward</c>, one method per dense layer with its sizes and offsets as constants
    /// and its activation fused into the unit loop, and the activation helpers this network uses.
    /// </summary>
    private static void EmitKernels(SourceWriter w, NetworkPlan plan, CancellationToken cancellationToken)
    {
        string t = plan.Scalar.Name;
        using (w.Block("namespace NetGen.Generated"))
        {
            w.Lines("""
                using System;
                using System.Numerics;
                using System.Runtime.CompilerServices;
                using System.Runtime.InteropServices;

                """);
            w.Line($"/// <summary>The layers of <see cref=\"global::{plan.Spec.FullName}\"/>, each written out with its sizes as constants.</summary>");
            using (w.Block($"file static class {KernelsClassName(plan)}"))
            {
                EmitScratchLayout(w, plan);
                EmitForward(w, plan);
                w.Line();
                EmitForwardTile(w, plan);
                foreach (LayerPlan layer in plan.Layers.Where(l => l.IsDense))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    w.Line();
                    EmitDense(w, plan, layer);
                    w.Line();
                    EmitDenseTile(w, plan, layer);
                }

                if (plan.Spec.IsTrainable)
                {
                    EmitTrainingKernels(w, plan);
                }

                EmitHelpers(w, plan);
            }
        }
    }

    private static void EmitScratchLayout(SourceWriter w, NetworkPlan plan)
    {
        var parts = plan.Layers
            .Select(l => l.IsDense
                ? $"layer {l.Number} z at {Int(l.ZOffset)} and y at {Int(l.YOffset)}"
                : $"layer {l.Number} mask at {Int(l.MaskOffset)} and y at {Int(l.YOffset)}")
            .ToList();
        w.Line("/// <summary>");
        w.Line($"/// Scratch for one row: {string.Join("; ", parts)};");
        w.Line($"/// gradient rows at {Int(plan.GradientA)} and {Int(plan.GradientB)}; a target row at {Int(plan.TargetRow)}.");
        w.Line("/// </summary>");
        w.Line($"public const int ScratchLength = {Int(plan.ScratchLength)};");
        w.Line();
        w.Line("/// <summary>Where the output layer's values sit in the scratch buffer (PredictClass and training read them there).</summary>");
        w.Line($"public const int OutputRow = {Int(plan.OutputLayer.YOffset)};");
        w.Line();
    }

    private static void EmitForward(SourceWriter w, NetworkPlan plan)
    {
        string t = plan.Scalar.Name;
        w.Line("/// <summary>Runs one row through every layer (dropout is the identity). The caller has checked the span lengths.</summary>");
        using (w.Block($"public static void Forward({t}[] parameters, ReadOnlySpan<{t}> input, Span<{t}> output, {t}[] scratch)"))
        {
            w.Lines($"""
                ref {t} p = ref MemoryMarshal.GetArrayDataReference(parameters);
                ref {t} x = ref MemoryMarshal.GetReference(input);
                ref {t} y = ref MemoryMarshal.GetReference(output);
                ref {t} a = ref MemoryMarshal.GetArrayDataReference(scratch);

                """);
            foreach (LayerPlan layer in plan.Layers)
            {
                if (!layer.IsDense)
                {
                    w.Line($"// Layer {layer.Number}: {Describe(layer)}.");
                    continue;
                }

                string source = layer.InferenceSource < 0 ? "the input" : $"a[{Int(layer.InferenceSource)}..{Int(layer.InferenceSource + layer.InputSize)})";
                string target = layer.IsOutput ? "the output row" : $"a[{Int(layer.YOffset)}..{Int(layer.YOffset + layer.OutputSize)})";
                w.Line($"// Layer {layer.Number}: {Describe(layer)}. Reads {source}, writes {target}.");
                w.Line($"Dense{layer.Number}(ref p, {ScratchRef(layer.InferenceSource)}, {ScratchRef(layer.ZOffset)}, {(layer.IsOutput ? "ref y" : ScratchRef(layer.YOffset))});");
            }
        }
    }

    /// <summary>A ref to scratch offset <paramref name="offset"/>, or to the input row for -1.</summary>
    private static string ScratchRef(int offset) =>
        offset < 0 ? "ref x" : offset == 0 ? "ref a" : $"ref Unsafe.Add(ref a, {Int(offset)})";

    private static void EmitDense(SourceWriter w, NetworkPlan plan, LayerPlan layer)
    {
        ScalarType s = plan.Scalar;
        string t = s.Name;
        LayerSpec spec = layer.Spec;
        int inputs = layer.InputSize, units = layer.OutputSize;
        string biasTerm = spec.HasBias ? " + b[u]" : "";
        string formula = spec.Activation == ActivationKind.Softmax
            ? $"y = softmax(W x{(spec.HasBias ? " + b" : "")})"
            : $"y[u] = {ActivationName(spec.Activation)}(Σ_i W[u, i] x[i]{biasTerm})";

        w.Line($"/// <summary>Layer {layer.Number}: {Describe(layer)}. {formula}; z keeps the pre-activations for backpropagation.</summary>");
        using (w.Block($"private static void Dense{layer.Number}(ref {t} p, ref {t} x, ref {t} z, ref {t} y)"))
        {
            string constants = $"const int Inputs = {Int(inputs)}, Units = {Int(units)}, Weights = {Int(layer.WeightOffset)}";
            if (spec.HasBias)
            {
                constants += $", Bias = {Int(layer.BiasOffset)}";
            }

            w.Line(constants + ";");
            if (spec.Activation == ActivationKind.PReLU)
            {
                w.Line($"{t} slope = Unsafe.Add(ref p, {Int(layer.SlopeOffset)}); // learned, one per layer");
            }

            w.Line("int u = 0;");
            if (units >= UnitBlock)
            {
                w.Line();
                w.Line($"// {UnitBlock} units at a time: each vector of x is loaded once for {UnitBlock} rows of W.");
                using (w.Block($"for (; u <= Units - {UnitBlock}; u += {UnitBlock})"))
                {
                    EmitDotProducts(w, plan, layer, UnitBlock);
                }
            }

            if (units % UnitBlock != 0)
            {
                w.Line();
                int rest = units % UnitBlock;
                w.Line(units < UnitBlock ? "// One unit at a time." : rest == 1 ? "// The last unit." : $"// The last {rest} units, one at a time.");
                using (w.Block("for (; u < Units; u++)"))
                {
                    EmitDotProducts(w, plan, layer, 1);
                }
            }

            if (spec.Activation == ActivationKind.Softmax)
            {
                w.Line();
                w.Line("// Softmax over the layer's logits, shifted by the largest so that no exponent overflows.");
                w.Line("SoftmaxInPlace(ref y, Units);");
            }
        }
    }

    /// <summary>
    /// The body of the unit loop for <paramref name="count"/> units starting at u: a Vector&lt;T&gt; dot product per
    /// unit, a scalar tail only when Inputs is not a multiple of every possible vector width, then bias and activation.
    /// </summary>
    private static void EmitDotProducts(SourceWriter w, NetworkPlan plan, LayerPlan layer, int count)
    {
        ScalarType s = plan.Scalar;
        string t = s.Name;
        int inputs = layer.InputSize;
        bool vectorLoop = inputs >= s.MinVectorLanes;
        bool tail = inputs % s.MaxVectorLanes != 0;
        IEnumerable<int> units = Enumerable.Range(0, count);

        w.Line($"ref {t} w0 = ref Unsafe.Add(ref p, Weights + (u * Inputs));");
        for (int k = 1; k < count; k++)
        {
            w.Line($"ref {t} w{k} = ref Unsafe.Add(ref w{k - 1}, Inputs);");
        }

        if (vectorLoop)
        {
            w.Line($"Vector<{t}> {string.Join(", ", units.Select(k => $"s{k} = Vector<{t}>.Zero"))};");
            if (tail)
            {
                w.Line("int i = 0;");
                w.Line($"for (; i <= Inputs - Vector<{t}>.Count; i += Vector<{t}>.Count)");
            }
            else
            {
                w.Line($"for (int i = 0; i < Inputs; i += Vector<{t}>.Count)");
            }

            w.Line("{");
            if (count == 1)
            {
                w.Line($"    s0 += Vector.LoadUnsafe(ref w0, (nuint)i) * Vector.LoadUnsafe(ref x, (nuint)i);");
            }
            else
            {
                w.Line($"    Vector<{t}> xi = Vector.LoadUnsafe(ref x, (nuint)i);");
                foreach (int k in units)
                {
                    w.Line($"    s{k} += Vector.LoadUnsafe(ref w{k}, (nuint)i) * xi;");
                }
            }

            w.Line("}");
            w.Line();
            w.Line($"{t} {string.Join(", ", units.Select(k => $"z{k} = Vector.Sum(s{k})"))};");
        }
        else
        {
            w.Line($"{t} {string.Join(", ", units.Select(k => $"z{k} = {s.Literal(0)}"))};");
        }

        if (tail || !vectorLoop)
        {
            string loop = vectorLoop ? "for (; i < Inputs; i++)" : "for (int i = 0; i < Inputs; i++)";
            w.Line(vectorLoop
                ? $"// Scalar tail: {Int(inputs)} is not a multiple of every Vector<{t}>.Count."
                : $"// {Int(inputs)} input(s): fewer than the narrowest vector, so plain scalar code.");
            using (w.Block(loop))
            {
                if (count == 1)
                {
                    w.Line("z0 += Unsafe.Add(ref w0, i) * Unsafe.Add(ref x, i);");
                }
                else
                {
                    w.Line($"{t} xi = Unsafe.Add(ref x, i);");
                    foreach (int k in units)
                    {
                        w.Line($"z{k} += Unsafe.Add(ref w{k}, i) * xi;");
                    }
                }
            }
        }

        w.Line();
        foreach (int k in units)
        {
            string index = k == 0 ? "u" : $"u + {k}";
            if (layer.Spec.HasBias)
            {
                w.Line($"z{k} += Unsafe.Add(ref p, Bias + {index});");
            }
        }

        foreach (int k in units)
        {
            string index = k == 0 ? "u" : $"u + {k}";
            w.Line($"Unsafe.Add(ref z, {index}) = z{k};");
            w.Line($"Unsafe.Add(ref y, {index}) = {ActivationCall(plan, layer.Spec, $"z{k}")};");
        }
    }

    private static void EmitForwardTile(SourceWriter w, NetworkPlan plan)
    {
        string t = plan.Scalar.Name;
        int tile = NetworkPlan.BatchTile;
        w.Line($"/// <summary>Runs {tile} consecutive rows through every layer together. The caller has checked the span lengths.</summary>");
        using (w.Block($"public static void ForwardTile({t}[] parameters, ReadOnlySpan<{t}> inputs, Span<{t}> outputs, {t}[] scratch)"))
        {
            w.Lines($"""
                ref {t} p = ref MemoryMarshal.GetArrayDataReference(parameters);
                ref {t} x = ref MemoryMarshal.GetReference(inputs);
                ref {t} y = ref MemoryMarshal.GetReference(outputs);
                ref {t} a = ref MemoryMarshal.GetArrayDataReference(scratch);

                """);
            foreach (LayerPlan layer in plan.Layers)
            {
                if (!layer.IsDense)
                {
                    w.Line($"// Layer {layer.Number}: {Describe(layer)}.");
                    continue;
                }

                string source = layer.BatchSource < 0 ? "the input rows" : $"a[{Int(layer.BatchSource)}..{Int(layer.BatchSource + (tile * layer.InputSize))})";
                string target = layer.IsOutput ? "the output rows" : $"a[{Int(layer.BatchYOffset)}..{Int(layer.BatchYOffset + (tile * layer.OutputSize))})";
                w.Line($"// Layer {layer.Number}: {Describe(layer)}. Reads {source}, writes {target}.");
                w.Line($"Dense{layer.Number}Tile(ref p, {ScratchRef(layer.BatchSource)}, {(layer.IsOutput ? "ref y" : ScratchRef(layer.BatchYOffset))});");
            }
        }
    }

    /// <summary>
    /// A dense layer for a tile of rows: each vector of a weight row is loaded once and used for every row of the
    /// tile. The sums run in the same order as in the one-row kernel, so results are identical.
    /// </summary>
    private static void EmitDenseTile(SourceWriter w, NetworkPlan plan, LayerPlan layer)
    {
        ScalarType s = plan.Scalar;
        string t = s.Name;
        LayerSpec spec = layer.Spec;
        int tile = NetworkPlan.BatchTile;
        var rows = Enumerable.Range(0, tile).ToList();
        bool vectorLoop = layer.InputSize >= s.MinVectorLanes;
        bool tail = layer.InputSize % s.MaxVectorLanes != 0;

        w.Line($"/// <summary>Layer {layer.Number} for {tile} rows at once (rows {Int(layer.InputSize)} apart in x, {Int(layer.OutputSize)} apart in y).</summary>");
        using (w.Block($"private static void Dense{layer.Number}Tile(ref {t} p, ref {t} x, ref {t} y)"))
        {
            string constants = $"const int Inputs = {Int(layer.InputSize)}, Units = {Int(layer.OutputSize)}, Weights = {Int(layer.WeightOffset)}";
            w.Line(constants + (spec.HasBias ? $", Bias = {Int(layer.BiasOffset)};" : ";"));
            if (spec.Activation == ActivationKind.PReLU)
            {
                w.Line($"{t} slope = Unsafe.Add(ref p, {Int(layer.SlopeOffset)}); // learned, one per layer");
            }

            for (int r = 1; r < tile; r++)
            {
                w.Line($"ref {t} x{r} = ref Unsafe.Add(ref {(r == 1 ? "x" : $"x{r - 1}")}, Inputs);");
            }

            w.Line();
            using (w.Block("for (int u = 0; u < Units; u++)"))
            {
                w.Line($"ref {t} w = ref Unsafe.Add(ref p, Weights + (u * Inputs));");
                string X(int r) => r == 0 ? "x" : $"x{r}";
                if (vectorLoop)
                {
                    w.Line($"Vector<{t}> {string.Join(", ", rows.Select(r => $"s{r} = Vector<{t}>.Zero"))};");
                    if (tail)
                    {
                        w.Line("int i = 0;");
                        w.Line($"for (; i <= Inputs - Vector<{t}>.Count; i += Vector<{t}>.Count)");
                    }
                    else
                    {
                        w.Line($"for (int i = 0; i < Inputs; i += Vector<{t}>.Count)");
                    }

                    w.Line("{");
                    w.Line($"    Vector<{t}> wi = Vector.LoadUnsafe(ref w, (nuint)i);");
                    foreach (int r in rows)
                    {
                        w.Line($"    s{r} += wi * Vector.LoadUnsafe(ref {X(r)}, (nuint)i);");
                    }

                    w.Line("}");
                    w.Line();
                    w.Line($"{t} {string.Join(", ", rows.Select(r => $"z{r} = Vector.Sum(s{r})"))};");
                }
                else
                {
                    w.Line($"{t} {string.Join(", ", rows.Select(r => $"z{r} = {s.Literal(0)}"))};");
                }

                if (tail || !vectorLoop)
                {
                    using (w.Block(vectorLoop ? "for (; i < Inputs; i++)" : "for (int i = 0; i < Inputs; i++)"))
                    {
                        w.Line($"{t} wi = Unsafe.Add(ref w, i);");
                        foreach (int r in rows)
                        {
                            w.Line($"z{r} += wi * Unsafe.Add(ref {X(r)}, i);");
                        }
                    }
                }

                w.Line();
                if (spec.HasBias)
                {
                    w.Line($"{t} b = Unsafe.Add(ref p, Bias + u);");
                }

                foreach (int r in rows)
                {
                    string z = spec.HasBias ? $"z{r} + b" : $"z{r}";
                    string index = r == 0 ? "u" : r == 1 ? "Units + u" : $"({r} * Units) + u";
                    w.Line($"Unsafe.Add(ref y, {index}) = {ActivationCall(plan, spec, z)};");
                }
            }

            if (spec.Activation == ActivationKind.Softmax)
            {
                w.Line();
                w.Line("// Softmax over each row's logits.");
                foreach (int r in rows)
                {
                    w.Line(r == 0 ? "SoftmaxInPlace(ref y, Units);" : $"SoftmaxInPlace(ref Unsafe.Add(ref y, {(r == 1 ? "Units" : $"{r} * Units")}), Units);");
                }
            }
        }
    }

    /// <summary>The expression that applies a layer's activation to <paramref name="z"/>; Softmax applies later, over the row.</summary>
    private static string ActivationCall(NetworkPlan plan, LayerSpec layer, string z) => layer.Activation switch
    {
        ActivationKind.Linear or ActivationKind.Softmax => z,
        ActivationKind.LeakyReLU or ActivationKind.ELU => $"{layer.Activation}({z}, {plan.Scalar.Literal(layer.Alpha)})",
        ActivationKind.PReLU => $"LeakyReLU({z}, slope)",
        _ => $"{layer.Activation}({z})",
    };

    private static string ActivationName(ActivationKind activation) => activation switch
    {
        ActivationKind.Linear => "",
        _ => activation.ToString(),
    };

    private static void EmitHelpers(SourceWriter w, NetworkPlan plan)
    {
        ScalarType s = plan.Scalar;
        string t = s.Name, m = s.MathClass;
        string L(double value) => s.Literal(value);
        var used = new HashSet<ActivationKind>(plan.Layers.Where(l => l.IsDense).Select(l => l.Spec.Activation));
        const string Inline = "[MethodImpl(MethodImplOptions.AggressiveInlining)]";

        void Helper(string summary, string signature, string body)
        {
            w.Line();
            w.Line($"/// <summary>{summary}</summary>");
            w.Line(Inline);
            w.Line($"private static {t} {signature} => {body};");
        }

        foreach (ActivationKind activation in used.OrderBy(a => a))
        {
            switch (activation)
            {
                case ActivationKind.Sigmoid:
                    Helper("1 / (1 + e^-z): e^-z overflows to infinity for very negative z, giving exactly 0.", $"Sigmoid({t} z)",
                        $"{L(1)} / ({L(1)} + {m}.Exp(-z))");
                    break;
                case ActivationKind.Tanh:
                    Helper("tanh z.", $"Tanh({t} z)", $"{m}.Tanh(z)");
                    break;
                case ActivationKind.ReLU:
                    Helper("max(0, z); NaN stays NaN.", $"ReLU({t} z)", $"{m}.Max(z, {L(0)})");
                    break;
                case ActivationKind.LeakyReLU:
                case ActivationKind.PReLU:
                    Helper("z for z &gt; 0, slope * z otherwise (LeakyReLU with a fixed slope, PReLU with the learned one).",
                        $"LeakyReLU({t} z, {t} slope)", $"z > {L(0)} ? z : slope * z");
                    break;
                case ActivationKind.ELU:
                    Helper("z for z &gt; 0, alpha (e^z - 1) otherwise.", $"ELU({t} z, {t} alpha)", $"z > {L(0)} ? z : alpha * ({m}.Exp(z) - {L(1)})");
                    break;
                case ActivationKind.SELU:
                    Helper("λ z for z &gt; 0, λ α (e^z - 1) otherwise, with λ = 1.0507009873554805 and λ α = 1.7580993408473766.",
                        $"SELU({t} z)", $"z > {L(0)} ? {L(1.0507009873554805)} * z : {L(1.7580993408473766)} * ({m}.Exp(z) - {L(1)})");
                    break;
                case ActivationKind.Softplus:
                    Helper("ln(1 + e^z), as PyTorch: the identity above z = 20, where the two agree to rounding.", $"Softplus({t} z)",
                        $"z > {L(20)} ? z : Log1P({m}.Exp(z))");
                    break;
                case ActivationKind.GELU:
                    Helper("0.5 z (1 + tanh(sqrt(2/π) (z + 0.044715 z^3))): PyTorch's GELU with approximate='tanh'.", $"GELU({t} z)",
                        $"{L(0.5)} * z * ({L(1)} + {m}.Tanh({L(0.7978845608028654)} * (z + ({L(0.044715)} * z * z * z))))");
                    break;
                case ActivationKind.SiLU:
                    Helper("z sigmoid(z).", $"SiLU({t} z)", $"z / ({L(1)} + {m}.Exp(-z))");
                    break;
                case ActivationKind.PiecewiseLinear:
                    Helper("0 for z ≤ -1/2, z + 1/2 in between, 1 for z ≥ 1/2.", $"PiecewiseLinear({t} z)",
                        $"{m}.Min({m}.Max(z + {L(0.5)}, {L(0)}), {L(1)})");
                    break;
                case ActivationKind.Step:
                    Helper("Heaviside step: 0 below zero, 0.5 at zero, 1 above.", $"Step({t} z)",
                        $"z > {L(0)} ? {L(1)} : z < {L(0)} ? {L(0)} : {L(0.5)}");
                    break;
                case ActivationKind.Sign:
                    Helper("-1, 0 or 1 by the sign of z (±0 and NaN pass through).", $"Sign({t} z)",
                        $"z > {L(0)} ? {L(1)} : z < {L(0)} ? {L(-1)} : z");
                    break;
                case ActivationKind.Softmax:
                    w.Line();
                    w.Lines($$"""
                        /// <summary>Replaces the <paramref name="length"/> logits at <paramref name="y"/> with e^(z - max) / Σ e^(z - max).</summary>
                        private static void SoftmaxInPlace(ref {{t}} y, int length)
                        {
                            {{t}} max = y;
                            for (int i = 1; i < length; i++)
                            {
                                max = {{m}}.Max(max, Unsafe.Add(ref y, i));
                            }

                            {{t}} sum = {{L(0)}};
                            for (int i = 0; i < length; i++)
                            {
                                {{t}} e = {{m}}.Exp(Unsafe.Add(ref y, i) - max);
                                Unsafe.Add(ref y, i) = e;
                                sum += e;
                            }

                            {{t}} scale = {{L(1)}} / sum;
                            for (int i = 0; i < length; i++)
                            {
                                Unsafe.Add(ref y, i) *= scale;
                            }
                        }
                        """);
                    break;
            }
        }

        bool fusedBinaryCrossEntropy = plan.Spec.IsTrainable && IsFusedOutput(plan) && plan.Spec.Loss == LossKind.BinaryCrossEntropy;
        if (used.Contains(ActivationKind.Softplus) || fusedBinaryCrossEntropy)
        {
            w.Line();
            w.Lines($$"""
                /// <summary>ln(1 + u) without losing the digits of a small u: ln(v) * u / (v - 1) with v = 1 + u cancels the rounding of v.</summary>
                private static {{t}} Log1P({{t}} u)
                {
                    {{t}} v = {{L(1)}} + u;
                    return v == {{L(1)}} ? u : {{m}}.Log(v) * (u / (v - {{L(1)}}));
                }
                """);
        }

        if (NetworkParser.HasPredictClass(plan.Spec) && plan.OutputSize > 1)
        {
            w.Line();
            w.Lines($$"""
                /// <summary>The index of the largest value; the first one on ties.</summary>
                public static int ArgMax(ReadOnlySpan<{{t}}> values)
                {
                    int best = 0;
                    for (int i = 1; i < values.Length; i++)
                    {
                        if (values[i] > values[best])
                        {
                            best = i;
                        }
                    }

                    return best;
                }
                """);
        }
    }
}
