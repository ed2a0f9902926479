using System;
using System.IO;
using System.Linq;
using NetGen;
using NetGen.OnnxFormat;
using NetGen.Runtime.Tests.Reference;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.OnnxFiles;

/// <summary>
/// Onnx.Export: every activation's network, exported and run in ONNX Runtime, gives NetGen's outputs; the export
/// imports back into a fresh instance bit for bit.
/// </summary>
public class OnnxExportTests(ITestOutputHelper output)
{
    private const int Rows = 64;

    public static TheoryData<string> Activations()
    {
        var data = new TheoryData<string>();
        foreach (string name in Enum.GetNames<Activation>())
        {
            data.Add(name);
        }

        data.Add("NoBiasDropout");
        return data;
    }

    private static INeuralNetwork<float> Single(string name, int seed) => name switch
    {
        "Linear" => new ExportLinear(seed),
        "Sigmoid" => new ExportSigmoid(seed),
        "Tanh" => new ExportTanh(seed),
        "ReLU" => new ExportRelu(seed),
        "LeakyReLU" => new ExportLeakyRelu(seed),
        "PReLU" => new ExportPrelu(seed),
        "ELU" => new ExportElu(seed),
        "SELU" => new ExportSelu(seed),
        "Softplus" => new ExportSoftplus(seed),
        "GELU" => new ExportGelu(seed),
        "SiLU" => new ExportSilu(seed),
        "PiecewiseLinear" => new ExportPiecewiseLinear(seed),
        "Step" => new ExportStep(seed),
        "Sign" => new ExportSign(seed),
        "Softmax" => new ExportSoftmax(seed),
        "NoBiasDropout" => new ExportNoBiasDropout(seed),
        _ => throw new ArgumentException(name, nameof(name)),
    };

    private static INeuralNetwork<double>? Double(string name, int seed) => name switch
    {
        "Linear" => new ExportLinearDouble(seed),
        "Sigmoid" => new ExportSigmoidDouble(seed),
        "Tanh" => new ExportTanhDouble(seed),
        "ReLU" => new ExportReluDouble(seed),
        "LeakyReLU" => new ExportLeakyReluDouble(seed),
        "PReLU" => new ExportPreluDouble(seed),
        "ELU" => new ExportEluDouble(seed),
        "SELU" => new ExportSeluDouble(seed),
        "Softplus" => new ExportSoftplusDouble(seed),
        "GELU" => new ExportGeluDouble(seed),
        "SiLU" => new ExportSiluDouble(seed),
        "PiecewiseLinear" => new ExportPiecewiseLinearDouble(seed),
        "Step" => new ExportStepDouble(seed),
        "Sign" => new ExportSignDouble(seed),
        "Softmax" => new ExportSoftmaxDouble(seed),
        _ => null,
    };

    /// <summary>Inputs from 3 N(0, 1) with an exact 0 and ±0.5 mixed in, so that kinks and the tails are exercised.</summary>
    private static double[] Inputs(int features, int seed)
    {
        var random = new Random(seed);
        var values = new double[Rows * features];
        for (int i = 0; i < values.Length; i++)
        {
            double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
            values[i] = (float)(3 * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        return values;
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void SingleExportRunsInOnnxRuntimeWithNetGensOutputs(string activation)
    {
        INeuralNetwork<float> net = Single(activation, seed: 7);
        if (activation == "PReLU")
        {
            net.Parameters[net.Info.Layers[0].SlopeOffset] = 0.3f; // a slope that is not the default start
        }

        float[] inputs = ReferenceCase.ToSingle(Inputs(net.InputSize, seed: 11));
        var expected = new float[Rows * net.OutputSize];
        net.PredictBatch(inputs, expected);

        byte[] model = Onnx.ExportBytes(net);
        float[] actual = OnnxFixtures.RunSingle(model, inputs, Rows);
        output.WriteLine($"{activation} float: {model.Length} bytes, max relative difference to ONNX Runtime {OnnxReferenceTests.MaxRelative(Widen(expected), Widen(actual)):E2}");
        ReferenceAssert.Close(Widen(expected), actual, 1e-5, 1e-6, $"{activation} exported, in ONNX Runtime");
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void DoubleExportRunsInOnnxRuntimeWithNetGensOutputs(string activation)
    {
        INeuralNetwork<double>? net = Double(activation, seed: 7);
        if (net is null)
        {
            return; // NoBiasDropout has a float declaration only
        }

        double[] inputs = Inputs(net.InputSize, seed: 11);
        var expected = new double[Rows * net.OutputSize];
        net.PredictBatch(inputs, expected);
        byte[] model = Onnx.ExportBytes(net);
        double[] actual = OnnxFixtures.RunDouble(model, inputs, Rows);
        output.WriteLine($"{activation} double: max relative difference to ONNX Runtime {OnnxReferenceTests.MaxRelative(expected, actual):E2}");
        ReferenceAssert.Close(expected, actual, 1e-12, 1e-14, $"{activation} exported as double, in ONNX Runtime");
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void ExportImportsBackBitForBit(string activation)
    {
        INeuralNetwork<float> source = Single(activation, seed: 3);
        INeuralNetwork<float> copy = Single(activation, seed: 4);
        Assert.NotEqual(source.Parameters.ToArray(), copy.Parameters.ToArray());
        using var stream = new MemoryStream();
        Onnx.Export(source, stream);
        stream.Position = 0;
        Onnx.Import(copy, stream);
        Assert.Equal(source.Parameters.ToArray(), copy.Parameters.ToArray());

        INeuralNetwork<double>? sourceDouble = Double(activation, seed: 3), copyDouble = Double(activation, seed: 4);
        if (sourceDouble is not null && copyDouble is not null)
        {
            Onnx.Import(copyDouble, Onnx.ExportBytes(sourceDouble));
            Assert.Equal(sourceDouble.Parameters.ToArray(), copyDouble.Parameters.ToArray());
        }
    }

    [Fact]
    public void TheExportedGraphHasTheDocumentedShape()
    {
        var net = new ExportNoBiasDropout(seed: 1);
        OnnxModel model = OnnxModel.Parse(Onnx.ExportBytes(net));
        Assert.Equal(7, model.IrVersion);
        Assert.Equal("NetGen", model.ProducerName);
        Assert.Equal(Onnx.ExportOpset, model.OpsetImports.Single(o => o.Domain == "").Version);
        OnnxGraph graph = model.Graph!;
        Assert.Equal(new[] { "Gemm", "Relu", "Gemm", "Tanh", "Gemm" }, graph.Nodes.Select(n => n.OpType));
        Assert.All(graph.Nodes.Where(n => n.OpType == "Gemm"), n => Assert.Equal(1, n.Attribute("transB")!.I));
        Assert.Equal(new[] { "layer1.weight", "layer3.weight", "layer3.bias", "layer4.weight" }, graph.Initializers.Select(t => t.Name));
        Assert.Equal(new long[] { 6, 4 }, graph.Initializers[0].Dims);
        OnnxValueInfo input = graph.Inputs.Single(), result = graph.Outputs.Single();
        Assert.Equal("input", input.Name);
        Assert.Equal("['batch', 4]", input.FormatShape());
        Assert.Equal("output", result.Name);
        Assert.Equal("['batch', 3]", result.FormatShape());
        Assert.Equal("output", graph.Nodes[^1].Outputs[0]);
    }

    [Fact]
    public void ExportIsDeterministic()
    {
        Assert.Equal(Onnx.ExportBytes(new ExportGelu(seed: 5)), Onnx.ExportBytes(new ExportGelu(seed: 5)));
    }

    [Fact]
    public void ExportToAFileWritesTheSameBytes()
    {
        var net = new ExportSoftmax(seed: 2);
        string path = Path.Combine(Path.GetTempPath(), $"netgen-export-{Guid.NewGuid():N}.onnx");
        try
        {
            Onnx.Export(net, path);
            Assert.Equal(Onnx.ExportBytes(net), File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static double[] Widen(float[] values) => values.Select(v => (double)v).ToArray();
}
