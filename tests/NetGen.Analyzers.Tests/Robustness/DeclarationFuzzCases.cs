using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NetGen.Analyzers.Tests.Robustness;

/// <summary>
/// One fuzzed source file: a declaration inside its own namespace <c>Fuzz.C{Index}</c>, so that many of them can share a
/// compilation without meeting. <see cref="MustCompile"/> is set for declarations that are valid C# and a valid network.
/// </summary>
public sealed record DeclarationCase(int Index, string Kind, string Text, bool MustCompile, bool ExtremeConstants)
{
    public string FileName => $"Case{Index}.cs";
}

/// <summary>
/// Seeded random declarations for <see cref="DeclarationFuzzTests"/> (docs/reliability.md, "Declarations"): valid
/// networks (1-12 dense layers, every activation, init, loss, optimizer, dropout, both precisions, odd but legal names,
/// namespaces, containing types, argument spellings), the same with hostile values or shapes, and either of them cut at
/// a token boundary or with tokens deleted (half-typed). Case <c>i</c> depends only on the seed and <c>i</c>.
/// </summary>
public static class DeclarationFuzzCases
{
    private static readonly string[] Activations =
    {
        "Linear", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "PReLU", "ELU", "SELU", "Softplus", "GELU", "SiLU",
        "PiecewiseLinear", "Step", "Sign", "Softmax",
    };

    private static readonly string[] Inits =
        { "Default", "FanInUniform", "GlorotUniform", "GlorotNormal", "HeUniform", "HeNormal", "LeCunUniform", "LeCunNormal", "Zeros" };

    private static readonly string[] Losses = { "None", "MeanSquaredError", "MeanAbsoluteError", "Huber", "BinaryCrossEntropy", "CrossEntropy" };

    private static readonly string[] Optimizers = { "Sgd", "Adam", "AdamW", "RmsProp" };

    /// <summary>Legal type names that are keywords, contextual keywords, non-ASCII, or names the generated code uses.</summary>
    private static readonly string[] TypeNames =
    {
        "Mlp", "Net", "Classifier", "@class", "@void", "@int", "@namespace", "@this", "@params", "@event", "_", "__x", "Ünïcødé", "Ñet",
        "Σίγμα", "ℕet", "Vector", "Vector256", "Span", "ReadOnlySpan", "Math", "MathF", "Unsafe", "MemoryMarshal", "Buffer", "Array",
        "Object", "String", "Single", "Double", "Int32", "Exception", "GeneratedCode", "NetworkInfo", "LayerInfo", "NetworkGuard",
        "SeededRandom", "INeuralNetwork", "ITrainableNetwork", "LayerKind", "Generated", "Kernels", "MlpKernels", "T", "Layer1",
        "Layer1Activation", "Dense1", "value", "var", "dynamic", "async", "await", "nameof", "field", "global_", "partial_", "Forward",
        "Backpropagate", "ScratchLength", "Pack", "a1b2c3", "X\u0301", "Net_2",
    };

    /// <summary>Names that shadow NetGen's own types in the declaration's scope: the declaration must then write them in full.</summary>
    private static readonly HashSet<string> Shadowing = new(StringComparer.Ordinal)
    {
        "NetGen", "System", "Activation", "Init", "Loss", "Optimizer", "Precision", "Dense", "DenseAttribute", "Input", "InputAttribute",
        "Network", "NetworkAttribute", "Dropout", "DropoutAttribute",
    };

    private static readonly string[] Namespaces =
        { "", "", "", "Inner", "@class.@void", "A.B.C.D", "Ünï.Cødé", "NetGen", "System", "Generated", "NetGen.Generated", "global_", "@event" };

    private static readonly string[] Containers =
    {
        "partial class Outer", "public partial class @struct", "internal partial struct Holder", "partial record Models",
        "partial record struct Pair", "static partial class Registry", "public sealed partial class NetGen",
        "partial class Activation",
    };

    private static readonly string[] NestedAccess = { "", "public ", "internal ", "private ", "protected ", "private protected ", "protected internal " };

    /// <summary>Every member name NetGen generates on a network, and older ones (a user member of that name must get NG0009).</summary>
    public static readonly string[] GeneratedMemberNames =
    {
        "InputSize", "OutputSize", "ParameterCount", "Info", "Parameters", "Initialize", "Predict", "PredictBatch", "PredictClass",
        "ComputeGradients", "TrainBatch", "LearningRate", "LastGradients", "PredictLayers", "ResetOptimizer", "OptimizerState",
        "OptimizerStep", "ClipGradientNorm", "DropoutRandom", "_netgenParameters", "_netgenOptimizerState", "_netgenClipGradientNorm",
        "_netgenGradients", "_netgenStep", "_netgenDropoutRandom", "_netgenLearningRate", "_netgenTrainingScratch", "NetGenScratch",
        "NetGenPacked", "NetGenRepack", "NetGenBackpropagate", "NetGenOptimizerStep", "s_netgenInfo", "t_netgenScratch",
    };

    private static readonly string[] HostileSizes =
    {
        "0", "-1", "-2147483648", "int.MaxValue", "int.MinValue", "65536", "65537", "46341", "1 << 20", "100000", "1e308", "\"3\"",
        "3.5", "null", "(int)1e10", "unchecked((int)3e9)", "default", "(short)-4", "'A'", "checked(int.MaxValue + 1)",
    };

    private static readonly string[] HostileConstants =
    {
        "double.NaN", "double.PositiveInfinity", "double.NegativeInfinity", "1e308", "-1e308", "1e39", "-1e39", "double.MaxValue",
        "double.Epsilon", "5e-324", "-0.0", "float.MaxValue", "float.PositiveInfinity", "1.0 / 0", "0.0 / 0", "-1", "2", "1e-300",
        "(double)float.NaN", "1e30", "\"0.1\"", "null", "1e999",
    };

    public static IReadOnlyList<DeclarationCase> Create(int seed, int count) =>
        Enumerable.Range(0, count).Select(i => One(seed, i)).ToList();

    public static DeclarationCase One(int seed, int index)
    {
        var random = new Random(unchecked(seed * 7919 + index));
        double kind = random.NextDouble();
        var draft = Draft.Random(random, index);
        if (kind < 0.36)
        {
            return new DeclarationCase(index, "valid", Wrap(index, draft.Render()), MustCompile: true, draft.Extreme);
        }

        string hostility = draft.MakeHostile(random);
        if (random.NextDouble() < 0.3)
        {
            hostility += "+" + draft.MakeHostile(random);
        }

        if (kind < 0.68)
        {
            return new DeclarationCase(index, "hostile/" + hostility, Wrap(index, draft.Render()), MustCompile: false, ExtremeConstants: true);
        }

        // Half-typed: a valid or hostile declaration cut at a token boundary, or missing tokens, or both.
        string text = Wrap(index, (random.NextDouble() < 0.5 ? Draft.Random(new Random(unchecked(seed * 7919 + index)), index) : draft).Render());
        string how;
        double shape = random.NextDouble();
        if (shape < 0.55)
        {
            text = Cut(text, random, index);
            how = "cut";
        }
        else if (shape < 0.9)
        {
            text = DeleteTokens(text, random, 1 + random.Next(3), index);
            how = "tokens deleted";
        }
        else
        {
            text = Cut(DeleteTokens(text, random, 1 + random.Next(2), index), random, index);
            how = "tokens deleted and cut";
        }

        return new DeclarationCase(index, "half-typed/" + how, text, MustCompile: false, ExtremeConstants: true);
    }

    private static string Prefix(int index) => $"using NetGen;\nnamespace Fuzz.C{index}\n{{\n";

    private static string Wrap(int index, string body) => Prefix(index) + body + "}\n";

    /// <summary>The text cut after a random token of the declaration (never inside the fixed prefix).</summary>
    private static string Cut(string text, Random random, int index)
    {
        int start = Prefix(index).Length;
        List<SyntaxToken> tokens = CSharpSyntaxTree.ParseText(text).GetRoot().DescendantTokens().Where(t => t.SpanStart >= start && !t.IsKind(SyntaxKind.EndOfFileToken)).ToList();
        if (tokens.Count == 0)
        {
            return text;
        }

        return text.Substring(0, tokens[random.Next(tokens.Count)].Span.End);
    }

    /// <summary>
    /// The text with random tokens removed: parentheses, brackets, commas, names, numbers, '=' and keywords, never a brace
    /// (a missing brace would move the rest of the file out of its namespace and into another case's).
    /// </summary>
    private static string DeleteTokens(string text, Random random, int count, int index)
    {
        for (int n = 0, tries = 0; n < count && tries < 20; tries++)
        {
            List<SyntaxToken> tokens = CSharpSyntaxTree.ParseText(text).GetRoot().DescendantTokens()
                .Where(t => t.SpanStart > 40 && !t.IsKind(SyntaxKind.OpenBraceToken) && !t.IsKind(SyntaxKind.CloseBraceToken)
                    && !t.IsKind(SyntaxKind.EndOfFileToken) && !t.IsKind(SyntaxKind.NamespaceKeyword) && t.Span.Length > 0)
                .ToList();
            if (tokens.Count == 0)
            {
                break;
            }

            SyntaxToken victim = tokens[random.Next(tokens.Count)];
            string shorter = text.Remove(victim.SpanStart, victim.Span.Length);

            // The parser's recovery may close the namespace early and put the rest in the global namespace, where it
            // would meet other cases: keep only deletions after which everything stays inside Fuzz.C{index}.
            if (StaysInItsNamespace(shorter, index))
            {
                text = shorter;
                n++;
            }
        }

        return text;
    }

    private static bool StaysInItsNamespace(string text, int index) =>
        CSharpSyntaxTree.ParseText(text).GetRoot() is Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax root
        && root.Members.All(m => m is Microsoft.CodeAnalysis.CSharp.Syntax.NamespaceDeclarationSyntax ns && ns.Name.ToString() == $"Fuzz.C{index}")
        && root.AttributeLists.Count == 0;

    /// <summary>A network declaration being assembled; <see cref="Render"/> prints it.</summary>
    private sealed class Draft
    {
        public string Namespace = "";
        public List<string> ContainersOuterFirst = new();
        public string Modifiers = "public ";
        public string Keyword = "class";
        public string Name = "Mlp";
        public string TypeParameters = "";
        public string PrimaryConstructor = "";
        public string BaseList = "";
        public List<string> Attributes = new(); // one attribute each, without brackets, in declaration order
        public List<string> Members = new();
        public List<string> Siblings = new(); // other declarations beside the network, in the same namespace
        public string? SecondPart; // attributes of a second partial declaration
        public bool Qualified;
        public bool Double;
        public bool Extreme;
        public int NetworkAttributeIndex = -1;
        public bool Partial = true;
        public Random R = null!;
        public int InputIndex;
        public List<int> DenseIndices = new();
        public List<int> DropoutIndices = new();

        private string N(string type) => Qualified ? "global::NetGen." + type : type;

        private string Enum(string type, string value) =>
            R.Next(10) == 0 ? $"({N(type)}){Array.IndexOf(type switch
            {
                "Activation" => Activations,
                "Init" => Inits,
                "Loss" => Losses,
                _ => Optimizers,
            }, value)}" : $"{N(type)}.{value}";

        private string Attr(string name) => R.Next(5) switch
        {
            0 => (Qualified ? "global::NetGen." : "") + name + "Attribute",
            1 when !Qualified && Namespace.Length == 0 && !Shadowing.Contains(Name) && ContainersOuterFirst.Count == 0 => "NetGen." + name,
            _ => (Qualified ? "global::NetGen." : "") + name,
        };

        private string Int(int value) => R.Next(12) switch
        {
            0 => "0x" + value.ToString("X", CultureInfo.InvariantCulture),
            1 => value >= 10 ? value.ToString(CultureInfo.InvariantCulture).Insert(1, "_") : value.ToString(CultureInfo.InvariantCulture),
            2 => $"{value} * 1",
            3 => $"{value}",
            _ => value.ToString(CultureInfo.InvariantCulture),
        };

        private string Real(double value) => R.Next(8) switch
        {
            0 => value.ToString("E3", CultureInfo.InvariantCulture),
            1 => value.ToString("R", CultureInfo.InvariantCulture) + "d",
            2 when value < 1 && value > 0 => "1.0 / " + (1 / value).ToString("R", CultureInfo.InvariantCulture),
            3 => value.ToString("R", CultureInfo.InvariantCulture) + "f",
            _ => value.ToString("R", CultureInfo.InvariantCulture),
        };

        public static Draft Random(Random r, int index)
        {
            var d = new Draft { R = r };
            d.Namespace = Namespaces[r.Next(Namespaces.Length)];
            if (r.Next(5) == 0)
            {
                d.ContainersOuterFirst.Add(Containers[r.Next(Containers.Length)]);
                if (r.Next(4) == 0)
                {
                    d.ContainersOuterFirst.Add(Containers[r.Next(Containers.Length)].Replace("static ", "") + "2");
                }
            }

            d.Name = r.Next(3) == 0 ? "Mlp" : TypeNames[r.Next(TypeNames.Length)];
            d.Modifiers = d.ContainersOuterFirst.Count > 0 ? NestedAccess[r.Next(NestedAccess.Length)] : r.Next(3) == 0 ? "internal " : r.Next(2) == 0 ? "public " : "";
            if (d.ContainersOuterFirst.LastOrDefault()?.Contains("struct", StringComparison.Ordinal) == true
                || d.ContainersOuterFirst.LastOrDefault()?.Contains("static", StringComparison.Ordinal) == true)
            {
                d.Modifiers = d.Modifiers.Contains("protected", StringComparison.Ordinal) ? "" : d.Modifiers; // no protected members in structs or static classes
            }

            if (r.Next(6) == 0)
            {
                d.Modifiers += "sealed ";
            }

            d.Keyword = r.Next(8) == 0 ? "record" : "class";
            d.Qualified = r.Next(5) == 0 || Shadowing.Contains(d.Name) || d.Namespace.Split('.').Any(Shadowing.Contains)
                || d.ContainersOuterFirst.Any(c => Shadowing.Contains(c.Split(' ').Last().TrimEnd('2')));
            d.Double = r.Next(2) == 0;

            // [Input], then 1-12 dense layers with dropout between some of them.
            int layers = 1 + (r.Next(4) == 0 ? r.Next(12) : r.Next(4));
            int input = r.Next(30) == 0 ? 784 : 1 + r.Next(r.Next(3) == 0 ? 64 : 12);
            d.InputIndex = d.Attributes.Count;
            d.Attributes.Add($"{d.Attr("Input")}({(r.Next(8) == 0 ? "size: " : "")}{d.Int(input)})");
            bool lastWasDropout = true;
            for (int i = 0; i < layers; i++)
            {
                if (!lastWasDropout && r.Next(5) == 0 || (i == 0 && r.Next(12) == 0))
                {
                    d.DropoutIndices.Add(d.Attributes.Count);
                    d.Attributes.Add($"{d.Attr("Dropout")}({d.Real(Math.Round(r.NextDouble() * 0.9, 2))})");
                    lastWasDropout = true;
                }
                else
                {
                    lastWasDropout = false;
                }

                int units = r.Next(25) == 0 ? 100 + r.Next(200) : 1 + r.Next(r.Next(2) == 0 ? 40 : 8);
                string activation = Activations[r.Next(Activations.Length)];
                var arguments = new List<string> { (r.Next(10) == 0 ? "units: " : "") + d.Int(units) };
                if (activation != "Linear" || r.Next(2) == 0)
                {
                    arguments.Add((r.Next(10) == 0 ? "activation: " : "") + d.Enum("Activation", activation));
                }

                if (r.Next(3) == 0)
                {
                    arguments.Add("Init = " + d.Enum("Init", Inits[r.Next(Inits.Length)]));
                }

                if (activation is "LeakyReLU" or "PReLU" or "ELU" ? r.Next(2) == 0 : r.Next(20) == 0)
                {
                    arguments.Add("Alpha = " + d.Real(Math.Round(r.NextDouble(), 3)));
                }

                if (r.Next(6) == 0)
                {
                    arguments.Add("Bias = " + (r.Next(3) == 0 ? "true" : "false"));
                }

                // Named arguments after the positional ones, in any order.
                List<string> named = arguments.Where(a => a.Contains(" = ", StringComparison.Ordinal)).OrderBy(_ => r.Next()).ToList();
                d.DenseIndices.Add(d.Attributes.Count);
                d.Attributes.Add($"{d.Attr("Dense")}({string.Join(", ", arguments.Where(a => !a.Contains(" = ", StringComparison.Ordinal)).Concat(named))})");
            }

            if (r.Next(10) < 7)
            {
                var settings = new List<string>();
                string loss = Losses[r.Next(Losses.Length)];
                if (loss != "None" || r.Next(4) == 0)
                {
                    settings.Add("Loss = " + d.Enum("Loss", loss));
                }

                if (r.Next(2) == 0)
                {
                    settings.Add("Optimizer = " + d.Enum("Optimizer", Optimizers[r.Next(Optimizers.Length)]));
                }

                if (r.Next(2) == 0)
                {
                    settings.Add("LearningRate = " + d.Real(new[] { 1e-3, 0.01, 0.1, 1e-4, 0.5, 3e-4 }[r.Next(6)]));
                }

                if (r.Next(4) == 0)
                {
                    settings.Add("Momentum = " + d.Real(Math.Round(r.NextDouble() * 0.99, 2)));
                }

                if (r.Next(5) == 0)
                {
                    settings.Add("Nesterov = " + (r.Next(2) == 0 ? "true" : "false"));
                }

                if (r.Next(5) == 0)
                {
                    settings.Add("WeightDecay = " + d.Real(Math.Round(r.NextDouble() * 0.1, 3)));
                }

                if (d.Double || r.Next(4) == 0)
                {
                    settings.Add("Precision = " + d.N("Precision") + (d.Double ? ".Double" : ".Single"));
                }

                string network = d.Attr("Network") + (settings.Count > 0 ? "(" + string.Join(", ", settings.OrderBy(_ => r.Next())) + ")" : r.Next(2) == 0 ? "()" : "");
                d.NetworkAttributeIndex = r.Next(3) == 0 ? r.Next(d.Attributes.Count + 1) : 0;
                d.Attributes.Insert(d.NetworkAttributeIndex, network);
                d.Reindex();
            }
            else if (d.Double)
            {
                d.Double = false;
            }

            d.AddMembers(index);
            return d;
        }

        /// <summary>Recomputes the indices after an insertion (the roles are read from the attribute text).</summary>
        public void Reindex()
        {
            DenseIndices.Clear();
            DropoutIndices.Clear();
            NetworkAttributeIndex = -1;
            InputIndex = -1;
            for (int i = 0; i < Attributes.Count; i++)
            {
                string a = Attributes[i].Replace("global::NetGen.", "").Replace("NetGen.", "");
                if (a.StartsWith("Dense", StringComparison.Ordinal))
                {
                    DenseIndices.Add(i);
                }
                else if (a.StartsWith("Dropout", StringComparison.Ordinal))
                {
                    DropoutIndices.Add(i);
                }
                else if (a.StartsWith("Network", StringComparison.Ordinal))
                {
                    NetworkAttributeIndex = i;
                }
                else if (a.StartsWith("Input", StringComparison.Ordinal) && InputIndex < 0)
                {
                    InputIndex = i;
                }
            }
        }

        private string T => Double ? "double" : "float";

        private string Self => Name;

        private void AddMembers(int index)
        {
            bool isStructContainer = ContainersOuterFirst.LastOrDefault()?.Contains("struct", StringComparison.Ordinal) == true;
            switch (R.Next(10))
            {
                case 0:
                    Members.Add("public int Depth => 3;");
                    Members.Add("// a comment\n#region Helpers\nprivate readonly int _unused = 1;\n#endregion");
                    break;
                case 1:
                    Members.Add($"public {T} First({T}[] row) {{ global::System.Span<{T}> o = stackalloc {T}[OutputSize]; Predict(row, o); return o[0]; }}");
                    break;
                case 2:
                    Members.Add("public override string ToString() => \"net\";");
                    Members.Add($"public {T} this[int i] => Parameters[i];");
                    break;
                case 3:
                    Members.Add($"public {Self}(int a, int b) : this(a + b) {{ }}");
                    break;
                case 4:
                    Members.Add("public class Nested { public int X; }");
                    Members.Add("public static void Helper() { }");
                    break;
                case 5:
                    Members.Add("/// <summary>Documented.</summary>\npublic event global::System.EventHandler? Changed;");
                    Members.Add("private void Raise() => Changed?.Invoke(this, global::System.EventArgs.Empty);");
                    break;
                case 6 when !isStructContainer && Keyword == "class":
                    Siblings.Add($"public class Base{index} {{ public int Other; }}");
                    BaseList = $" : Base{index}";
                    break;
                case 7:
                    BaseList = " : global::System.IDisposable";
                    Members.Add("public void Dispose() { }");
                    break;
                case 8:
                    SecondPart = "";
                    break;
            }
        }

        /// <summary>Applies one hostile change and says which.</summary>
        public string MakeHostile(Random r)
        {
            Extreme = true;
            if (DenseIndices.Count == 0)
            {
                return "nothing more";
            }

            switch (r.Next(34))
            {
                case 0:
                case 1:
                case 2:
                {
                    int target = r.Next(2) == 0 ? InputIndex : DenseIndices[r.Next(DenseIndices.Count)];
                    if (target < 0)
                    {
                        goto case 3;
                    }

                    Attributes[target] = ReplaceFirstArgument(Attributes[target], HostileSizes[r.Next(HostileSizes.Length)]);
                    return "size";
                }

                case 3:
                {
                    // A product past 2^31: [Input(a)] [Dense(b)] with a*b >= 2^31, or a large but legal one.
                    (string a, string b) = new[] { ("65536", "65537"), ("46341", "46341"), ("int.MaxValue", "2"), ("1 << 30", "3"), ("20000", "20000"), ("1 << 20", "2048") }[r.Next(6)];
                    if (InputIndex >= 0)
                    {
                        Attributes[InputIndex] = ReplaceFirstArgument(Attributes[InputIndex], a);
                    }

                    Attributes[DenseIndices[0]] = ReplaceFirstArgument(Attributes[DenseIndices[0]], b);
                    return "huge sizes";
                }

                case 4:
                case 5:
                case 6:
                {
                    string value = HostileConstants[r.Next(HostileConstants.Length)];
                    switch (r.Next(5))
                    {
                        case 0:
                            int dense = DenseIndices[r.Next(DenseIndices.Count)];
                            Attributes[dense] = Attributes[dense].TrimEnd(')') + ", Alpha = " + value + ")";
                            return "Alpha " + value;
                        case 1 when DropoutIndices.Count > 0:
                            int dropout = DropoutIndices[r.Next(DropoutIndices.Count)];
                            Attributes[dropout] = ReplaceFirstArgument(Attributes[dropout], value);
                            return "dropout rate " + value;
                        default:
                            string setting = new[] { "LearningRate", "Momentum", "WeightDecay", "LearningRate" }[r.Next(4)];
                            SetNetwork(setting + " = " + value);
                            return setting + " " + value;
                    }
                }

                case 7:
                case 8:
                {
                    (string type, string value) = new[]
                    {
                        ("Activation", "99"), ("Activation", "(-1)"), ("Activation", "15"), ("Init", "42"), ("Loss", "7"), ("Optimizer", "9"),
                        ("Precision", "2"), ("Loss", "(-3)"),
                    }[r.Next(8)];
                    string cast = $"({N(type)}){value}";
                    switch (type)
                    {
                        case "Activation":
                            int dense = DenseIndices[r.Next(DenseIndices.Count)];
                            Attributes[dense] = Regex(Attributes[dense], @"^([^(]*\(\s*[^,)]+)(,\s*(activation:\s*)?[^,=)]+(?=[,)]))?", "$1, " + cast);
                            break;
                        case "Init":
                            int layer = DenseIndices[r.Next(DenseIndices.Count)];
                            Attributes[layer] = Attributes[layer].TrimEnd(')') + ", Init = " + cast + ")";
                            break;
                        default:
                            SetNetwork(type + " = " + cast);
                            break;
                    }

                    return "enum " + cast;
                }

                case 9:
                    if (InputIndex >= 0)
                    {
                        Attributes.RemoveAt(InputIndex);
                        Reindex();
                    }

                    return "no [Input]";
                case 10:
                    if (InputIndex >= 0)
                    {
                        Attributes.Insert(InputIndex, Attributes[InputIndex]);
                        Reindex();
                    }

                    return "two [Input]";
                case 11:
                    Attributes.Insert(0, Attr("Network") + "(Loss = " + N("Loss") + ".MeanSquaredError)");
                    Reindex();
                    return "another [Network]";
                case 12:
                    foreach (int i in DenseIndices.Concat(DropoutIndices).OrderByDescending(i => i))
                    {
                        Attributes.RemoveAt(i);
                    }

                    Reindex();
                    return "no [Dense]";
                case 13:
                {
                    string kind = new[] { "first", "last", "twice" }[r.Next(3)];
                    string dropout = $"{Attr("Dropout")}(0.5)";
                    switch (kind)
                    {
                        case "first":
                            Attributes.Insert(0, dropout);
                            break;
                        case "last":
                            Attributes.Add(dropout);
                            break;
                        default:
                            int at = DenseIndices[r.Next(DenseIndices.Count)];
                            Attributes.Insert(at, dropout);
                            Attributes.Insert(at, dropout);
                            break;
                    }

                    Reindex();
                    return "dropout " + kind;
                }

                case 14:
                    if (InputIndex >= 0)
                    {
                        string input = Attributes[InputIndex];
                        Attributes.RemoveAt(InputIndex);
                        Attributes.Add(input);
                        Reindex();
                    }

                    return "[Input] last";
                case 15:
                {
                    // Layers spread over two partial declarations.
                    int dense = DenseIndices[^1];
                    SecondPart = "[" + Attributes[dense] + "]";
                    return "layers in two declarations";
                }

                case 16:
                    Partial = false;
                    return "not partial";
                case 17:
                {
                    string shape = new[] { "static", "struct", "record struct", "interface", "abstract", "file", "generic", "unsafe" }[r.Next(8)];
                    switch (shape)
                    {
                        case "static":
                            Modifiers = Modifiers.Replace("sealed ", "") + "static ";
                            break;
                        case "struct":
                        case "record struct":
                        case "interface":
                            Keyword = shape;
                            Modifiers = Modifiers.Replace("sealed ", "").Replace("protected ", "");
                            BaseList = BaseList.Contains("Base", StringComparison.Ordinal) ? "" : BaseList;
                            break;
                        case "abstract":
                            Modifiers = Modifiers.Replace("sealed ", "") + "abstract ";
                            break;
                        case "file":
                            Modifiers = "file ";
                            ContainersOuterFirst.Clear();
                            break;
                        case "generic":
                            TypeParameters = "<TValue>";
                            break;
                        default:
                            Modifiers += "unsafe ";
                            break;
                    }

                    return shape;
                }

                case 18:
                    ContainersOuterFirst.Add(new[] { "partial class Generic<TOuter>", "partial interface IHolder", "partial record Rec<T>" }[r.Next(3)]);
                    if (Modifiers.Contains("protected", StringComparison.Ordinal) || Modifiers.Contains("private", StringComparison.Ordinal))
                    {
                        Modifiers = "public ";
                    }

                    return "nested in " + ContainersOuterFirst[^1];
                case 19:
                    PrimaryConstructor = new[] { "(int size)", "()", "(string name, int seed)" }[r.Next(3)];
                    return "primary constructor " + PrimaryConstructor;
                case 20:
                case 21:
                    Name = GeneratedMemberNames[r.Next(GeneratedMemberNames.Length)];
                    Members.RemoveAll(m => m.Contains("this(", StringComparison.Ordinal));
                    return "named like a member";
                case 22:
                case 23:
                {
                    string member = GeneratedMemberNames[r.Next(GeneratedMemberNames.Length)];
                    Members.Add(r.Next(2) == 0 ? $"public int {member} => 1;" : $"private void {member}() {{ }}");
                    return "member " + member;
                }

                case 24:
                {
                    string constructor = r.Next(2) == 0 ? $"public {Self}() {{ }}" : $"public {Self}(int seed) {{ }}";
                    Members.Add(constructor);
                    return "own constructor";
                }

                case 25:
                    // Derives from another network in the same namespace.
                    Siblings.Add($"[{N("Input")}(3)] [{N("Dense")}(2)] public partial class BaseNet{Math.Abs(Name.GetHashCode(StringComparison.Ordinal)) % 100} {{ }}");
                    BaseList = $" : BaseNet{Math.Abs(Name.GetHashCode(StringComparison.Ordinal)) % 100}";
                    return "derives from a network";
                case 26:
                    SetNetwork("Weights = " + new[] { "\"missing.safetensors\"", "\"\"", "null", "\"../../etc/passwd\"", "\"model.onnx\"" }[r.Next(5)]);
                    return "weights file";
                case 27:
                {
                    // Names that differ only in case, and a network nested in a network.
                    string other = Name.StartsWith('@') ? Name.ToUpperInvariant() : Name.ToUpperInvariant() == Name ? Name.ToLowerInvariant() : Name.ToUpperInvariant();
                    if (other.TrimStart('@') == Name.TrimStart('@'))
                    {
                        other = "MLP";
                        Name = "Mlp";
                    }

                    Siblings.Add($"[{N("Input")}(4)] [{N("Dense")}(3, {N("Activation")}.Tanh)] public partial class {other} {{ }}");
                    return "names differing in case";
                }

                case 28:
                    Members.Add($"[{N("Input")}(5)] [{N("Dense")}(2, {N("Activation")}.Sigmoid)] public partial class Inner {{ }}");
                    return "network nested in a network";
                case 29:
                    Attributes[DenseIndices[r.Next(DenseIndices.Count)]] += ", System.Obsolete";
                    Attributes.Insert(0, "System.Serializable");
                    Reindex();
                    return "other attributes";
                case 30:
                    Members.Add($"public const int {Name.TrimStart('@')}Kernels = 3;");
                    Siblings.Add($"public static class {Name.TrimStart('@')}Kernels {{ public const int ScratchLength = -1; }}");
                    return "kernels name taken";
                case 31:
                    Attributes[DenseIndices[^1]] = Regex(Attributes[DenseIndices[^1]], @"\(", "(units: 4, ");
                    return "unit count twice";
                case 32:
                    Attributes[DenseIndices[0]] = Attributes[DenseIndices[0]].TrimEnd(')') + ", Alpha = 0.1, Alpha = 0.2)";
                    return "named argument twice";
                default:
                {
                    // Deep and wide: many layers of 1 unit, or one very wide layer.
                    for (int i = 0; i < 20; i++)
                    {
                        Attributes.Add($"{Attr("Dense")}(1, {N("Activation")}.{Activations[r.Next(Activations.Length)]})");
                    }

                    Reindex();
                    return "many layers";
                }
            }
        }

        private static string Regex(string input, string pattern, string replacement) =>
            new System.Text.RegularExpressions.Regex(pattern).Replace(input, replacement, 1);

        private static string ReplaceFirstArgument(string attribute, string value) =>
            Regex(attribute, @"\((\s*\w+:\s*)?[^,)]+", "($1" + value);

        private void SetNetwork(string setting)
        {
            if (NetworkAttributeIndex < 0)
            {
                Attributes.Insert(0, $"{Attr("Network")}({setting})");
                Reindex();
                return;
            }

            string network = Attributes[NetworkAttributeIndex];
            Attributes[NetworkAttributeIndex] = network.EndsWith(')') && network.Contains('(', StringComparison.Ordinal)
                ? (network.EndsWith("()", StringComparison.Ordinal) ? network.TrimEnd(')') + setting + ")" : network.TrimEnd(')') + ", " + setting + ")")
                : network + "(" + setting + ")";
        }

        public string Render()
        {
            var text = new StringBuilder();
            int depth = 0;
            void Line(string line)
            {
                foreach (string part in line.Split('\n'))
                {
                    text.Append(' ', 4 * depth).Append(part).Append('\n');
                }
            }

            foreach (string sibling in Siblings)
            {
                Line(sibling);
            }

            if (Namespace.Length > 0)
            {
                Line($"namespace {Namespace}");
                Line("{");
                depth++;
            }

            foreach (string container in ContainersOuterFirst)
            {
                Line(container);
                Line("{");
                depth++;
            }

            // Attributes: mostly one list each, sometimes several in one list, sometimes with the 'type:' target.
            var lists = new List<string>();
            for (int i = 0; i < Attributes.Count;)
            {
                int take = R.Next(6) == 0 ? 1 + R.Next(Math.Min(3, Attributes.Count - i)) : 1;
                string target = R.Next(20) == 0 ? "type: " : "";
                lists.Add("[" + target + string.Join(", ", Attributes.Skip(i).Take(take)) + "]");
                i += take;
            }

            Line(string.Join(R.Next(4) == 0 ? " " : "\n", lists));
            Line($"{Modifiers}{(Partial ? "partial " : "")}{Keyword} {Name}{TypeParameters}{PrimaryConstructor}{BaseList}");
            Line("{");
            depth++;
            foreach (string member in Members)
            {
                Line(member);
            }

            depth--;
            Line("}");
            if (SecondPart is not null)
            {
                Line($"{SecondPart}\n{(Partial ? "partial " : "")}{Keyword} {Name}{TypeParameters}\n{{\n    public int Extra {{ get; set; }}\n}}");
            }

            while (depth > 0)
            {
                depth--;
                Line("}");
            }

            return text.ToString();
        }
    }
}
