using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using NetGen.OnnxFormat;
#if NETGEN_SOURCE_GENERATION
// Compiled into the generator too, for .onnx weights files embedded at build time: there the enums and the
// NetworkInfo/LayerInfo it reads are the generator's (src/NetGen.Generator/Weights/OnnxNetworkInfo.cs).
using NetGen.SourceGeneration;
using NetGen.SourceGeneration.Weights;
#endif

namespace NetGen;

/// <summary>
/// Maps an ONNX graph onto a declared network. The graph is read in its (topological) node order as a chain: each
/// Gemm or MatMul (+ Add) starts the next dense layer; the nodes up to the next one are that layer's activation, which
/// must compute the declared activation. Single operators (Relu, LeakyRelu, ...) and exporter decompositions
/// (GELU's Mul/Pow/Tanh subgraph, SiLU as Sigmoid+Mul, clamp as Add+Clip) are all checked the same way: the
/// element-wise subgraph is evaluated in double precision at fixed points around every kink and far into both
/// tails and compared with NetGen's formula (docs/shipping.md, "How an ONNX graph is checked against the declaration").
/// </summary>
internal static class OnnxImporter
{
    /// <summary>Where the element-wise activation subgraphs are compared with NetGen's formulas.</summary>
    internal static readonly double[] Probes =
    {
        -1000, -100, -50, -25, -20.5, -10, -5, -3, -2, -1.5, -1, -0.75, -0.501, -0.5, -0.499, -0.25, -0.1, -1e-3, 0,
        1e-3, 0.1, 0.25, 0.499, 0.5, 0.501, 0.75, 1, 1.5, 2, 3, 5, 10, 19.5, 20.5, 25, 50, 100, 1000,
    };

    private const double Relative = 1e-5;
    private const double Absolute = 1e-9;

    // Operators an activation subgraph may use; each applies one scalar function per element (constants are scalars).
    private static readonly HashSet<string> ElementWise = new(StringComparer.Ordinal)
    {
        "Relu", "Sigmoid", "Tanh", "LeakyRelu", "PRelu", "Elu", "Selu", "Softplus", "Softsign", "HardSigmoid", "Gelu",
        "Sign", "Abs", "Neg", "Exp", "Log", "Sqrt", "Reciprocal", "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Clip",
        "Greater", "Less", "GreaterOrEqual", "LessOrEqual", "Where",
    };

    public static double[] Import(NetworkInfo info, OnnxModel model)
    {
        OnnxGraph graph = model.Graph
            ?? throw new InvalidDataException("The file has no graph (ModelProto.graph is missing): it is not an ONNX model, or it is empty.");
        long opset = DefaultOpset(model);
        var state = new State(info, graph, opset);
        state.Run();
        return state.Values;
    }

    private static long DefaultOpset(OnnxModel model)
    {
        foreach (OnnxOpset opset in model.OpsetImports)
        {
            if (opset.Domain.Length == 0 || opset.Domain == "ai.onnx")
            {
                return opset.Version;
            }
        }

        throw new InvalidDataException(
            $"The model imports no operator set of the default domain (ModelProto.opset_import has {model.OpsetImports.Count} entries): it is not an ONNX model NetGen can read.");
    }

    private sealed class State
    {
        private readonly NetworkInfo _info;
        private readonly OnnxGraph _graph;
        private readonly long _opset;
        private readonly List<(int Index, LayerInfo Layer)> _dense;
        private readonly Dictionary<string, OnnxTensor> _constants = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _alias = new(StringComparer.Ordinal);

        // The layer being read: its linear node, the value after the bias (the activation's input z), the nodes
        // after it and the values they compute.
        private int _layer = -1;
        private OnnxNode? _linear;
        private string _root = "";
        private bool _pendingBias;
        private readonly List<OnnxNode> _region = new();
        private readonly HashSet<string> _regionValues = new(StringComparer.Ordinal);
        private string _input = "";

        public State(NetworkInfo info, OnnxGraph graph, long opset)
        {
            _info = info;
            _graph = graph;
            _opset = opset;
            _dense = info.Layers.Select((layer, index) => (index, layer)).Where(x => x.layer.Kind == LayerKind.Dense).ToList();
            Values = new double[info.ParameterCount];
        }

        public double[] Values { get; }

        public void Run()
        {
            foreach (OnnxTensor tensor in _graph.Initializers)
            {
                if (_constants.ContainsKey(tensor.Name))
                {
                    throw new InvalidDataException($"Two initializers are named '{tensor.Name}'.");
                }

                _constants.Add(tensor.Name, tensor);
            }

            FindInput();
            foreach (OnnxNode node in _graph.Nodes)
            {
                Visit(node);
            }

            if (_graph.Outputs.Count != 1)
            {
                throw new InvalidDataException(
                    $"The graph has {_graph.Outputs.Count} outputs ({string.Join(", ", _graph.Outputs.Select(o => "'" + o.Name + "'"))}); a NetGen network has one.");
            }

            OnnxValueInfo output = _graph.Outputs[0];
            if (_layer < 0)
            {
                throw new InvalidDataException($"The graph has no Gemm or MatMul node; '{_info.Name}' starts with a dense layer.");
            }

            if (_pendingBias)
            {
                throw MissingBias(null);
            }

            CloseLayer(Resolve(output.Name), $"the graph output '{output.Name}'");
            if (_layer + 1 < _dense.Count)
            {
                throw new InvalidDataException(
                    $"The graph has {_layer + 1} dense layer(s) (Gemm or MatMul nodes); '{_info.Name}' declares {_dense.Count}. The next one expected is {DescribeLayer(_layer + 1)}.");
            }

            CheckShape(output, _info.OutputSize, "output");
        }

        private void FindInput()
        {
            List<OnnxValueInfo> inputs = _graph.Inputs.Where(i => !_constants.ContainsKey(i.Name)).ToList();
            if (inputs.Count != 1)
            {
                throw new InvalidDataException(
                    $"The graph has {inputs.Count} inputs that are not initializers ({string.Join(", ", inputs.Select(i => "'" + i.Name + "'"))}); a NetGen network has one.");
            }

            OnnxValueInfo input = inputs[0];
            _input = input.Name;
            CheckShape(input, _info.InputSize, "input");
        }

        private void CheckShape(OnnxValueInfo value, int features, string role)
        {
            if (value.IsTensor && value.ElemType is not (0 or OnnxDataType.Float or OnnxDataType.Double))
            {
                throw new InvalidDataException(
                    $"The graph {role} '{value.Name}' has element type {OnnxDataType.Name(value.ElemType)}; NetGen networks take and give FLOAT or DOUBLE.");
            }

            if (value.Shape is null || value.Shape.Count < 2)
            {
                return; // rank unknown or a vector: nothing to compare the feature count with
            }

            long product = 1;
            for (int i = 1; i < value.Shape.Count; i++)
            {
                if (value.Shape[i].Value is not long dim)
                {
                    return;
                }

                product = dim < 0 || product > int.MaxValue ? -1 : product * dim;
            }

            if (product != features)
            {
                throw new InvalidDataException(
                    $"The graph {role} '{value.Name}' has shape {value.FormatShape()}, {product} features per row; '{_info.Name}' has {features} {role} features.");
            }
        }

        private string Resolve(string name) => _alias.TryGetValue(name, out string? target) ? target : name;

        private bool IsChain(string value) => _layer < 0 ? value == _input : _regionValues.Contains(value);

        private void Visit(OnnxNode node)
        {
            if (node.Domain.Length > 0 && node.Domain != "ai.onnx")
            {
                throw new InvalidDataException(
                    $"Node {node.Describe()} is from operator domain '{node.Domain}'; NetGen reads operators of the default ONNX domain only.");
            }

            if (node.Outputs.Count == 0)
            {
                throw new InvalidDataException($"Node {node.Describe()} has no outputs.");
            }

            switch (node.OpType)
            {
                case "Constant":
                    _constants[node.Outputs[0]] = ConstantValue(node);
                    return;
                case "Identity":
                case "Dropout":
                    NoOp(node);
                    return;
                case "Flatten":
                    long axis = IntAttribute(node, "axis", 1);
                    if (axis != 1)
                    {
                        throw new InvalidDataException(
                            $"Node {node.Describe()} flattens from axis {axis}; NetGen reads rows, so only Flatten with axis 1 (keep the batch dimension) is a no-op.");
                    }

                    NoOp(node);
                    return;
                case "Gemm":
                case "MatMul":
                    Linear(node);
                    return;
            }

            if (_pendingBias)
            {
                Bias(node);
                return;
            }

            if (!ElementWise.Contains(node.OpType) && node.OpType != "Softmax")
            {
                throw Unsupported(node);
            }

            if (node.Inputs.Count == 0)
            {
                throw new InvalidDataException($"Node {node.Describe()} has no inputs.");
            }

            if (_layer < 0)
            {
                throw new InvalidDataException(
                    $"Node {node.Describe()} comes before the first Gemm or MatMul; '{_info.Name}' starts with a dense layer.");
            }

            for (int i = 0; i < node.Inputs.Count; i++)
            {
                string input = Resolve(node.Inputs[i]);
                if (input.Length == 0 || _constants.ContainsKey(input) || _regionValues.Contains(input))
                {
                    continue;
                }

                throw new InvalidDataException(
                    $"Node {node.Describe()} reads '{node.Inputs[i]}', which is neither a constant nor computed from the output of {_linear!.Describe()} (layer {_dense[_layer].Index + 1}); NetGen networks are plain chains without skip connections.");
            }

            _region.Add(node);
            _regionValues.Add(node.Outputs[0]);
        }

        private void NoOp(OnnxNode node)
        {
            string input = node.Inputs.Count > 0 ? Resolve(node.Inputs[0]) : "";
            if (node.OpType == "Dropout" && node.Inputs.Count >= 3 && node.Inputs[2].Length > 0)
            {
                string mode = Resolve(node.Inputs[2]);
                if (!_constants.TryGetValue(mode, out OnnxTensor? training) || training.ElementCount() != 1 || training.ToDoubles()[0] != 0)
                {
                    throw new InvalidDataException(
                        $"Node {node.Describe()} may run in training mode (its training_mode input is not a constant false); export the model in eval mode.");
                }
            }

            if (_constants.TryGetValue(input, out OnnxTensor? constant))
            {
                _constants[node.Outputs[0]] = constant;
                return;
            }

            if (!IsChain(input))
            {
                throw new InvalidDataException($"Node {node.Describe()} reads '{(node.Inputs.Count > 0 ? node.Inputs[0] : "")}', which no earlier node computes.");
            }

            _alias[node.Outputs[0]] = input;
        }

        private void Linear(OnnxNode node)
        {
            bool gemm = node.OpType == "Gemm";
            if (node.Inputs.Count < 2)
            {
                throw new InvalidDataException($"Node {node.Describe()} has {node.Inputs.Count} inputs; {node.OpType} takes {(gemm ? "2 or 3" : "2")}.");
            }

            if (_pendingBias)
            {
                throw MissingBias(node);
            }

            string source = Resolve(node.Inputs[0]);
            if (_layer >= 0)
            {
                CloseLayer(source, $"node {node.Describe()}");
            }
            else if (source != _input)
            {
                throw new InvalidDataException(
                    $"Node {node.Describe()} reads '{node.Inputs[0]}', not the graph input '{_input}'; NetGen networks are plain chains.");
            }

            _layer++;
            if (_layer >= _dense.Count)
            {
                throw new InvalidDataException(
                    $"Node {node.Describe()} is dense layer {_layer + 1} of the graph, but '{_info.Name}' declares only {_dense.Count} dense layer(s).");
            }

            _linear = node;
            (int index, LayerInfo layer) = _dense[_layer];
            string what = $"Node {node.Describe()} (layer {index + 1} of '{_info.Name}', Dense {layer.InputSize} -> {layer.Units})";
            bool transA = gemm && IntAttribute(node, "transA", 0) != 0;
            bool transB = gemm && IntAttribute(node, "transB", 0) != 0;
            double alpha = gemm ? FloatAttribute(node, "alpha", 1) : 1;
            double beta = gemm ? FloatAttribute(node, "beta", 1) : 1;
            if (transA)
            {
                throw new InvalidDataException($"{what} has transA=1 (transposed input rows); NetGen reads Gemm with transA=0.");
            }

            OnnxTensor weight = Constant(node, 1, what, "weight");
            long rows = transB ? layer.Units : layer.InputSize, columns = transB ? layer.InputSize : layer.Units;
            if (weight.Dims.Count != 2 || weight.Dims[0] != rows || weight.Dims[1] != columns)
            {
                string hint = weight.Dims.Count == 2 && weight.Dims[0] == columns && weight.Dims[1] == rows
                    ? $" It looks transposed: {node.OpType}{(gemm ? (transB ? " with transB=1" : " with transB=0") : "")} multiplies by a weight of [{rows}, {columns}]."
                    : "";
                throw new InvalidDataException(
                    $"{what} needs a weight of shape [{rows}, {columns}]{(gemm ? $" (transB={(transB ? 1 : 0)})" : "")}; {weight.Describe()} has shape {OnnxTensor.FormatShape(weight.Dims)}.{hint}");
            }

            double[] w = weight.ToDoubles();
            for (int o = 0; o < layer.Units; o++)
            {
                for (int i = 0; i < layer.InputSize; i++)
                {
                    double value = transB ? w[(o * layer.InputSize) + i] : w[(i * layer.Units) + o];
                    Values[layer.WeightOffset + (o * layer.InputSize) + i] = alpha * value;
                }
            }

            bool hasBias = gemm && node.Inputs.Count >= 3 && node.Inputs[2].Length > 0;
            if (hasBias && !layer.HasBias)
            {
                throw new InvalidDataException(
                    $"{what} adds a bias ('{node.Inputs[2]}'), but the layer is declared with Bias = false.");
            }

            if (hasBias)
            {
                StoreBias(Constant(node, 2, what, "bias"), beta, layer, what);
            }
            else if (gemm && layer.HasBias)
            {
                throw MissingBias(node);
            }

            _root = node.Outputs[0];
            _region.Clear();
            _regionValues.Clear();
            _regionValues.Add(_root);
            _pendingBias = !gemm && layer.HasBias;
        }

        private void Bias(OnnxNode node)
        {
            (int index, LayerInfo layer) = _dense[_layer];
            string what = $"Node {node.Describe()} (the bias of layer {index + 1} of '{_info.Name}', Dense {layer.InputSize} -> {layer.Units})";
            if (node.OpType != "Add" || node.Inputs.Count != 2)
            {
                throw MissingBias(node);
            }

            string a = Resolve(node.Inputs[0]), b = Resolve(node.Inputs[1]);
            string other = a == _root ? b : b == _root ? a : "";
            if (other.Length == 0 || !_constants.TryGetValue(other, out OnnxTensor? bias))
            {
                throw new InvalidDataException(
                    $"{what} should add a constant bias to the output of {_linear!.Describe()}; it adds '{node.Inputs[0]}' and '{node.Inputs[1]}'.");
            }

            StoreBias(bias, 1, layer, what);
            _pendingBias = false;
            _root = node.Outputs[0];
            _regionValues.Clear();
            _regionValues.Add(_root);
        }

        private void StoreBias(OnnxTensor tensor, double beta, LayerInfo layer, string what)
        {
            long count = tensor.ElementCount();
            double[] bias = count == layer.Units || count == 1 ? tensor.ToDoubles() : Array.Empty<double>();
            bool rowShape = tensor.Dims.Count == 1 || (tensor.Dims.Count == 2 && tensor.Dims[0] == 1);
            if (count == layer.Units && rowShape)
            {
                for (int o = 0; o < layer.Units; o++)
                {
                    Values[layer.BiasOffset + o] = beta * bias[o];
                }
            }
            else if (count == 1)
            {
                for (int o = 0; o < layer.Units; o++)
                {
                    Values[layer.BiasOffset + o] = beta * bias[0];
                }
            }
            else
            {
                throw new InvalidDataException(
                    $"{what} needs a bias of shape [{layer.Units}]; {tensor.Describe()} has shape {OnnxTensor.FormatShape(tensor.Dims)}.");
            }
        }

        private InvalidDataException MissingBias(OnnxNode? next)
        {
            (int index, LayerInfo layer) = _dense[_layer];
            string after = next is null ? " and the graph ends" : next == _linear ? "" : $" and the next node is {next.Describe()}";
            return new InvalidDataException(
                $"Layer {index + 1} of '{_info.Name}' (Dense {layer.InputSize} -> {layer.Units}) is declared with a bias, but {_linear!.Describe()} has none: " +
                $"{(_linear.OpType == "Gemm" ? "it has no third input C" : "it is not followed by an Add of a constant")}{after}. Declare the layer with Bias = false, or export the bias.");
        }

        private OnnxTensor Constant(OnnxNode node, int input, string what, string role)
        {
            string name = Resolve(node.Inputs[input]);
            return _constants.TryGetValue(name, out OnnxTensor? tensor)
                ? tensor
                : throw new InvalidDataException(
                    $"{what} takes its {role} from '{node.Inputs[input]}', which is not an initializer or a Constant; NetGen imports fixed weights only.");
        }

        /// <summary>Decides the activation of the layer whose last value is <paramref name="output"/> and checks it.</summary>
        private void CloseLayer(string output, string reader)
        {
            (int index, LayerInfo layer) = _dense[_layer];
            OnnxActivation declared = OnnxActivations.Of(layer.Activation);
            string where = $"layer {index + 1} of '{_info.Name}' (Dense {layer.InputSize} -> {layer.Units})";
            if (!_regionValues.Contains(output))
            {
                throw new InvalidDataException(
                    $"{Capitalize(reader)} reads '{output}', which is not computed from the output of {_linear!.Describe()} ({where}); NetGen networks are plain chains.");
            }

            List<OnnxNode> used = UsedNodes(output);
            string ops = used.Count == 0 ? "no activation operator" : string.Join(" -> ", used.Select(n => n.Describe()));
            string found;
            if (used.Count == 0)
            {
                found = NoNodesName;
            }
            else if (used.Any(n => n.OpType == "Softmax"))
            {
                found = used.Count == 1 && Resolve(used[0].Inputs[0]) == _root ? SoftmaxAxis(used[0]) : "a Softmax combined with other operators";
            }
            else if (used.Count == 1 && used[0].OpType == "PRelu")
            {
                OnnxNode prelu = used[0];
                OnnxTensor slope = prelu.Inputs.Count == 2 && _constants.TryGetValue(Resolve(prelu.Inputs[1]), out OnnxTensor? tensor)
                    ? tensor
                    : throw new InvalidDataException($"Node {prelu.Describe()} takes its slope from something that is not an initializer or a Constant.");
                long count = slope.ElementCount();
                if (declared.Match == OnnxMatch.LearnedSlope)
                {
                    if (count != 1)
                    {
                        throw new InvalidDataException(
                            $"Node {prelu.Describe()} after {_linear!.Describe()} ({where}) has {count} slopes ({slope.Describe()}); NetGen's PReLU learns one per layer (nn.PReLU() with num_parameters=1).");
                    }

                    Values[layer.SlopeOffset] = slope.ToDoubles()[0];
                    return;
                }

                found = count == 1 ? $"{LearnedSlopeName} (learned slope {Format(slope.ToDoubles()[0])})" : $"{LearnedSlopeName} ({count} learned slopes)";
            }
            else
            {
                Func<double, double> function = Evaluator(used, output);
                if (declared.Match == OnnxMatch.LearnedSlope)
                {
                    // A learned slope written out (NetGen's double export: Where(z > 0, z, slope z)) or a LeakyRelu: the
                    // slope is f(-1) / -1, exact in floating point, and the function must be the activation with it.
                    double slope = function(-1) / -1;
                    if (IsFinite(slope) && Matches(function, z => Reference(layer.Activation, slope, z)))
                    {
                        Values[layer.SlopeOffset] = slope;
                        return;
                    }
                }

                if (declared.ComparedByValue && Matches(function, z => Reference(layer.Activation, layer.Alpha, z)))
                {
                    return;
                }

                found = Identify(function) ?? "a function that is no NetGen activation";
            }

            // No nodes, or one Softmax over the rows: what Linear and Softmax are recognised by (the found text is their name).
            if (declared.Match is OnnxMatch.NoNodes or OnnxMatch.SoftmaxNode && found == declared.Describe(layer.Alpha))
            {
                return;
            }

            throw new InvalidDataException(
                $"After {_linear!.Describe()}, {where} expects {DescribeActivation(layer.Activation, layer.Alpha)}, but the graph computes {found} ({ops}).{Hint(used, declared)}");
        }

        private string SoftmaxAxis(OnnxNode softmax)
        {
            long axis = IntAttribute(softmax, "axis", _opset >= 13 ? -1 : 1);
            return axis is -1 or 1 ? SoftmaxNodeName : $"a Softmax over axis {axis} (NetGen's runs over each row: axis -1 or 1)";
        }

        private static string Hint(List<OnnxNode> used, OnnxActivation expected)
        {
            // The exact GELU (Erf, or Gelu without approximate="tanh") is what the table's tanh-approximated GELU hint is about.
            if (used.Any(n => n.OpType == "Erf") || used.Any(n => n.OpType == "Gelu" && n.Attribute("approximate")?.StringValue != "tanh"))
            {
                return OnnxActivations.ExactGeluHint;
            }

            return expected.ImportHint;
        }

        /// <summary>The nodes <paramref name="output"/> depends on, in graph order (dead branches left out).</summary>
        private List<OnnxNode> UsedNodes(string output)
        {
            var needed = new HashSet<string>(StringComparer.Ordinal) { output };
            var used = new List<OnnxNode>();
            for (int i = _region.Count - 1; i >= 0; i--)
            {
                OnnxNode node = _region[i];
                if (!needed.Contains(node.Outputs[0]))
                {
                    continue;
                }

                used.Add(node);
                foreach (string input in node.Inputs)
                {
                    needed.Add(Resolve(input));
                }
            }

            used.Reverse();
            return used;
        }

        /// <summary>Builds z -> output of the element-wise subgraph, with its scalar constants read once.</summary>
        private Func<double, double> Evaluator(List<OnnxNode> used, string output)
        {
            var steps = new List<Func<Dictionary<string, double>, double>>();
            foreach (OnnxNode node in used)
            {
                var arguments = new List<Func<Dictionary<string, double>, double>?>();
                foreach (string raw in node.Inputs)
                {
                    string input = Resolve(raw);
                    if (input.Length == 0)
                    {
                        arguments.Add(null);
                    }
                    else if (_constants.TryGetValue(input, out OnnxTensor? tensor))
                    {
                        long count = tensor.ElementCount();
                        if (count != 1)
                        {
                            throw new InvalidDataException(
                                $"Node {node.Describe()} uses constant {tensor.Describe()} of {count} values; an activation applies one scalar function to every unit, so its constants are single values.");
                        }

                        double value = tensor.ToDoubles()[0];
                        arguments.Add(_ => value);
                    }
                    else
                    {
                        arguments.Add(env => env[input]);
                    }
                }

                steps.Add(Operation(node, arguments));
            }

            return z =>
            {
                var env = new Dictionary<string, double>(StringComparer.Ordinal) { [_root] = z };
                for (int i = 0; i < used.Count; i++)
                {
                    env[used[i].Outputs[0]] = steps[i](env);
                }

                return env[output];
            };
        }

        private Func<Dictionary<string, double>, double> Operation(OnnxNode node, List<Func<Dictionary<string, double>, double>?> args)
        {
            Func<Dictionary<string, double>, double> Arg(int i) =>
                i < args.Count && args[i] is { } f
                    ? f
                    : throw new InvalidDataException($"Node {node.Describe()} lacks its input {i + 1}.");

            Func<Dictionary<string, double>, double> x = Arg(0);
            switch (node.OpType)
            {
                case "Relu":
                    return e => Math.Max(x(e), 0);
                case "Sigmoid":
                    return e => 1 / (1 + Math.Exp(-x(e)));
                case "Tanh":
                    return e => Math.Tanh(x(e));
                case "Softsign":
                    return e => x(e) / (1 + Math.Abs(x(e)));
                case "LeakyRelu":
                {
                    double alpha = FloatAttribute(node, "alpha", 0.01f);
                    return e => x(e) >= 0 ? x(e) : alpha * x(e);
                }

                case "PRelu":
                {
                    Func<Dictionary<string, double>, double> slope = Arg(1);
                    return e => x(e) >= 0 ? x(e) : slope(e) * x(e);
                }

                case "Elu":
                {
                    double alpha = FloatAttribute(node, "alpha", 1);
                    return e => x(e) >= 0 ? x(e) : alpha * (Math.Exp(x(e)) - 1);
                }

                case "Selu":
                {
                    double alpha = FloatAttribute(node, "alpha", 1.67326319217681884765625f);
                    double gamma = FloatAttribute(node, "gamma", 1.05070102214813232421875f);
                    return e => x(e) > 0 ? gamma * x(e) : gamma * alpha * (Math.Exp(x(e)) - 1);
                }

                case "Softplus":
                    return e => StableSoftplus(x(e));
                case "HardSigmoid":
                {
                    double alpha = FloatAttribute(node, "alpha", 0.2f);
                    double beta = FloatAttribute(node, "beta", 0.5f);
                    return e => Math.Max(0, Math.Min(1, (alpha * x(e)) + beta));
                }

                case "Gelu":
                    if (node.Attribute("approximate")?.StringValue != "tanh")
                    {
                        throw new InvalidDataException(
                            $"Node {node.Describe()} is the exact GELU (with erf); NetGen's GELU is the tanh approximation: export nn.GELU(approximate='tanh').");
                    }

                    return e => GeluTanh(x(e));
                case "Sign":
                    return e =>
                    {
                        double v = x(e);
                        return double.IsNaN(v) ? double.NaN : Math.Sign(v);
                    };
                case "Abs":
                    return e => Math.Abs(x(e));
                case "Neg":
                    return e => -x(e);
                case "Exp":
                    return e => Math.Exp(x(e));
                case "Log":
                    return e => Math.Log(x(e));
                case "Sqrt":
                    return e => Math.Sqrt(x(e));
                case "Reciprocal":
                    return e => 1 / x(e);
                case "Add":
                {
                    Func<Dictionary<string, double>, double> y = Arg(1);
                    return e => x(e) + y(e);
                }

                case "Sub":
                {
                    Func<Dictionary<string, double>, double> y = Arg(1);
                    return e => x(e) - y(e);
                }

                case "Mul":
                {
                    Func<Dictionary<string, double>, double> y = Arg(1);
                    return e => x(e) * y(e);
                }

                case "Div":
                {
                    Func<Dictionary<string, double>, double> y = Arg(1);
                    return e => x(e) / y(e);
                }

                case "Pow":
                {
                    Func<Dictionary<string, double>, double> y = Arg(1);
                    return e => Math.Pow(x(e), y(e));
                }

                case "Greater":
                case "Less":
                case "GreaterOrEqual":
                case "LessOrEqual":
                {
                    Func<Dictionary<string, double>, double> y = Arg(1);
                    string op = node.OpType;
                    return e => op switch
                    {
                        "Greater" => x(e) > y(e),
                        "Less" => x(e) < y(e),
                        "GreaterOrEqual" => x(e) >= y(e),
                        _ => x(e) <= y(e),
                    } ? 1 : 0;
                }

                case "Where":
                {
                    Func<Dictionary<string, double>, double> whenTrue = Arg(1), whenFalse = Arg(2);
                    return e => x(e) != 0 ? whenTrue(e) : whenFalse(e);
                }

                case "Max":
                case "Min":
                {
                    bool max = node.OpType == "Max";
                    var all = args.Select((_, i) => Arg(i)).ToArray();
                    return e =>
                    {
                        double result = all[0](e);
                        for (int i = 1; i < all.Length; i++)
                        {
                            result = max ? Math.Max(result, all[i](e)) : Math.Min(result, all[i](e));
                        }

                        return result;
                    };
                }

                case "Clip":
                {
                    Func<Dictionary<string, double>, double> low, high;
                    if (_opset < 11)
                    {
                        double min = FloatAttribute(node, "min", float.MinValue), max = FloatAttribute(node, "max", float.MaxValue);
                        low = _ => min;
                        high = _ => max;
                    }
                    else
                    {
                        low = args.Count > 1 && args[1] is { } l ? l : _ => double.NegativeInfinity;
                        high = args.Count > 2 && args[2] is { } h ? h : _ => double.PositiveInfinity;
                    }

                    return e => Math.Min(Math.Max(x(e), low(e)), high(e));
                }

                default:
                    throw Unsupported(node);
            }
        }

        private InvalidDataException Unsupported(OnnxNode node)
        {
            string hint = node.OpType switch
            {
                "Erf" => " It is part of the exact GELU; NetGen's GELU is the tanh approximation: export nn.GELU(approximate='tanh').",
                "LogSoftmax" => " NetGen has Softmax, not LogSoftmax: export nn.Softmax(dim=1).",
                "Conv" or "MaxPool" or "AveragePool" or "BatchNormalization" or "LSTM" or "GRU" or "RNN" => " NetGen networks are multilayer perceptrons (dense layers only).",
                "Cast" or "Reshape" or "Transpose" or "Shape" or "Gather" or "Unsqueeze" or "Squeeze" or "Concat" => " NetGen reads plain MLP graphs; export with a 2-D input [batch, features] and constant folding on (the default).",
                _ => "",
            };
            return new InvalidDataException(
                $"Node {node.Describe()} is not supported: NetGen imports Gemm, MatMul (+ Add), the element-wise operators of its activations ({string.Join(", ", ElementWise.OrderBy(o => o, StringComparer.Ordinal))}), Softmax, Flatten, Identity, Dropout and Constant.{hint}");
        }

        private OnnxTensor ConstantValue(OnnxNode node)
        {
            foreach (OnnxAttribute attribute in node.Attributes)
            {
                switch (attribute.Name)
                {
                    case "value" when attribute.T is not null:
                        return attribute.T;
                    case "value_float":
                        return Scalar(node.Outputs[0], attribute.F);
                    case "value_int":
                        return Scalar(node.Outputs[0], attribute.I);
                    case "value_floats":
                    {
                        var tensor = new OnnxTensor { Name = node.Outputs[0], DataType = OnnxDataType.Float };
                        tensor.Dims.Add(attribute.Floats.Count);
                        tensor.FloatData.AddRange(attribute.Floats);
                        return tensor;
                    }
                }
            }

            throw new InvalidDataException($"Node {node.Describe()} has no numeric value (value, value_float, value_int or value_floats attribute) NetGen reads.");
        }

        private static OnnxTensor Scalar(string name, double value)
        {
            var tensor = new OnnxTensor { Name = name, DataType = OnnxDataType.Double };
            tensor.DoubleData.Add(value);
            return tensor;
        }

        private static long IntAttribute(OnnxNode node, string name, long fallback)
        {
            OnnxAttribute? attribute = node.Attribute(name);
            return attribute is null ? fallback : attribute.I;
        }

        private static double FloatAttribute(OnnxNode node, string name, float fallback)
        {
            OnnxAttribute? attribute = node.Attribute(name);
            return attribute is null ? fallback : attribute.F;
        }

        private string DescribeLayer(int dense)
        {
            (int index, LayerInfo layer) = _dense[dense];
            return $"layer {index + 1} (Dense {layer.InputSize} -> {layer.Units}, {DescribeActivation(layer.Activation, layer.Alpha)})";
        }
    }

    private static bool Matches(Func<double, double> function, Func<double, double> reference)
    {
        foreach (double z in Probes)
        {
            double expected = reference(z), actual = function(z);
            if (!(Math.Abs(actual - expected) <= (Relative * Math.Abs(expected)) + Absolute))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The NetGen activation (with its alpha) an element-wise function equals, or null.</summary>
    private static string? Identify(Func<double, double> function)
    {
        foreach (OnnxActivation candidate in OnnxActivations.All)
        {
            if (!candidate.ComparedByValue)
            {
                continue;
            }

            double alpha = candidate.ReadAlpha?.Invoke(function) ?? 0;
            if (IsFinite(alpha) && Matches(function, z => Reference(candidate.Kind, alpha, z)))
            {
                return candidate.Describe(alpha);
            }
        }

        return null;
    }

    internal static string DescribeActivation(Activation activation, double alpha) => OnnxActivations.Of(activation).Describe(alpha);

    // What CloseLayer reports finding when the structure, not a formula, decides: the names of the activations recognised so.
    private static string NoNodesName => Named(OnnxMatch.NoNodes);

    private static string SoftmaxNodeName => Named(OnnxMatch.SoftmaxNode);

    private static string LearnedSlopeName => Named(OnnxMatch.LearnedSlope);

    private static string Named(OnnxMatch match) => OnnxActivations.All.First(a => a.Match == match).Kind.ToString();

    private static string Format(double value) => ((float)value).ToString("R", CultureInfo.InvariantCulture);

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);

    // double.IsFinite is missing from netstandard2.0, which the generator compiles this file for.
    private static bool IsFinite(double value) => !double.IsNaN(value) && !double.IsInfinity(value);

    // The ONNX operators Softplus (ln(1 + e^x), no threshold) and Gelu(approximate="tanh"), for the element-wise evaluator.
    private static double StableSoftplus(double z) => z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));

    private static double GeluTanh(double z) => 0.5 * z * (1 + Math.Tanh(ActivationTable.GeluSqrtTwoOverPi * (z + (ActivationTable.GeluCubic * z * z * z))));

    /// <summary>NetGen's activation formulas (docs/numerics.md), in double precision: the facts table's.</summary>
    internal static double Reference(Activation activation, double alpha, double z) =>
        ActivationTable.Of(activation).Reference is { } reference ? reference(z, alpha) : double.NaN;
}
