using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;

namespace NetGen.SourceGeneration.Weights;

/// <summary>
/// Checks a weights file against a network's plan and writes the file that embeds its values
/// (<c>Namespace.Type.NetGen.Weights.g.cs</c>): the bytes as RVA static data and the partial method the parameterless
/// constructor calls to copy them into the parameters (docs/shipping.md).
/// </summary>
internal static class WeightsEmitter
{
    /// <summary>The partial method the parameterless constructor calls; implemented in the weights file.</summary>
    public const string LoadMethod = NetworkPlanner.LoadEmbeddedWeights;

    private const string DecodeMethod = NetworkPlanner.DecodeEmbeddedWeights;

    /// <summary>
    /// The parameterless constructor, printed by <see cref="NetworkEmitter"/>: seed 0 without a weights file; with one,
    /// seed 0's optimizer and dropout state, then the embedded values over the random weights.
    /// </summary>
    public static string ParameterlessConstructor(NetworkPlan plan)
    {
        NetworkSpec spec = plan.Spec;
        if (spec.Weights is null)
        {
            return $$"""
                /// <summary>Creates the network with weights drawn from seed 0.</summary>
                public {{spec.TypeIdentifier}}()
                    : this(0)
                {
                }
                """;
        }

        if (spec.StandardizeInputs)
        {
            return $$"""
                /// <summary>
                /// Creates the network with the weights and the input standardizer compiled in from <c>{{Xml(spec.Weights)}}</c>
                /// at build time (no file is read at run time).
                /// </summary>
                public {{spec.TypeIdentifier}}()
                    : this(0)
                {
                    {{LoadMethod}}(_netgenParameters);
                    {{NetworkPlanner.LoadEmbeddedStandardizer}}(ref _netgenStandardizer);
                }

                // Implemented in the generated weights file; the build fails with NG0010 when the file does not fit, and with
                // NG0013 when it carries no standardizer.
                static partial void {{LoadMethod}}(global::System.Span<{{plan.Scalar.Name}}> parameters);

                static partial void {{NetworkPlanner.LoadEmbeddedStandardizer}}(ref global::NetGen.Standardizer? standardizer);
                """;
        }

        return $$"""
            /// <summary>Creates the network with the weights compiled in from <c>{{Xml(spec.Weights)}}</c> at build time (no file is read at run time).</summary>
            public {{spec.TypeIdentifier}}()
                : this(0)
            {
                {{LoadMethod}}(_netgenParameters);
            }

            // Implemented in the generated weights file; the build fails with NG0010 when the file does not fit.
            static partial void {{LoadMethod}}(global::System.Span<{{plan.Scalar.Name}}> parameters);
            """;
    }

    /// <summary>The canonical architecture text of <c>NetworkInfo.Fingerprint</c> (src/NetGen.Runtime/NetworkInfo.cs), from the plan.</summary>
    public static string Fingerprint(NetworkPlan plan)
    {
        var text = new StringBuilder();
        text.Append("in").Append(plan.Spec.InputSize.ToString(CultureInfo.InvariantCulture));
        foreach (LayerPlan layer in plan.Layers)
        {
            text.Append('|');
            if (layer is DropoutLayerPlan dropout)
            {
                text.Append("dropout").Append(dropout.Rate.ToString("R", CultureInfo.InvariantCulture));
                continue;
            }

            var dense = (DenseLayerPlan)layer;
            text.Append("dense").Append(dense.OutputSize.ToString(CultureInfo.InvariantCulture)).Append(':').Append(dense.Spec.Activation.ToString());
            if (dense.Activation.Facts.HasFixedAlpha)
            {
                text.Append('(').Append(dense.Alpha.ToString("R", CultureInfo.InvariantCulture)).Append(')');
            }

            text.Append(dense.HasBias ? ":b" : ":nb");
        }

        return text.Append('|').Append(plan.Spec.Precision == Precision.Double ? "double" : "single").ToString();
    }

    /// <summary>
    /// Places the file's tensors into the parameter vector. Returns the values in parameter order, or null with
    /// <paramref name="problem"/> saying which tensor does not fit and both shapes.
    /// </summary>
    public static double[]? Place(NetworkPlan plan, WeightFileContents contents, out string? problem, out List<(string Tensor, string Shape, int Offset, string Where)> placed)
    {
        var done = new List<(string Tensor, string Shape, int Offset, string Where)>();
        placed = done;
        var values = new double[plan.ParameterCount];
        if (contents.Onnx is not null)
        {
            // The graph check of Onnx.Import (src/NetGen.Runtime/Onnx/OnnxImporter.cs): the same code and messages, naming the node.
            try
            {
                values = OnnxImporter.Import(new NetworkInfo(plan), contents.Onnx);
            }
            catch (InvalidDataException e)
            {
                problem = e.Message;
                return null;
            }

            foreach (DenseLayerPlan layer in plan.DenseLayers)
            {
                string layerName = $"layer {Int(layer.Number)} (Dense {Int(layer.InputSize)} -> {Int(layer.OutputSize)}, {layer.Spec.Activation})";
                done.Add(("graph", FileTensor.FormatShape(new[] { layer.OutputSize, layer.InputSize }), layer.Parameters.Weights.Offset, layerName + " weight"));
                if (layer.Parameters.Bias is { } onnxBias)
                {
                    done.Add(("graph", FileTensor.FormatShape(new[] { layer.OutputSize }), onnxBias.Offset, layerName + " bias"));
                }

                if (layer.Parameters.Slope is { } onnxSlope)
                {
                    done.Add(("graph", "[1]", onnxSlope, layerName + " PReLU weight"));
                }
            }

            problem = null;
            return values;
        }

        if (contents.Fingerprint is not null)
        {
            string expected = Fingerprint(plan);
            if (contents.Fingerprint != expected)
            {
                problem = $"the model file was saved from the architecture {contents.Fingerprint}, but the network is {expected}";
                return null;
            }

            FileTensor all = contents.Tensors[0];
            if (all.Values.Length != values.Length)
            {
                problem = $"the model file holds {all.Values.Length} parameters, but the network has {values.Length}";
                return null;
            }

            all.Values.CopyTo(values, 0);
            done.Add((all.Name, all.ShapeText, 0, "every layer"));
            problem = null;
            return values;
        }

        List<FileTensor> queue = contents.Tensors.Where(t => !IsStandardizerTensor(t.Name)).OrderBy(t => t.Name, global::NetGen.TensorNameComparer.Instance).ToList();
        int next = 0;
        foreach (DenseLayerPlan layer in plan.DenseLayers)
        {
            string where = $"layer {layer.Number.ToString(CultureInfo.InvariantCulture)} (Dense {layer.InputSize.ToString(CultureInfo.InvariantCulture)} -> {layer.OutputSize.ToString(CultureInfo.InvariantCulture)}, {layer.Spec.Activation})";
            if (!Take(where, "weight", new[] { layer.OutputSize, layer.InputSize }, layer.Parameters.Weights.Offset, out problem)
                || (layer.Parameters.Bias is { } bias && !Take(where, "bias", new[] { layer.OutputSize }, bias.Offset, out problem))
                || (layer.Parameters.Slope is { } slope && !Take(where, "PReLU weight", new[] { 1 }, slope, out problem)))
            {
                return null;
            }
        }

        if (next < queue.Count)
        {
            problem = $"the network has no place for {(queue.Count - next).ToString(CultureInfo.InvariantCulture)} more tensor(s): " +
                string.Join(", ", queue.Skip(next).Select(t => $"'{t.Name}' {t.ShapeText}"));
            return null;
        }

        problem = null;
        return values;

        bool Take(string where, string part, int[] shape, int offset, out string? why)
        {
            string wanted = FileTensor.FormatShape(shape);
            if (next >= queue.Count)
            {
                why = $"{where} needs a {part} of shape {wanted}, but the file has no tensors left";
                return false;
            }

            FileTensor tensor = queue[next++];
            if (!tensor.Shape.SequenceEqual(shape))
            {
                string hint = shape.Length == 2 && tensor.Shape.Length == 2 && tensor.Shape[0] == shape[1] && tensor.Shape[1] == shape[0]
                    ? " (it looks transposed: NetGen, like torch.nn.Linear, stores weights as [out, in])"
                    : "";
                why = $"{where} needs a {part} of shape {wanted}; tensor '{tensor.Name}' has shape {tensor.ShapeText}{hint}";
                return false;
            }

            tensor.Values.CopyTo(values, offset);
            done.Add((tensor.Name, tensor.ShapeText, offset, $"{where} {part}"));
            why = null;
            return true;
        }
    }

    /// <summary>The optional tensors of a safetensors file or <c>.npz</c> archive that hold a standardizer (as <c>WeightImport</c>'s).</summary>
    public const string StandardizerMeanTensor = "netgen.standardizer.mean", StandardizerStdTensor = "netgen.standardizer.std";

    private static bool IsStandardizerTensor(string name) => name is StandardizerMeanTensor or StandardizerStdTensor;

    /// <summary>
    /// The standardizer a weights file carries: a model file's section or the two <c>netgen.standardizer.*</c> tensors.
    /// Null with <paramref name="problem"/> null when it carries none; null with a problem when what it carries does not
    /// fit the network's inputs or is not usable statistics.
    /// </summary>
    public static (double[] Means, double[] Deviations)? Standardizer(NetworkPlan plan, WeightFileContents contents, out string? problem)
    {
        problem = null;
        int n = plan.InputSize;
        (double[] Means, double[] Deviations)? found = contents.Standardizer;
        string where = "the model file's standardizer";
        if (found is null)
        {
            FileTensor? mean = contents.Tensors.FirstOrDefault(t => t.Name == StandardizerMeanTensor);
            FileTensor? std = contents.Tensors.FirstOrDefault(t => t.Name == StandardizerStdTensor);
            if (mean is null && std is null)
            {
                return null;
            }

            if (mean is null || std is null)
            {
                problem = $"it has the tensor '{(mean ?? std)!.Name}' but not '{(mean is null ? StandardizerMeanTensor : StandardizerStdTensor)}'; a standardizer needs both";
                return null;
            }

            foreach (FileTensor tensor in new[] { mean, std })
            {
                if (tensor.Shape.Length != 1 || tensor.Shape[0] != n)
                {
                    problem = $"the network takes {Int(n)} inputs, so the tensor '{tensor.Name}' needs shape [{Int(n)}]; it has shape {tensor.ShapeText}";
                    return null;
                }
            }

            found = (mean.Values, std.Values);
            where = "the standardizer tensors";
        }

        (double[] means, double[] deviations) = found.Value;
        if (means.Length != n)
        {
            problem = $"{where} hold {Int(means.Length)} features, but the network takes {Int(n)} inputs";
            return null;
        }

        for (int c = 0; c < n; c++)
        {
            if (double.IsNaN(means[c]) || double.IsInfinity(means[c]))
            {
                problem = $"{where} give feature {Int(c)} the mean {Double(means[c])}; means must be finite";
                return null;
            }

            if (double.IsNaN(deviations[c]) || double.IsInfinity(deviations[c]) || deviations[c] <= 0)
            {
                problem = $"{where} give feature {Int(c)} the deviation {Double(deviations[c])}; deviations must be finite and positive";
                return null;
            }
        }

        return found;
    }

    /// <summary>
    /// The weights file's source: a header saying where the values came from, then the copy method. Each tensor's bytes
    /// are one base64 UTF-8 literal (<c>"..."u8</c>, C# 11, which the generated network file needs anyway), decoded into
    /// its slice of the parameters. A UTF-8 literal is static data in the assembly image, like a constant byte array, and
    /// the compiler reads it about four times faster than the same bytes as an array initializer (docs/shipping.md,
    /// "Builds and the IDE").
    /// </summary>
    public static string Emit(NetworkPlan plan, string fileName, string format, string checksum, double[] values,
        List<(string Tensor, string Shape, int Offset, string Where)> placed, CancellationToken cancellationToken,
        (double[] Means, double[] Deviations)? standardizer = null)
    {
        NetworkSpec spec = plan.Spec;
        bool single = spec.Precision != Precision.Double;
        int width = single ? 4 : 8;
        string t = plan.Scalar.Name;
        byte[] bytes = new byte[values.Length * width];
        for (int i = 0; i < values.Length; i++)
        {
            long bits = single ? new SingleBits { Value = (float)values[i] }.Bits : BitConverter.DoubleToInt64Bits(values[i]);
            for (int b = 0; b < width; b++)
            {
                bytes[(i * width) + b] = (byte)(bits >> (8 * b));
            }
        }

        uint crc = Crc32.Append(0, bytes);
        var w = new SourceWriter();
        w.Line("// <auto-generated/>");
        w.Line($"// The weights of {spec.FullName}, compiled in by NetGen at build time from {Comment(fileName)}");
        w.Line($"// ({format}, SHA-256 {checksum}).");
        w.Line("// Tensors, in the order they fill the parameters:");
        foreach ((string tensor, string shape, int offset, string where) in placed)
        {
            w.Line($"//   {Comment(tensor)} {shape} -> parameters from {Int(offset)}, {where}");
        }

        if (standardizer is not null)
        {
            w.Line($"// The input standardizer: {Int(standardizer.Value.Means.Length)} means and deviations, as doubles.");
        }

        w.Line($"// {Int(values.Length)} {t} values, {Int(bytes.Length)} bytes little-endian, CRC-32 0x{crc:X8}, stored below as base64");
        w.Line("// (RFC 4648) text in one UTF-8 literal per tensor: static data in the assembly image, decoded with no allocation.");
        w.Line("// Replace the weights file, not this file: it is rewritten on every build.");
        w.Line("#nullable enable");
        w.Line();

        var blocks = new Stack<IDisposable>();
        if (spec.Namespace is not null)
        {
            blocks.Push(w.Block($"namespace {spec.NamespaceIdentifier}"));
        }

        foreach (ContainingTypeSpec outer in spec.ContainingTypes)
        {
            blocks.Push(w.Block($"partial {outer.Keyword} {outer.Identifier}"));
        }

        // Consecutive slices of the parameters, one per tensor (a tensor's slice ends where the next one starts).
        List<(string Tensor, string Shape, int Offset, string Where)> starts = placed.OrderBy(p => p.Offset).ToList();
        using (w.Block($"partial {spec.TypeKeyword} {spec.TypeIdentifier}"))
        {
            EmitBase64(w, plan, bytes, width, starts, cancellationToken);
            if (standardizer is not null)
            {
                w.Line();
                EmitStandardizer(w, standardizer.Value.Means, standardizer.Value.Deviations);
            }
        }

        while (blocks.Count > 0)
        {
            blocks.Pop().Dispose();
        }

        return w.ToString();
    }

    private static void EmitBase64(SourceWriter w, NetworkPlan plan, byte[] bytes, int width,
        List<(string Tensor, string Shape, int Offset, string Where)> starts, CancellationToken cancellationToken)
    {
        string t = plan.Scalar.Name;
        string read = width == 4 ? "ReadSingleLittleEndian" : "ReadDoubleLittleEndian";
        int count = bytes.Length / width;
        if (starts.Count == 0)
        {
            starts = new List<(string Tensor, string Shape, int Offset, string Where)> { ("parameters", FileTensor.FormatShape(new[] { count }), 0, "") };
        }

        using (w.Block($"static partial void {LoadMethod}(global::System.Span<{t}> parameters)"))
        {
            for (int i = 0; i < starts.Count; i++)
            {
                int from = i == 0 ? 0 : starts[i].Offset;
                int to = i + 1 < starts.Count ? starts[i + 1].Offset : count;
                if (to <= from)
                {
                    continue;
                }

                cancellationToken.ThrowIfCancellationRequested();
                w.Line($"// {Comment(starts[i].Tensor)} {starts[i].Shape}: parameters {Int(from)} to {Int(to - 1)}");
                w.Line($"{DecodeMethod}(\"{Convert.ToBase64String(bytes, from * width, (to - from) * width)}\"u8, parameters.Slice({Int(from)}, {Int(to - from)}));");
            }
        }

        // 64 base64 characters decode to 48 bytes, a whole number of floats and of doubles: on a big-endian machine the
        // text is decoded in blocks of 256 characters (192 bytes) into a stack buffer and each value read little-endian.
        w.Line();
        w.Lines($$"""
            // Decodes base64 text into values stored little-endian: in place on little-endian machines, with no allocation.
            private static void {{DecodeMethod}}(global::System.ReadOnlySpan<byte> base64, global::System.Span<{{t}}> values)
            {
                const int Width = {{Int(width)}}, BlockChars = 256, BlockValues = 192 / Width;
                if (global::System.BitConverter.IsLittleEndian)
                {
                    global::System.Span<byte> target = global::System.Runtime.InteropServices.MemoryMarshal.AsBytes(values);
                    if (global::System.Buffers.Text.Base64.DecodeFromUtf8(base64, target, out _, out int written) != global::System.Buffers.OperationStatus.Done
                        || written != target.Length)
                    {
                        throw new global::System.InvalidOperationException("The embedded weights are damaged.");
                    }

                    return;
                }

                global::System.Span<byte> block = stackalloc byte[192];
                for (int i = 0, at = 0; i < values.Length; i += BlockValues, at += BlockChars)
                {
                    int n = global::System.Math.Min(BlockValues, values.Length - i);
                    global::System.ReadOnlySpan<byte> text = base64.Slice(at, global::System.Math.Min(BlockChars, base64.Length - at));
                    if (global::System.Buffers.Text.Base64.DecodeFromUtf8(text, block, out _, out int written) != global::System.Buffers.OperationStatus.Done
                        || written != n * Width)
                    {
                        throw new global::System.InvalidOperationException("The embedded weights are damaged.");
                    }

                    for (int k = 0; k < n; k++)
                    {
                        values[i + k] = global::System.Buffers.Binary.BinaryPrimitives.{{read}}(block.Slice(k * Width, Width));
                    }
                }
            }
            """);
    }

    /// <summary>
    /// The standardizer's statistics as double literals that read back to the same bits, in <c>ReadOnlySpan</c>s of
    /// constants (static data, no allocation); <c>Standardizer.FromStatistics</c> copies them into the instance's arrays.
    /// </summary>
    private static void EmitStandardizer(SourceWriter w, double[] means, double[] deviations)
    {
        w.Line("// The input standardizer of the weights file: PredictRaw computes (x - mean) / deviation per feature, in double.");
        using (w.Block($"static partial void {NetworkPlanner.LoadEmbeddedStandardizer}(ref global::NetGen.Standardizer? standardizer)"))
        {
            w.Line("global::System.ReadOnlySpan<double> means = new double[]");
            Literals(means);
            w.Line("global::System.ReadOnlySpan<double> deviations = new double[]");
            Literals(deviations);
            w.Line("standardizer = global::NetGen.Standardizer.FromStatistics(means, deviations);");
        }

        void Literals(double[] values)
        {
            w.Line("{");
            for (int i = 0; i < values.Length; i += 8)
            {
                w.Line("    " + string.Join(", ", values.Skip(i).Take(8).Select(DoubleLiteral)) + ",");
            }

            w.Line("};");
        }
    }

    /// <summary>A C# double literal with exactly <paramref name="value"/>'s bits (finite values; -0 keeps its sign).</summary>
    internal static string DoubleLiteral(double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        if (double.Parse(text, CultureInfo.InvariantCulture) != value)
        {
            text = value.ToString("G17", CultureInfo.InvariantCulture);
        }

        if (value == 0 && BitConverter.DoubleToInt64Bits(value) != 0)
        {
            text = "-0.0";
        }

        return text + "d";
    }

    private static string Double(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Comment(string text) => text.Replace('\r', ' ').Replace('\n', ' ');

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
