using System;
using System.IO;
using System.Linq;
using NetGen;
using NetGen.Runtime.Tests.Reference;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.OnnxFiles;

/// <summary>
/// Onnx.Import against real torch.onnx.export files (tests/reference/onnx/, made by
/// tests/reference/make_onnx_reference.py): every case imports into its declared network, which then reproduces
/// PyTorch's outputs; ONNX Runtime runs each file too, as a check of the fixture itself.
/// </summary>
public class OnnxReferenceTests(ITestOutputHelper output)
{
    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (FixtureCase c in OnnxFixtures.Cases)
        {
            data.Add(c.Name);
        }

        return data;
    }

    /// <summary>The declared networks of a case: double precision and the single-precision twin.</summary>
    internal static (INeuralNetwork<double> Double, INeuralNetwork<float> Single) Networks(string name) => name switch
    {
        "relu_tanh" => (new FixtureReluTanh(seed: 1), new FixtureReluTanhSingle(seed: 1)),
        "sigmoid_softmax" => (new FixtureSigmoidSoftmax(seed: 1), new FixtureSigmoidSoftmaxSingle(seed: 1)),
        "leaky_elu" => (new FixtureLeakyElu(seed: 1), new FixtureLeakyEluSingle(seed: 1)),
        "prelu_selu" => (new FixturePreluSelu(seed: 1), new FixturePreluSeluSingle(seed: 1)),
        "softplus_gelu" => (new FixtureSoftplusGelu(seed: 1), new FixtureSoftplusGeluSingle(seed: 1)),
        "silu_piecewise" => (new FixtureSiluPiecewise(seed: 1), new FixtureSiluPiecewiseSingle(seed: 1)),
        "step_sign" => (new FixtureStepSign(seed: 1), new FixtureStepSignSingle(seed: 1)),
        "nobias_flatten_dropout" => (new FixtureNobiasFlattenDropout(seed: 1), new FixtureNobiasFlattenDropoutSingle(seed: 1)),
        "opset9_clip_softmax" => (new FixtureOpset9ClipSoftmax(seed: 1), new FixtureOpset9ClipSoftmaxSingle(seed: 1)),
        "double_tanh_sigmoid" => (new FixtureDoubleTanhSigmoid(seed: 1), new FixtureDoubleTanhSigmoidSingle(seed: 1)),
        "matmul_add_relu" => (new FixtureMatmulAddRelu(seed: 1), new FixtureMatmulAddReluSingle(seed: 1)),
        _ => throw new ArgumentException($"No declared network for ONNX fixture '{name}'; add one to OnnxNetworks.cs.", nameof(name)),
    };

    [Fact]
    public void EveryFixtureHasADeclarationThatMatchesItsDescription()
    {
        Assert.Equal(11, OnnxFixtures.Cases.Count);
        foreach (FixtureCase c in OnnxFixtures.Cases)
        {
            (INeuralNetwork<double> d, INeuralNetwork<float> s) = Networks(c.Name);
            foreach (NetworkInfo info in new[] { d.Info, s.Info })
            {
                Assert.Equal(c.InputSize, info.InputSize);
                Assert.Equal(c.OutputSize, info.OutputSize);
                Assert.Equal(c.Layers.Count, info.Layers.Count);
                for (int k = 0; k < c.Layers.Count; k++)
                {
                    FixtureLayer expected = c.Layers[k];
                    LayerInfo actual = info.Layers[k];
                    string what = $"{c.Name} layer {k + 1}";
                    Assert.True(expected.Kind == actual.Kind, what);
                    Assert.True(expected.Units == actual.Units, what);
                    Assert.True(expected.Activation == actual.Activation, what);
                    Assert.True(expected.Bias == actual.HasBias || actual.Kind == LayerKind.Dropout, what);
                    if (expected.Activation is Activation.LeakyReLU or Activation.ELU)
                    {
                        Assert.True(expected.Alpha == actual.Alpha, what);
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ImportedDoubleNetworkReproducesPyTorchFloat64Outputs(string name)
    {
        FixtureCase c = OnnxFixtures.Case(name);
        INeuralNetwork<double> net = Networks(name).Double;
        Onnx.Import(net, c.Path);

        var outputs = new double[c.Rows * c.OutputSize];
        net.PredictBatch(c.Inputs, outputs);
        output.WriteLine($"{name}: max relative error vs PyTorch float64 {MaxRelative(c.OutputsFloat64, outputs):E2}");
        // The acceptance target is 1e-6 relative; double arithmetic on the exported weights gives far less.
        ReferenceAssert.Close(c.OutputsFloat64, outputs, ReferenceAssert.DoubleRelative, ReferenceAssert.DoubleAbsolute, $"{name} outputs");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ImportedSingleNetworkReproducesThePyTorchModuleOutputs(string name)
    {
        FixtureCase c = OnnxFixtures.Case(name);
        INeuralNetwork<float> net = Networks(name).Single;
        using (FileStream stream = File.OpenRead(c.Path))
        {
            Onnx.Import(net, stream);
        }

        var outputs = new float[c.Rows * c.OutputSize];
        net.PredictBatch(ReferenceCase.ToSingle(c.Inputs), outputs);
        double[] expected = c.DType == "float64" ? c.OutputsFloat64 : c.OutputsNative;
        output.WriteLine($"{name}: max relative error vs PyTorch float32 {MaxRelative(expected, outputs.Select(v => (double)v).ToArray()):E2}");
        ReferenceAssert.Close(expected, outputs, ReferenceAssert.SingleRelative, ReferenceAssert.SingleAbsolute, $"{name} outputs (float)");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void OnnxRuntimeRunsEachFixtureWithPyTorchsOutputs(string name)
    {
        FixtureCase c = OnnxFixtures.Case(name);
        byte[] model = File.ReadAllBytes(c.Path);
        if (c.DType == "float64")
        {
            double[] outputs = OnnxFixtures.RunDouble(model, c.Inputs, c.Rows);
            ReferenceAssert.Close(c.OutputsFloat64, outputs, ReferenceAssert.DoubleRelative, ReferenceAssert.DoubleAbsolute, $"{name} in ONNX Runtime");
        }
        else
        {
            float[] outputs = OnnxFixtures.RunSingle(model, ReferenceCase.ToSingle(c.Inputs), c.Rows);
            ReferenceAssert.Close(c.OutputsNative, outputs, ReferenceAssert.SingleRelative, ReferenceAssert.SingleAbsolute, $"{name} in ONNX Runtime");
        }
    }

    [Fact]
    public void ImportOverwritesEveryParameter()
    {
        // Two differently seeded instances end equal: nothing of the random start survives the import.
        foreach (FixtureCase c in OnnxFixtures.Cases)
        {
            INeuralNetwork<double> a = Networks(c.Name).Double;
            INeuralNetwork<double> b = Networks(c.Name).Double;
            b.Initialize(seed: 99);
            Assert.NotEqual(a.Parameters.ToArray(), b.Parameters.ToArray());
            Onnx.Import(a, c.Path);
            Onnx.Import(b, c.Path);
            Assert.Equal(a.Parameters.ToArray(), b.Parameters.ToArray());
        }
    }

    [Fact]
    public void ThePReluSlopeComesFromTheFile()
    {
        var net = new FixturePreluSelu(seed: 1);
        Onnx.Import(net, OnnxFixtures.Case("prelu_selu").Path);
        Assert.Equal(0.15f, (float)net.Parameters[net.Info.Layers[0].SlopeOffset]);
    }

    [Fact]
    public void TheExactGeluIsRefusedWithTheFix()
    {
        var net = new FixtureRefusedGeluExact(seed: 1);
        float[] before = net.Parameters.ToArray();
        var error = Assert.Throws<InvalidDataException>(() => Onnx.Import(net, Path.Combine(OnnxFixtures.Folder, "refused_gelu_exact.onnx")));
        output.WriteLine(error.Message);
        Assert.Contains("/1/", error.Message); // names the node torch exported for module 1
        Assert.Contains("GELU is the tanh approximation", error.Message);
        Assert.Contains("approximate='tanh'", error.Message);
        Assert.Equal(before, net.Parameters.ToArray());
    }

    [Fact]
    public void LogSoftmaxIsRefusedWithTheFix()
    {
        var net = new FixtureRefusedLogSoftmax(seed: 1);
        float[] before = net.Parameters.ToArray();
        var error = Assert.Throws<InvalidDataException>(() => Onnx.Import(net, Path.Combine(OnnxFixtures.Folder, "refused_log_softmax.onnx")));
        output.WriteLine(error.Message);
        Assert.Contains("LogSoftmax '/3/LogSoftmax'", error.Message);
        Assert.Contains("nn.Softmax", error.Message);
        Assert.Equal(before, net.Parameters.ToArray());
    }

    [Fact]
    public void TheCommittedFilesAreSmall()
    {
        foreach ((string name, byte[] bytes) in OnnxFixtures.AllFiles())
        {
            Assert.True(bytes.Length < 16_384, $"{name} has {bytes.Length} bytes");
        }

        Assert.Equal(OnnxFixtures.Cases.Count + OnnxFixtures.Refused.Count, OnnxFixtures.AllFiles().Count);
    }

    internal static double MaxRelative(double[] expected, double[] actual)
    {
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            worst = Math.Max(worst, expected[i] == 0 ? error : error / Math.Abs(expected[i]));
        }

        return worst;
    }
}
