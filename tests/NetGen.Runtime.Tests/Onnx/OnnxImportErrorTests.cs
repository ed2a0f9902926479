using System;
using System.IO;
using System.Linq;
using NetGen;
using NetGen.OnnxFormat;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.OnnxFiles;

/// <summary>
/// The structural check: a graph that differs from the declaration is refused with a message that names the node
/// and says what was expected and what was found, and the network keeps its parameters.
/// </summary>
public class OnnxImportErrorTests(ITestOutputHelper output)
{
    private static string Fixture(string name) => OnnxFixtures.Case(name).Path;

    private string Refuse<T>(INeuralNetwork<T> net, byte[] model) where T : unmanaged
    {
        T[] before = net.Parameters.ToArray();
        var error = Assert.Throws<InvalidDataException>(() => Onnx.Import(net, model));
        Assert.Equal(before, net.Parameters.ToArray());
        output.WriteLine(error.Message);
        return error.Message;
    }

    private string Refuse<T>(INeuralNetwork<T> net, string path) where T : unmanaged => Refuse(net, File.ReadAllBytes(path));

    /// <summary>An export of <paramref name="net"/> changed by <paramref name="change"/>.</summary>
    private static byte[] Edited<T>(INeuralNetwork<T> net, Action<OnnxGraph> change) where T : unmanaged
    {
        OnnxModel model = OnnxModel.Parse(Onnx.ExportBytes(net));
        change(model.Graph!);
        return model.ToBytes();
    }

    [Fact]
    public void AWrongWidthNamesTheNodeTheLayerAndBothShapes()
    {
        string message = Refuse(new MismatchWidth(seed: 1), Fixture("relu_tanh"));
        Assert.Equal(
            "Node Gemm '/0/Gemm' (layer 1 of 'NetGen.Runtime.Tests.OnnxFiles.MismatchWidth', Dense 4 -> 9) needs a weight of shape [9, 4] (transB=1); tensor '0.weight' (FLOAT [8, 4]) has shape [8, 4].",
            message);
    }

    [Fact]
    public void AWrongActivationNamesWhatWasExpectedAndFound()
    {
        string message = Refuse(new MismatchActivation(seed: 1), Fixture("relu_tanh"));
        Assert.Equal(
            "After Gemm '/0/Gemm', layer 1 of 'NetGen.Runtime.Tests.OnnxFiles.MismatchActivation' (Dense 4 -> 8) expects Tanh, but the graph computes ReLU (Relu '/1/Relu').",
            message);
    }

    [Fact]
    public void AnotherSlopeIsNamedWithItsValue()
    {
        string message = Refuse(new MismatchAlpha(seed: 1), Fixture("leaky_elu"));
        Assert.Contains("expects LeakyReLU(alpha 0.01), but the graph computes LeakyReLU(alpha 0.2) (LeakyRelu '/1/LeakyRelu')", message);
    }

    [Fact]
    public void LayerCountsThatDifferAreNamed()
    {
        Assert.Contains("The graph has 3 dense layer(s) (Gemm or MatMul nodes); 'NetGen.Runtime.Tests.OnnxFiles.MismatchExtraLayer' declares 4. The next one expected is layer 4 (Dense 3 -> 2, Linear).",
            Refuse(new MismatchExtraLayer(seed: 1), Fixture("relu_tanh")));
        // One layer fewer: the second Gemm meets a declared 8 -> 3 layer and its [6, 8] weight does not fit.
        Assert.Contains("Node Gemm '/2/Gemm' (layer 2 of 'NetGen.Runtime.Tests.OnnxFiles.MismatchMissingLayer', Dense 8 -> 3) needs a weight of shape [3, 8]",
            Refuse(new MismatchMissingLayer(seed: 1), Fixture("relu_tanh")));
    }

    [Fact]
    public void ABiasInTheFileButNotInTheDeclarationIsRefused()
    {
        Assert.Contains("Node Gemm '/0/Gemm' (layer 1 of 'NetGen.Runtime.Tests.OnnxFiles.MismatchNoBias', Dense 4 -> 8) adds a bias ('0.bias'), but the layer is declared with Bias = false.",
            Refuse(new MismatchNoBias(seed: 1), Fixture("relu_tanh")));
    }

    [Fact]
    public void ADeclaredBiasMissingFromTheFileIsRefused()
    {
        string message = Refuse(new MismatchBias(seed: 1), Fixture("nobias_flatten_dropout"));
        Assert.StartsWith("Layer 1 of 'NetGen.Runtime.Tests.OnnxFiles.MismatchBias' (Dense 6 -> 7) is declared with a bias, but MatMul '/1/MatMul' has none: it is not followed by an Add of a constant and the next node is Relu '/2/Relu'.", message);
    }

    [Fact]
    public void TheInputWidthIsChecked()
    {
        Assert.Equal("The graph input 'input' has shape ['batch', 4], 4 features per row; 'NetGen.Runtime.Tests.OnnxFiles.MismatchInput' has 5 input features.",
            Refuse(new MismatchInput(seed: 1), Fixture("relu_tanh")));
    }

    [Fact]
    public void ATransposedWeightIsNamedAsSuch()
    {
        byte[] model = Edited(new ExportRelu(seed: 1), g => g.Nodes[0].Attributes.Clear()); // transB=0: the [6, 4] weight is now read as [in, out]
        string message = Refuse(new ExportRelu(seed: 2), model);
        Assert.Contains("needs a weight of shape [4, 6] (transB=0)", message);
        Assert.Contains("It looks transposed", message);
    }

    [Fact]
    public void TransBZeroWithAnInOutWeightImports()
    {
        var source = new ExportRelu(seed: 1);
        byte[] model = Edited(source, g =>
        {
            g.Nodes[0].Attributes.Clear();
            OnnxTensor weight = g.Initializers[0];
            double[] values = weight.ToDoubles();
            var transposed = new double[values.Length];
            for (int o = 0; o < 6; o++)
            {
                for (int i = 0; i < 4; i++)
                {
                    transposed[(i * 6) + o] = values[(o * 4) + i];
                }
            }

            weight.Dims.Clear();
            weight.Dims.AddRange(new long[] { 4, 6 });
            weight.SetRawData(ProtoWriter.RawSingles(transposed));
        });
        var copy = new ExportRelu(seed: 2);
        Onnx.Import(copy, model);
        Assert.Equal(source.Parameters.ToArray(), copy.Parameters.ToArray());
    }

    [Fact]
    public void ASkipConnectionIsRefused()
    {
        // layer 1's output added to the graph input: not a chain.
        byte[] model = Edited(new ExportLinear(seed: 1), g =>
        {
            g.Nodes.Insert(1, new OnnxNode { OpType = "Add", Name = "skip", Inputs = { "layer1.gemm", "input" }, Outputs = { "skipped" } });
            g.Nodes[2].Inputs[0] = "skipped";
        });
        string message = Refuse(new ExportLinear(seed: 2), model);
        Assert.StartsWith("Node Add 'skip' reads 'input', which is neither a constant nor computed from the output of Gemm 'layer1.gemm' (layer 1)", message);
    }

    [Fact]
    public void AnUnknownOperatorIsNamed()
    {
        byte[] model = Edited(new ExportRelu(seed: 1), g => g.Nodes[1].OpType = "Mish");
        Assert.StartsWith("Node Mish 'layer1.relu' is not supported: NetGen imports Gemm, MatMul (+ Add), the element-wise operators",
            Refuse(new ExportRelu(seed: 2), model));
    }

    [Fact]
    public void ASoftmaxOverTheBatchIsRefused()
    {
        byte[] model = Edited(new ExportSoftmax(seed: 1), g => g.Nodes[^1].Attributes[0].I = 0);
        Assert.Contains("expects Softmax, but the graph computes a Softmax over axis 0 (NetGen's runs over each row: axis -1 or 1)",
            Refuse(new ExportSoftmax(seed: 2), model));
    }

    [Fact]
    public void ACustomDomainIsRefused()
    {
        byte[] model = Edited(new ExportRelu(seed: 1), g => g.Nodes[1].Domain = "com.microsoft");
        Assert.Equal("Node Relu 'layer1.relu' is from operator domain 'com.microsoft'; NetGen reads operators of the default ONNX domain only.",
            Refuse(new ExportRelu(seed: 2), model));
    }

    [Fact]
    public void ExpressionsOfAnActivationAreRecognised()
    {
        // PiecewiseLinear as HardSigmoid(alpha 1, beta 0.5), one operator instead of Add + Clip.
        var source = new ExportPiecewiseLinear(seed: 1);
        byte[] model = Edited(source, g =>
        {
            int add = g.Nodes.FindIndex(n => n.OpType == "Add");
            OnnxNode clip = g.Nodes[add + 1];
            g.Nodes.RemoveRange(add, 2);
            g.Nodes.Insert(add, new OnnxNode
            {
                OpType = "HardSigmoid", Name = "hard", Inputs = { "layer1.gemm" }, Outputs = { clip.Outputs[0] },
                Attributes = { new OnnxAttribute { Name = "alpha", Type = OnnxAttribute.TypeFloat, F = 1 }, new OnnxAttribute { Name = "beta", Type = OnnxAttribute.TypeFloat, F = 0.5f } },
            });
        });
        var copy = new ExportPiecewiseLinear(seed: 2);
        Onnx.Import(copy, model);
        Assert.Equal(source.Parameters.ToArray(), copy.Parameters.ToArray());

        // HardSigmoid with its ONNX defaults (alpha 0.2) is another function, and is named as none of NetGen's.
        byte[] other = Edited(source, g =>
        {
            int add = g.Nodes.FindIndex(n => n.OpType == "Add");
            OnnxNode clip = g.Nodes[add + 1];
            g.Nodes.RemoveRange(add, 2);
            g.Nodes.Insert(add, new OnnxNode { OpType = "HardSigmoid", Name = "hard", Inputs = { "layer1.gemm" }, Outputs = { clip.Outputs[0] } });
        });
        Assert.Contains("expects PiecewiseLinear, but the graph computes a function that is no NetGen activation (HardSigmoid 'hard'). NetGen's PiecewiseLinear is clip(z + 0.5, 0, 1)",
            Refuse(new ExportPiecewiseLinear(seed: 2), other));
    }

    [Fact]
    public void AFileThatIsNotAModelSaysSo()
    {
        Assert.StartsWith("The file has no graph", Refuse(new ExportRelu(seed: 1), Array.Empty<byte>()));
        Assert.Equal("ModelProto: field 9 has wire type 6, which ONNX does not use (3 and 4 are protobuf groups, 6 and 7 do not exist); the file is damaged or not an ONNX model.",
            Refuse(new ExportRelu(seed: 1), "NGMF"u8.ToArray()));
    }

    [Fact]
    public void NullArgumentsAreArgumentErrors()
    {
        Assert.Throws<ArgumentNullException>(() => Onnx.Import(new ExportRelu(), (byte[])null!));
        Assert.Throws<ArgumentNullException>(() => Onnx.Import<float>(null!, Array.Empty<byte>()));
        Assert.Throws<ArgumentException>(() => Onnx.Import(new ExportRelu(), ""));
        Assert.Throws<ArgumentNullException>(() => Onnx.Export(new ExportRelu(), (Stream)null!));
    }
}
