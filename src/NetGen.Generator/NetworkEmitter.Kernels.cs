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
                    EmitDense(w, plan, layer, rows: 1);
                    w.Line();
                    EmitDense(w, plan, layer, rows: NetworkPlan.BatchTile);
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

    private static void EmitForward(SourceWriter w, NetworkPlan plan) =>
        EmitPass(w, plan,
            "Runs one row through every layer (dropout is the identity). The caller has checked the span lengths.",
            "Forward", "input", "output",
            layer => (layer.InferenceSource < 0 ? "the input" : Range(layer.InferenceSource, layer.InputSize),
                      layer.IsOutput ? "the output row" : Range(layer.YOffset, layer.OutputSize),
                      $"Dense{layer.Number}(ref p, {ScratchRef(layer.InferenceSource)}, {ScratchRef(layer.ZOffset)}, {(layer.IsOutput ? "ref y" : ScratchRef(layer.YOffset))});"));

    private static void EmitForwardTile(SourceWriter w, NetworkPlan plan) =>
        EmitPass(w, plan,
            $"Runs {NetworkPlan.BatchTile} consecutive rows through every layer together. The caller has checked the span lengths.",
            "ForwardTile", "inputs", "outputs",
            layer => (layer.BatchSource < 0 ? "the input rows" : Range(layer.BatchSource, NetworkPlan.BatchTile * layer.InputSize),
                      layer.IsOutput ? "the output rows" : Range(layer.BatchYOffset, NetworkPlan.BatchTile * layer.OutputSize),
                      $"Dense{layer.Number}Tile(ref p, {ScratchRef(layer.BatchSource)}, {(layer.IsOutput ? "ref y" : ScratchRef(layer.BatchYOffset))});"));

    /// <summary>An inference entry point: refs to the parameters, rows and scratch, then one call per dense layer.</summary>
    private static void EmitPass(SourceWriter w, NetworkPlan plan, string summary, string name, string input, string output,
        System.Func<LayerPlan, (string Source, string Target, string Call)> step)
    {
        string t = plan.Scalar.Name;
        w.Line($"/// <summary>{summary}</summary>");
        using (w.Block($"public static void {name}({t}[] parameters, ReadOnlySpan<{t}> {input}, Span<{t}> {output}, {t}[] scratch)"))
        {
            w.Lines($"""
                ref {t} p = ref MemoryMarshal.GetArrayDataReference(parameters);
                ref {t} x = ref MemoryMarshal.GetReference({input});
                ref {t} y = ref MemoryMarshal.GetReference({output});
                ref {t} a = ref MemoryMarshal.GetArrayDataReference(scratch);

                """);
            foreach (LayerPlan layer in plan.Layers)
            {
                if (!layer.IsDense)
                {
                    w.Line($"// Layer {layer.Number}: {Describe(layer)}.");
                    continue;
                }

                (string source, string target, string call) = step(layer);
                w.Line($"// Layer {layer.Number}: {Describe(layer)}. Reads {source}, writes {target}.");
                w.Line(call);
            }
        }
    }

    private static string Range(int offset, int length) => $"a[{Int(offset)}..{Int(offset + length)})";

    /// <summary>A ref to scratch offset <paramref name="offset"/>, or to the input row for -1.</summary>
    private static string ScratchRef(int offset) =>
        offset < 0 ? "ref x" : offset == 0 ? "ref a" : $"ref Unsafe.Add(ref a, {Int(offset)})";

    /// <summary>
    /// A dense layer's forward kernel for one row (<paramref name="rows"/> = 1: <c>DenseN</c>, which also keeps the
    /// pre-activations z for backpropagation) or for a tile of rows (<c>DenseNTile</c>, for PredictBatch).
    /// </summary>
    private static void EmitDense(SourceWriter w, NetworkPlan plan, LayerPlan layer, int rows)
    {
        string t = plan.Scalar.Name;
        LayerSpec spec = layer.Spec;
        int units = layer.OutputSize;
        bool tile = rows > 1;
        string formula = spec.Activation == ActivationKind.Softmax
            ? $"y = softmax(W x{(spec.HasBias ? " + b" : "")})"
            : $"y[u] = {ActivationName(spec.Activation)}(Σ_i W[u, i] x[i]{(spec.HasBias ? " + b[u]" : "")})";

        w.Line(tile
            ? $"/// <summary>Layer {layer.Number} for {rows} rows at once (rows {Int(layer.InputSize)} apart in x, {Int(units)} apart in y): each vector of W is loaded once for all {rows}.</summary>"
            : $"/// <summary>Layer {layer.Number}: {Describe(layer)}. {formula}; z keeps the pre-activations for backpropagation.</summary>");
        string signature = tile
            ? $"private static void Dense{layer.Number}Tile(ref {t} p, ref {t} x, ref {t} y)"
            : $"private static void Dense{layer.Number}(ref {t} p, ref {t} x, ref {t} z, ref {t} y)";
        using (w.Block(signature))
        {
            w.Line($"const int Inputs = {Int(layer.InputSize)}, Units = {Int(units)}, Weights = {Int(layer.WeightOffset)}" +
                   (spec.HasBias ? $", Bias = {Int(layer.BiasOffset)};" : ";"));
            if (spec.Activation == ActivationKind.PReLU)
            {
                w.Line($"{t} slope = Unsafe.Add(ref p, {Int(layer.SlopeOffset)}); // learned, one per layer");
            }

            for (int r = 1; r < rows; r++)
            {
                w.Line($"ref {t} x{r} = ref Unsafe.Add(ref {RowRef(r - 1)}, Inputs);");
            }

            w.Line("int u = 0;");
            int block = tile ? 1 : UnitBlock;
            if (units >= block && block > 1)
            {
                w.Line();
                w.Line($"// {block} units at a time: each vector of x is loaded once for {block} rows of W.");
                using (w.Block($"for (; u <= Units - {block}; u += {block})"))
                {
                    EmitDotBlock(w, plan, layer, block, rows);
                }
            }

            int rest = units % block;
            if (block == 1 || rest != 0)
            {
                w.Line();
                if (!tile)
                {
                    w.Line(units < block ? "// One unit at a time." : rest == 1 ? "// The last unit." : $"// The last {rest} units, one at a time.");
                }

                using (w.Block("for (; u < Units; u++)"))
                {
                    EmitDotBlock(w, plan, layer, 1, rows);
                }
            }

            if (spec.Activation == ActivationKind.Softmax)
            {
                w.Line();
                w.Line(tile ? "// Softmax over each row's logits." : "// Softmax over the layer's logits, shifted by the largest so that no exponent overflows.");
                for (int r = 0; r < rows; r++)
                {
                    w.Line($"SoftmaxInPlace(ref {OutputRowRef(r)}, Units);");
                }
            }
        }
    }

    private static string RowRef(int row) => row == 0 ? "x" : $"x{row}";

    private static string OutputRowRef(int row) => row == 0 ? "y" : $"Unsafe.Add(ref y, {(row == 1 ? "Units" : $"{row} * Units")})";

    /// <summary>
    /// The body of the unit loop for a block of <paramref name="units"/> units starting at u and <paramref name="rows"/>
    /// rows: one Vector&lt;T&gt; accumulator per (unit, row), a scalar tail only when Inputs is not a multiple of every
    /// possible vector width, then bias and activation. Each (unit, row) sum runs over i in the same order whatever
    /// the block's shape, so one-row and tile kernels give identical results.
    /// </summary>
    private static void EmitDotBlock(SourceWriter w, NetworkPlan plan, LayerPlan layer, int units, int rows)
    {
        ScalarType s = plan.Scalar;
        string t = s.Name;
        bool vectorLoop = layer.InputSize >= s.MinVectorLanes;
        bool tail = layer.InputSize % s.MaxVectorLanes != 0;
        var pairs = (from k in Enumerable.Range(0, units) from r in Enumerable.Range(0, rows) select (Unit: k, Row: r, Index: (k * rows) + r)).ToList();

        w.Line($"ref {t} w0 = ref Unsafe.Add(ref p, Weights + (u * Inputs));");
        for (int k = 1; k < units; k++)
        {
            w.Line($"ref {t} w{k} = ref Unsafe.Add(ref w{k - 1}, Inputs);");
        }

        if (vectorLoop)
        {
            w.Line($"Vector<{t}> {string.Join(", ", pairs.Select(q => $"s{q.Index} = Vector<{t}>.Zero"))};");
            if (tail)
            {
                w.Line("int i = 0;");
            }

            w.Line(tail
                ? $"for (; i <= Inputs - Vector<{t}>.Count; i += Vector<{t}>.Count)"
                : $"for (int i = 0; i < Inputs; i += Vector<{t}>.Count)");
            w.Line("{");
            if (units == 1 && rows == 1)
            {
                w.Line("    s0 += Vector.LoadUnsafe(ref w0, (nuint)i) * Vector.LoadUnsafe(ref x, (nuint)i);");
            }
            else if (rows == 1)
            {
                w.Line($"    Vector<{t}> xi = Vector.LoadUnsafe(ref x, (nuint)i);");
                foreach (var q in pairs)
                {
                    w.Line($"    s{q.Index} += Vector.LoadUnsafe(ref w{q.Unit}, (nuint)i) * xi;");
                }
            }
            else
            {
                w.Line($"    Vector<{t}> wi = Vector.LoadUnsafe(ref w0, (nuint)i);");
                foreach (var q in pairs)
                {
                    w.Line($"    s{q.Index} += wi * Vector.LoadUnsafe(ref {RowRef(q.Row)}, (nuint)i);");
                }
            }

            w.Line("}");
            w.Line();
            w.Line($"{t} {string.Join(", ", pairs.Select(q => $"z{q.Index} = Vector.Sum(s{q.Index})"))};");
        }
        else
        {
            w.Line($"{t} {string.Join(", ", pairs.Select(q => $"z{q.Index} = {s.Literal(0)}"))};");
        }

        if (tail || !vectorLoop)
        {
            w.Line(vectorLoop
                ? $"// Scalar tail: {Int(layer.InputSize)} is not a multiple of every Vector<{t}>.Count."
                : $"// {Int(layer.InputSize)} input(s): fewer than the narrowest vector, so plain scalar code.");
            using (w.Block(vectorLoop ? "for (; i < Inputs; i++)" : "for (int i = 0; i < Inputs; i++)"))
            {
                if (units == 1 && rows == 1)
                {
                    w.Line("z0 += Unsafe.Add(ref w0, i) * Unsafe.Add(ref x, i);");
                }
                else if (rows == 1)
                {
                    w.Line($"{t} xi = Unsafe.Add(ref x, i);");
                    foreach (var q in pairs)
                    {
                        w.Line($"z{q.Index} += Unsafe.Add(ref w{q.Unit}, i) * xi;");
                    }
                }
                else
                {
                    w.Line($"{t} wi = Unsafe.Add(ref w0, i);");
                    foreach (var q in pairs)
                    {
                        w.Line($"z{q.Index} += wi * Unsafe.Add(ref {RowRef(q.Row)}, i);");
                    }
                }
            }
        }

        w.Line();
        foreach (var q in pairs)
        {
            if (layer.Spec.HasBias)
            {
                w.Line($"z{q.Index} += Unsafe.Add(ref p, Bias + {UnitIndex(q.Unit)});");
            }
        }

        foreach (var q in pairs)
        {
            string index = q.Row == 0 ? UnitIndex(q.Unit) : $"{(q.Row == 1 ? "Units" : $"({q.Row} * Units)")} + {UnitIndex(q.Unit)}";
            if (rows == 1)
            {
                w.Line($"Unsafe.Add(ref z, {index}) = z{q.Index};");
            }

            w.Line($"Unsafe.Add(ref y, {index}) = {ActivationCall(plan, layer.Spec, $"z{q.Index}")};");
        }
    }

    private static string UnitIndex(int unit) => unit == 0 ? "u" : $"u + {unit}";

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
                case ActivationKind.PReLU when used.Contains(ActivationKind.LeakyReLU):
                    break; // one helper serves both
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
