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
            w.Line($"/// <summary>The layers of <see cref=\"global::{plan.Spec.FullIdentifier}\"/>, each written out with its sizes as constants.</summary>");
            using (w.Block($"file static class {KernelsClassName(plan)}"))
            {
                EmitScratchLayout(w, plan);
                EmitForward(w, plan);
                w.Line();
                EmitForwardTile(w, plan);
                foreach (DenseLayerPlan layer in plan.DenseLayers)
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

                EmitHelpers(w, plan, derivatives: false);
            }
        }
    }

    private static void EmitScratchLayout(SourceWriter w, NetworkPlan plan)
    {
        var parts = plan.Layers
            .Select(l => l is DenseLayerPlan d
                ? $"layer {l.Number} z at {Int(d.Z.Offset)} and y at {Int(d.Y.Offset)}"
                : $"layer {l.Number} mask at {Int(((DropoutLayerPlan)l).Mask.Offset)} and y at {Int(((DropoutLayerPlan)l).Y.Offset)}")
            .ToList();
        w.Line("/// <summary>");
        w.Line($"/// Scratch for one row: {string.Join("; ", parts)};");
        w.Line($"/// gradient rows at {Int(plan.Scratch.GradientA.Offset)} and {Int(plan.Scratch.GradientB.Offset)}; a target row at {Int(plan.Scratch.Target.Offset)}.");
        w.Line("/// </summary>");
        w.Line($"public const int ScratchLength = {Int(plan.Scratch.Length)};");
        w.Line();
        w.Line("/// <summary>Where the output layer's values sit in the scratch buffer (PredictClass and training read them there).</summary>");
        w.Line($"public const int OutputRow = {Int(plan.OutputLayer.Y.Offset)};");
        w.Line();
    }

    private static void EmitForward(SourceWriter w, NetworkPlan plan) =>
        EmitPass(w, plan,
            "Runs one row through every layer (dropout is the identity). The caller has checked the span lengths.",
            "Forward", "input", "output",
            layer => (layer.InferenceInput is null ? "the input" : Range(layer.InferenceInput),
                      layer.IsOutput ? "the output row" : Range(layer.Y),
                      $"Dense{layer.Number}(ref p, {ScratchRef(layer.InferenceInput)}, {ScratchRef(layer.Z)}, {(layer.IsOutput ? "ref y" : ScratchRef(layer.Y))});"));

    private static void EmitForwardTile(SourceWriter w, NetworkPlan plan) =>
        EmitPass(w, plan,
            $"Runs {NetworkPlan.BatchTile} consecutive rows through every layer together. The caller has checked the span lengths.",
            "ForwardTile", "inputs", "outputs",
            layer => (layer.BatchInput is null ? "the input rows" : Range(layer.BatchInput),
                      layer.IsOutput || layer.BatchOutput is null ? "the output rows" : Range(layer.BatchOutput),
                      $"Dense{layer.Number}Tile(ref p, {ScratchRef(layer.BatchInput)}, {(layer.IsOutput ? "ref y" : ScratchRef(layer.BatchOutput))});"));

    /// <summary>An inference entry point: refs to the parameters, rows and scratch, then one call per dense layer.</summary>
    private static void EmitPass(SourceWriter w, NetworkPlan plan, string summary, string name, string input, string output,
        System.Func<DenseLayerPlan, (string Source, string Target, string Call)> step)
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
                if (layer is not DenseLayerPlan dense)
                {
                    w.Line($"// Layer {layer.Number}: {Describe(layer)}.");
                    continue;
                }

                (string source, string target, string call) = step(dense);
                w.Line($"// Layer {layer.Number}: {Describe(layer)}. Reads {source}, writes {target}.");
                w.Line(call);
            }
        }
    }

    private static string Range(ScratchSlot slot) => $"a[{Int(slot.Offset)}..{Int(slot.End)})";

    /// <summary>A ref to a scratch slot, or to the input row for null.</summary>
    private static string ScratchRef(ScratchSlot? slot) =>
        slot is null ? "ref x" : slot.Offset == 0 ? "ref a" : $"ref Unsafe.Add(ref a, {Int(slot.Offset)})";

    /// <summary>
    /// A dense layer's forward kernel for one row (<paramref name="rows"/> = 1: <c>DenseN</c>, which also keeps the
    /// pre-activations z for backpropagation) or for a tile of rows (<c>DenseNTile</c>, for PredictBatch).
    /// </summary>
    private static void EmitDense(SourceWriter w, NetworkPlan plan, DenseLayerPlan layer, int rows)
    {
        string t = plan.Scalar.Name;
        LayerSpec spec = layer.Spec;
        int units = layer.OutputSize;
        bool tile = rows > 1;
        string formula = layer.Activation.NormalisesRow
            ? $"y = {layer.Activation.Kind.ToString().ToLowerInvariant()}(W x{(spec.HasBias ? " + b" : "")})"
            : $"y[u] = {layer.Activation.FormulaName}(Σ_i W[u, i] x[i]{(spec.HasBias ? " + b[u]" : "")})";

        w.Line(tile
            ? $"/// <summary>Layer {layer.Number} for {rows} rows at once (rows {Int(layer.InputSize)} apart in x, {Int(units)} apart in y): each vector of W is loaded once for all {rows}.</summary>"
            : $"/// <summary>Layer {layer.Number}: {Describe(layer)}. {formula}; z keeps the pre-activations for backpropagation.</summary>");
        string signature = tile
            ? $"private static void Dense{layer.Number}Tile(ref {t} p, ref {t} x, ref {t} y)"
            : $"private static void Dense{layer.Number}(ref {t} p, ref {t} x, ref {t} z, ref {t} y)";
        using (w.Block(signature))
        {
            w.Line($"const int Inputs = {Int(layer.InputSize)}, Units = {Int(units)}, Weights = {Int(layer.Parameters.Weights.Offset)}" +
                   (spec.HasBias ? $", Bias = {Int(layer.Parameters.Bias!.Offset)};" : ";"));
            if (layer.Parameters.Slope is { } slopeOffset)
            {
                w.Line($"{t} slope = Unsafe.Add(ref p, {Int(slopeOffset)}); // learned, one per layer");
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

            if (layer.Activation.RowHelper is { } rowHelper)
            {
                w.Line();
                w.Line(tile ? "// Softmax over each row's logits." : "// Softmax over the layer's logits, shifted by the largest so that no exponent overflows.");
                for (int r = 0; r < rows; r++)
                {
                    w.Line($"{rowHelper.Name}(ref {OutputRowRef(r)}, Units);");
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
    private static void EmitDotBlock(SourceWriter w, NetworkPlan plan, DenseLayerPlan layer, int units, int rows)
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

            w.Line($"Unsafe.Add(ref y, {index}) = {ActivationCall(plan, layer, $"z{q.Index}")};");
        }
    }

    private static string UnitIndex(int unit) => unit == 0 ? "u" : $"u + {unit}";

    /// <summary>The expression that applies a layer's activation to <paramref name="z"/>; row-wise activations apply later, over the row.</summary>
    private static string ActivationCall(NetworkPlan plan, DenseLayerPlan layer, string z) =>
        layer.Activation.Forward is { } forward
            ? forward(new Operands(plan.Scalar, z, "", layer.Parameters.Slope is null ? plan.Scalar.Literal(layer.Alpha) : "slope"))
            : z;

    /// <summary>Every helper the network's kernels call, in catalog order: forward helpers, then the rest.</summary>
    private static void EmitHelpers(SourceWriter w, NetworkPlan plan, bool derivatives)
    {
        var helpers = new SortedDictionary<int, HelperCode>();
        void Add(HelperCode helper) => helpers[helper.Order] = helper;
        foreach (DenseLayerPlan layer in plan.DenseLayers)
        {
            ActivationEntry entry = layer.Activation;
            foreach (HelperCode helper in derivatives ? entry.DerivativeHelpers : entry.ForwardHelpers)
            {
                Add(helper);
            }

            if (!derivatives && entry.RowHelper is { } row)
            {
                Add(row);
            }
        }

        if (!derivatives)
        {
            if (plan.Training is { } training)
            {
                foreach (HelperCode helper in training.Entry.FormFor(plan.OutputLayer.Spec.Activation).Helpers)
                {
                    Add(helper);
                }
            }

            if (plan.PredictClass is { IsArgMax: true })
            {
                Add(SharedHelpers.ArgMax);
            }
        }

        foreach (HelperCode helper in helpers.Values)
        {
            w.Line();
            w.Lines(helper.Code(plan.Scalar));
        }
    }
}
