using System;
using System.Linq;
using System.Threading;

namespace NetGen.SourceGeneration;

/// <summary>The forward kernels: Forward and ForwardTile, one kernel per dense layer for a row and for a tile, dropout.</summary>
internal sealed partial class NetworkEmitter
{
    /// <summary>Units computed together in the main loop of a dense layer: each vector of x is loaded once for four rows of W.</summary>
    private const int UnitBlock = 4;

    private void WriteForwardKernels(CancellationToken cancellationToken)
    {
        _w.Line();
        WritePass("Runs one row through every layer (dropout is the identity). The caller has checked the span lengths.",
            "Forward", "input", "output",
            layer => (layer.InferenceInput is null ? "the input" : layer.InferenceInput.Name,
                      layer.IsOutput ? "the output row" : layer.Y.Name,
                      $"Dense{layer.Number}(ref p, {Ref(layer.InferenceInput)}, {(layer.IsOutput ? "ref y" : Ref(layer.Y))}{(layer.KeepsZ ? $", ref Unsafe.NullRef<{_t}>()" : "")});"));
        _w.Line();
        WritePass($"Runs {NetworkPlan.BatchTile} consecutive rows through every layer together. The caller has checked the span lengths.",
            "ForwardTile", "inputs", "outputs",
            layer => (layer.BatchInput is null ? "the input rows" : layer.BatchInput.Name,
                      layer.BatchOutput is null ? "the output rows" : layer.BatchOutput.Name,
                      $"Dense{layer.Number}Tile(ref p, {Ref(layer.BatchInput)}, {(layer.BatchOutput is null ? "ref y" : Ref(layer.BatchOutput))});"));
        foreach (DenseLayerPlan layer in _plan.DenseLayers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _w.Line();
            WriteDense(layer, rows: 1);
            _w.Line();
            WriteDense(layer, rows: NetworkPlan.BatchTile);
        }

        if (_plan.Training is not null)
        {
            foreach (DropoutLayerPlan layer in _plan.DropoutLayers)
            {
                _w.Line();
                WriteDropout(layer);
            }
        }
    }

    /// <summary>An inference entry point: refs to the parameters, rows and scratch, then one call per dense layer.</summary>
    private void WritePass(string summary, string name, string input, string output,
        Func<DenseLayerPlan, (string Source, string Target, string Call)> step)
    {
        _w.Line($"/// <summary>{summary}</summary>");
        using (_w.Block($"public static void {name}({_t}[] parameters, ReadOnlySpan<{_t}> {input}, Span<{_t}> {output}, {_t}[] scratch)"))
        {
            _w.Lines($"""
                ref {_t} p = ref MemoryMarshal.GetArrayDataReference(parameters);
                ref {_t} x = ref MemoryMarshal.GetReference({input});
                ref {_t} y = ref MemoryMarshal.GetReference({output});
                ref {_t} a = ref MemoryMarshal.GetArrayDataReference(scratch);

                """);
            foreach (LayerPlan layer in _plan.Layers)
            {
                if (layer is not DenseLayerPlan dense)
                {
                    _w.Line($"// Layer {layer.Number}: {Describe(layer)}.");
                    continue;
                }

                (string source, string target, string call) = step(dense);
                _w.Line($"// Layer {layer.Number}: {Describe(layer)}. Reads {source}, writes {target}.");
                _w.Line(call);
            }
        }
    }

    /// <summary>
    /// A dense layer's forward kernel for one row (<paramref name="rows"/> = 1: <c>DenseN</c>, which also keeps the
    /// pre-activations z when training reads them and the caller passes a z) or for a tile of rows (<c>DenseNTile</c>).
    /// </summary>
    private void WriteDense(DenseLayerPlan layer, int rows)
    {
        LayerSpec spec = layer.Spec;
        ActivationEntry activation = layer.Activation;
        _helpers.Add(activation.ForwardHelpers);

        int units = layer.OutputSize;
        bool tile = rows > 1;
        bool keepZ = !tile && layer.KeepsZ;
        string formula = activation.NormalisesRow
            ? $"y = {activation.Kind.ToString().ToLowerInvariant()}(W x{(spec.HasBias ? " + b" : "")})"
            : $"y[u] = {activation.FormulaName}(Σ_i W[u, i] x[i]{(spec.HasBias ? " + b[u]" : "")})";

        _w.Line(tile
            ? $"/// <summary>Layer {layer.Number} for {rows} rows at once (rows {Int(layer.InputSize)} apart in x, {Int(units)} apart in y): each vector of W is loaded once for all {rows}.</summary>"
            : $"/// <summary>Layer {layer.Number}: {Describe(layer)}. {formula}{(keepZ ? "; training passes z to keep the pre-activations for backpropagation" : "")}.</summary>");
        using (_w.Block(tile
            ? $"private static void Dense{layer.Number}Tile(ref {_t} p, ref {_t} x, ref {_t} y)"
            : $"private static void Dense{layer.Number}(ref {_t} p, ref {_t} x, ref {_t} y{(keepZ ? $", ref {_t} z" : "")})"))
        {
            _w.Line($"const int Inputs = {Int(layer.InputSize)}, Units = {Int(units)}, Weights = {Int(layer.Parameters.Weights.Offset)}" +
                    (layer.Parameters.Bias is { } bias ? $", Bias = {Int(bias.Offset)};" : ";"));
            if (layer.Parameters.Slope is { } slope)
            {
                _w.Line($"{_t} slope = Unsafe.Add(ref p, {Int(slope)}); // learned, one per layer");
            }

            if (keepZ)
            {
                _w.Line("bool keepZ = !Unsafe.IsNullRef(ref z); // Predict passes no z");
            }

            for (int r = 1; r < rows; r++)
            {
                _w.Line($"ref {_t} x{r} = ref Unsafe.Add(ref {RowRef(r - 1)}, Inputs);");
            }

            _w.Line("int u = 0;");
            int block = tile ? 1 : UnitBlock;
            if (units >= block && block > 1)
            {
                _w.Line();
                _w.Line($"// {block} units at a time: each vector of x is loaded once for {block} rows of W.");
                using (_w.Block($"for (; u <= Units - {block}; u += {block})"))
                {
                    WriteDotBlock(layer, block, rows, keepZ);
                }
            }

            int rest = units % block;
            if (block == 1 || rest != 0)
            {
                _w.Line();
                if (!tile)
                {
                    _w.Line(units < block ? "// One unit at a time." : rest == 1 ? "// The last unit." : $"// The last {rest} units, one at a time.");
                }

                using (_w.Block("for (; u < Units; u++)"))
                {
                    WriteDotBlock(layer, 1, rows, keepZ);
                }
            }

            if (activation.RowHelper is { } rowHelper)
            {
                _helpers.Add(rowHelper);
                _w.Line();
                _w.Line(tile ? "// Softmax over each row's logits." : "// Softmax over the layer's logits, shifted by the largest so that no exponent overflows.");
                for (int r = 0; r < rows; r++)
                {
                    _w.Line($"{rowHelper.Name}(ref {OutputRowRef(r)}, Units);");
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
    private void WriteDotBlock(DenseLayerPlan layer, int units, int rows, bool keepZ)
    {
        bool vectorLoop = layer.InputSize >= _s.MinVectorLanes;
        bool tail = layer.InputSize % _s.MaxVectorLanes != 0;
        var pairs = (from k in Enumerable.Range(0, units) from r in Enumerable.Range(0, rows) select (Unit: k, Row: r, Index: (k * rows) + r)).ToList();

        _w.Line($"ref {_t} w0 = ref Unsafe.Add(ref p, Weights + (u * Inputs));");
        for (int k = 1; k < units; k++)
        {
            _w.Line($"ref {_t} w{k} = ref Unsafe.Add(ref w{k - 1}, Inputs);");
        }

        // One step of i: each (unit, row) sum gains w[u, i] x[i]; rows == 1 shares each x for several units, a tile
        // shares each w for several rows. Vector loads in the main loop, scalar reads in the tail.
        void Products(Func<string, string> load, string type, string sum)
        {
            if (units == 1 && rows == 1)
            {
                _w.Line($"{sum}0 += {load("w0")} * {load("x")};");
                return;
            }

            _w.Line(rows == 1 ? $"{type} xi = {load("x")};" : $"{type} wi = {load("w0")};");
            foreach (var q in pairs)
            {
                _w.Line(rows == 1 ? $"{sum}{q.Index} += {load($"w{q.Unit}")} * xi;" : $"{sum}{q.Index} += wi * {load(RowRef(q.Row))};");
            }
        }

        if (vectorLoop)
        {
            _w.Line($"{_s.Vector} {string.Join(", ", pairs.Select(q => $"s{q.Index} = {_s.Vector}.Zero"))};");
            if (tail)
            {
                _w.Line("int i = 0;");
            }

            using (_w.Block(tail ? $"for (; i <= Inputs - {_s.Vector}.Count; i += {_s.Vector}.Count)" : $"for (int i = 0; i < Inputs; i += {_s.Vector}.Count)"))
            {
                Products(r => $"{ScalarType.VectorClass}.LoadUnsafe(ref {r}, (nuint)i)", _s.Vector, "s");
            }

            _w.Line();
        }

        _w.Line($"{_t} {string.Join(", ", pairs.Select(q => vectorLoop ? $"z{q.Index} = {ScalarType.VectorClass}.Sum(s{q.Index})" : $"z{q.Index} = {_s.Literal(0)}"))};");
        if (tail || !vectorLoop)
        {
            _w.Line(vectorLoop
                ? $"// Scalar tail: {Int(layer.InputSize)} is not a multiple of every Vector<{_t}>.Count."
                : $"// {Int(layer.InputSize)} input(s): fewer than the narrowest vector, so plain scalar code.");
            using (_w.Block(vectorLoop ? "for (; i < Inputs; i++)" : "for (int i = 0; i < Inputs; i++)"))
            {
                Products(r => $"Unsafe.Add(ref {r}, i)", _t, "z");
            }
        }

        _w.Line();
        if (layer.HasBias)
        {
            foreach (var q in pairs)
            {
                _w.Line($"z{q.Index} += Unsafe.Add(ref p, Bias + {UnitIndex(q.Unit)});");
            }
        }

        if (keepZ)
        {
            using (_w.Block("if (keepZ)"))
            {
                foreach (var q in pairs)
                {
                    _w.Line($"Unsafe.Add(ref z, {UnitIndex(q.Unit)}) = z{q.Index};");
                }
            }

            _w.Line();
        }

        foreach (var q in pairs)
        {
            string index = q.Row == 0 ? UnitIndex(q.Unit) : $"{(q.Row == 1 ? "Units" : $"({q.Row} * Units)")} + {UnitIndex(q.Unit)}";
            _w.Line($"Unsafe.Add(ref y, {index}) = {ActivationCall(layer, $"z{q.Index}")};");
        }
    }

    private static string UnitIndex(int unit) => unit == 0 ? "u" : $"u + {unit}";

    /// <summary>The expression that applies a layer's activation to <paramref name="z"/>; row-wise activations apply later, over the row.</summary>
    private string ActivationCall(DenseLayerPlan layer, string z) =>
        layer.Activation.Forward is { } forward
            ? forward(new Operands(_s, z, "", layer.Parameters.Slope is null ? _s.Literal(layer.Alpha) : "slope"))
            : z;

    private void WriteDropout(DropoutLayerPlan layer)
    {
        double keep = layer.Rate < 1 ? 1 / (1 - layer.Rate) : 0;
        string rate = Double(layer.Rate).TrimEnd('d');
        _w.Line($"/// <summary>Layer {layer.Number}: Dropout {rate}. In training each value is zeroed with probability {rate} and the rest scaled by 1/(1 - {rate}) (inverted dropout); otherwise the mask is all ones.</summary>");
        using (_w.Block($"private static void Dropout{layer.Number}(ref {_t} x, ref {_t} mask, ref {_t} y, ref global::NetGen.SeededRandom random, bool active)"))
        {
            _w.Line($"const int Width = {Int(layer.InputSize)};");
            using (_w.Block("for (int i = 0; i < Width; i++)"))
            {
                _w.Line($"{_t} m = !active ? {_s.Literal(1)} : random.NextDouble() < {Double(layer.Rate)} ? {_s.Literal(0)} : {_s.Literal(keep)};");
                _w.Line("Unsafe.Add(ref mask, i) = m;");
                _w.Line("Unsafe.Add(ref y, i) = Unsafe.Add(ref x, i) * m;");
            }
        }
    }
}
