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

        /// <summary>The layer's activation, as the table of ONNX forms writes it (<see cref="OnnxActivations"/>).</summary>
        private string Activate(string prefix, LayerInfo layer, string z)
        {
            OnnxActivation form = OnnxActivations.Of(layer.Activation);
            var writer = new LayerWriter(this, prefix, prefix + "." + layer.Activation.ToString().ToLowerInvariant(), layer);
            return (_type == OnnxDataType.Double && form.ExportDouble is not null ? form.ExportDouble : form.Export)(writer, z);
        }

        /// <summary>One layer's view of the graph for <see cref="OnnxActivation.Export"/>: node and constant names start with the activation's.</summary>
        private sealed class LayerWriter(Builder builder, string prefix, string name, LayerInfo layer) : IOnnxActivationWriter
        {
            public double Alpha => layer.Alpha;

            public OnnxNode Node(string opType, string suffix, params string[] inputs) => builder.Node(opType, name + suffix, inputs);

            public string Scalar(string suffix, double value) => builder.Scalar(name + suffix, value);

            public string Slope() => builder.Initializer(prefix + ".slope", new long[] { 1 }, layer.SlopeOffset, 1);
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
