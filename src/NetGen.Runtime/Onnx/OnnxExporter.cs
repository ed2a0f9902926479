using System;
using System.Collections.Generic;
using System.Globalization;
using System.Reflection;
using NetGen.OnnxFormat;

namespace NetGen;

/// <summary>
/// Builds the ONNX graph of a NetGen network: a Gemm (transB=1, the [out, in] weight as stored) per dense layer and
/// its activation as opset-13 operators, the constants of multi-operator activations as scalar initializers of the
/// network's element type. Names are <c>layerK.weight</c>, <c>layerK.bias</c>, <c>layerK.slope</c> (K as in
/// <see cref="NetworkInfo.Layers"/>, from 1), values <c>layerK.*</c>, the graph's input <c>input</c> and output
/// <c>output</c>. See docs/shipping.md ("What ONNX export writes") for the operators each activation becomes.
/// </summary>
internal static class OnnxExporter
{
    public static OnnxModel Build(NetworkInfo info, double[] parameters)
    {
        var builder = new Builder(info, parameters);
        return builder.Build();
    }

    private sealed class Builder
    {
        private readonly NetworkInfo _info;
        private readonly double[] _parameters;
        private readonly int _type;
        private readonly OnnxGraph _graph = new();

        public Builder(NetworkInfo info, double[] parameters)
        {
            _info = info;
            _parameters = parameters;
            _type = info.Precision == Precision.Double ? OnnxDataType.Double : OnnxDataType.Float;
        }

        public OnnxModel Build()
        {
            string value = "input";
            for (int k = 0; k < _info.Layers.Count; k++)
            {
                LayerInfo layer = _info.Layers[k];
                if (layer.Kind != LayerKind.Dense)
                {
                    continue; // dropout is the identity at inference
                }

                string prefix = "layer" + (k + 1).ToString(CultureInfo.InvariantCulture);
                value = Dense(prefix, layer, value);
                value = Activate(prefix, layer, value);
            }

            if (value == "input")
            {
                Node("Identity", "output", value);
            }
            else
            {
                OnnxNode last = _graph.Nodes[_graph.Nodes.Count - 1];
                last.Outputs[0] = "output";
            }

            _graph.Name = _info.Name;
            _graph.Inputs.Add(Value("input", _info.InputSize));
            _graph.Outputs.Add(Value("output", _info.OutputSize));

            var model = new OnnxModel
            {
                IrVersion = 7, // the IR version of opset 13 (ONNX 1.8)
                ProducerName = "NetGen",
                ProducerVersion = typeof(Onnx).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "",
                DocString = $"{_info.Name}: {_info.Fingerprint}",
                Graph = _graph,
            };
            model.OpsetImports.Add(new OnnxOpset { Domain = "", Version = Onnx.ExportOpset });
            return model;
        }

        private string Dense(string prefix, LayerInfo layer, string input)
        {
            string weight = Initializer(prefix + ".weight", new long[] { layer.Units, layer.InputSize }, layer.WeightOffset, layer.Units * layer.InputSize);
            var inputs = new List<string> { input, weight };
            if (layer.HasBias)
            {
                inputs.Add(Initializer(prefix + ".bias", new long[] { layer.Units }, layer.BiasOffset, layer.Units));
            }

            OnnxNode gemm = Node("Gemm", prefix + ".gemm", inputs.ToArray());
            gemm.Attributes.Add(new OnnxAttribute { Name = "transB", Type = OnnxAttribute.TypeInt, I = 1 });
            return gemm.Outputs[0];
        }

        private string Activate(string prefix, LayerInfo layer, string z)
        {
            string name = prefix + "." + layer.Activation.ToString().ToLowerInvariant();
            if (_type == OnnxDataType.Double && layer.Activation is Activation.LeakyReLU or Activation.PReLU or Activation.ELU or Activation.SELU or Activation.Softplus)
            {
                return ActivateDouble(prefix, name, layer, z);
            }

            switch (layer.Activation)
            {
                case Activation.Linear:
                    return z;
                case Activation.Sigmoid:
                case Activation.Tanh:
                case Activation.Softplus:
                case Activation.Sign:
                    return Node(layer.Activation.ToString(), name, z).Outputs[0];
                case Activation.ReLU:
                    return Node("Relu", name, z).Outputs[0];
                case Activation.SELU:
                    return Node("Selu", name, z).Outputs[0]; // the default alpha and gamma are SELU's constants
                case Activation.LeakyReLU:
                case Activation.ELU:
                {
                    OnnxNode node = Node(layer.Activation == Activation.ELU ? "Elu" : "LeakyRelu", name, z);
                    node.Attributes.Add(new OnnxAttribute { Name = "alpha", Type = OnnxAttribute.TypeFloat, F = (float)layer.Alpha });
                    return node.Outputs[0];
                }

                case Activation.PReLU:
                    return Node("PRelu", name, z, Initializer(prefix + ".slope", new long[] { 1 }, layer.SlopeOffset, 1)).Outputs[0];
                case Activation.Softmax:
                {
                    OnnxNode node = Node("Softmax", name, z);
                    node.Attributes.Add(new OnnxAttribute { Name = "axis", Type = OnnxAttribute.TypeInt, I = -1 });
                    return node.Outputs[0];
                }

                case Activation.SiLU:
                {
                    // z sigmoid(z), as torch.onnx exports nn.SiLU
                    string sigmoid = Node("Sigmoid", name + ".sigmoid", z).Outputs[0];
                    return Node("Mul", name, z, sigmoid).Outputs[0];
                }

                case Activation.GELU:
                {
                    // 0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3))) in the generated code's operation order
                    string c = Scalar(name + ".c", 0.044715), k = Scalar(name + ".k", 0.7978845608028654);
                    string one = Scalar(name + ".one", 1), half = Scalar(name + ".half", 0.5);
                    string cz = Node("Mul", name + ".cz", c, z).Outputs[0];
                    string czz = Node("Mul", name + ".czz", cz, z).Outputs[0];
                    string czzz = Node("Mul", name + ".czzz", czz, z).Outputs[0];
                    string inner = Node("Add", name + ".inner", z, czzz).Outputs[0];
                    string scaled = Node("Mul", name + ".scaled", k, inner).Outputs[0];
                    string tanh = Node("Tanh", name + ".tanh", scaled).Outputs[0];
                    string onePlus = Node("Add", name + ".oneplus", one, tanh).Outputs[0];
                    string halfZ = Node("Mul", name + ".halfz", half, z).Outputs[0];
                    return Node("Mul", name, halfZ, onePlus).Outputs[0];
                }

                case Activation.PiecewiseLinear:
                {
                    // clip(z + 0.5, 0, 1), as torch.onnx exports torch.clamp(z + 0.5, 0, 1)
                    string shifted = Node("Add", name + ".shift", z, Scalar(name + ".half", 0.5)).Outputs[0];
                    return Node("Clip", name, shifted, Scalar(name + ".min", 0), Scalar(name + ".max", 1)).Outputs[0];
                }

                case Activation.Step:
                {
                    // (sign(z) + 1) / 2 is 0, 0.5 and 1 exactly for z < 0, z = 0 and z > 0
                    string sign = Node("Sign", name + ".sign", z).Outputs[0];
                    string shifted = Node("Add", name + ".shift", sign, Scalar(name + ".one", 1)).Outputs[0];
                    return Node("Mul", name, shifted, Scalar(name + ".half", 0.5)).Outputs[0];
                }

                default:
                    throw new NotSupportedException($"Activation {layer.Activation} has no ONNX form in this version of NetGen.");
            }
        }

        /// <summary>
        /// The activations ONNX Runtime's CPU provider runs in float only (LeakyRelu, PRelu, Elu, Selu, Softplus), as
        /// Where/Greater expressions of operators it runs in double, in the generated code's operation order.
        /// </summary>
        private string ActivateDouble(string prefix, string name, LayerInfo layer, string z)
        {
            string positive = Node("Greater", name + ".positive", z, Scalar(name + ".zero", 0)).Outputs[0];
            string expm1 = layer.Activation is Activation.ELU or Activation.SELU
                ? Node("Sub", name + ".expm1", Node("Exp", name + ".exp", z).Outputs[0], Scalar(name + ".one", 1)).Outputs[0]
                : "";
            switch (layer.Activation)
            {
                case Activation.LeakyReLU:
                case Activation.PReLU:
                {
                    string slope = layer.Activation == Activation.PReLU
                        ? Initializer(prefix + ".slope", new long[] { 1 }, layer.SlopeOffset, 1)
                        : Scalar(name + ".alpha", layer.Alpha);
                    string negative = Node("Mul", name + ".negative", slope, z).Outputs[0];
                    return Node("Where", name, positive, z, negative).Outputs[0];
                }

                case Activation.ELU:
                {
                    string negative = Node("Mul", name + ".negative", Scalar(name + ".alpha", layer.Alpha), expm1).Outputs[0];
                    return Node("Where", name, positive, z, negative).Outputs[0];
                }

                case Activation.SELU:
                {
                    string scaled = Node("Mul", name + ".scaled", Scalar(name + ".lambda", 1.0507009873554805), z).Outputs[0];
                    string negative = Node("Mul", name + ".negative", Scalar(name + ".lambdaalpha", 1.7580993408473766), expm1).Outputs[0];
                    return Node("Where", name, positive, scaled, negative).Outputs[0];
                }

                default:
                {
                    // Softplus: z above 20 as PyTorch and NetGen, else ln(1 + e^z) (ONNX has no log1p)
                    positive = Node("Greater", name + ".large", z, Scalar(name + ".threshold", 20)).Outputs[0];
                    string exp = Node("Exp", name + ".exp", z).Outputs[0];
                    string log = Node("Log", name + ".log", Node("Add", name + ".oneplus", Scalar(name + ".one", 1), exp).Outputs[0]).Outputs[0];
                    return Node("Where", name, positive, z, log).Outputs[0];
                }
            }
        }

        private OnnxNode Node(string opType, string output, params string[] inputs)
        {
            var node = new OnnxNode { OpType = opType, Name = output };
            node.Inputs.AddRange(inputs);
            node.Outputs.Add(output);
            _graph.Nodes.Add(node);
            return node;
        }

        private string Initializer(string name, long[] dims, int offset, int count)
        {
            var tensor = new OnnxTensor { Name = name, DataType = _type };
            tensor.Dims.AddRange(dims);
            var values = new ArraySegment<double>(_parameters, offset, count);
            tensor.SetRawData(_type == OnnxDataType.Double ? ProtoWriter.RawDoubles(values) : ProtoWriter.RawSingles(values));
            _graph.Initializers.Add(tensor);
            return name;
        }

        private string Scalar(string name, double value)
        {
            var tensor = new OnnxTensor { Name = name, DataType = _type };
            tensor.SetRawData(_type == OnnxDataType.Double ? ProtoWriter.RawDoubles(new[] { value }) : ProtoWriter.RawSingles(new[] { value }));
            _graph.Initializers.Add(tensor);
            return name;
        }

        private OnnxValueInfo Value(string name, int features) => new()
        {
            Name = name,
            IsTensor = true,
            ElemType = _type,
            Shape = new List<OnnxDimension> { new() { Param = "batch" }, new() { Value = features } },
        };
    }
}
