using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetGen;
using NetGen.OnnxFormat;

namespace NetGen.Runtime.Tests.OnnxFiles;

/// <summary>The protobuf layer on its own: real files, the wire-format corner cases, and hostile lengths and nesting.</summary>
public class ProtoReaderTests
{
    private static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
        return bytes.ToArray();
    }

    private static byte[] Field(int number, int wireType, params byte[][] parts) =>
        Varint(((ulong)number << 3) | (uint)wireType).Concat(parts.SelectMany(p => p)).ToArray();

    private static byte[] Message(int number, byte[] content) => Field(number, 2, Varint((ulong)content.Length), content);

    private static string Refused(byte[] bytes) => Assert.Throws<InvalidDataException>(() => OnnxModel.Parse(bytes)).Message;

    [Fact]
    public void PyTorchFilesParseIntoTheGraphTorchPrinted()
    {
        OnnxModel model = OnnxModel.Parse(File.ReadAllBytes(OnnxFixtures.Case("softplus_gelu").Path));
        Assert.Equal("pytorch", model.ProducerName);
        Assert.Equal(13, model.OpsetImports.Single(o => o.Domain == "").Version);
        OnnxGraph graph = model.Graph!;
        Assert.Equal("input", graph.Inputs.Single().Name);
        Assert.Equal("['batch', 5]", graph.Inputs.Single().FormatShape());
        Assert.Equal(OnnxDataType.Float, graph.Inputs.Single().ElemType);
        Assert.Equal(new[] { "0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias" }, graph.Initializers.Select(t => t.Name));
        Assert.Equal(new long[] { 7, 5 }, graph.Initializers[0].Dims);
        Assert.Equal(35, graph.Initializers[0].ToDoubles().Length);
        // nn.GELU(approximate='tanh') as torch 1.13 writes it (see docs/shipping.md).
        string[] gelu = graph.Nodes.Where(n => n.Name.StartsWith("/3/", StringComparison.Ordinal) && n.OpType != "Constant").Select(n => n.OpType).ToArray();
        Assert.Equal(new[] { "Mul", "Mul", "Mul", "Add", "Mul", "Tanh", "Add", "Mul", "Mul" }, gelu);
        OnnxNode constant = graph.Nodes.First(n => n.OpType == "Constant");
        Assert.Equal(0.044715f, (float)constant.Attribute("value")!.T!.ToDoubles().Single());
    }

    [Fact]
    public void TheFixturesUseTheOperatorFormsTheyStandFor()
    {
        string[] Ops(string name) => OnnxModel.Parse(File.ReadAllBytes(OnnxFixtures.Case(name).Path)).Graph!.Nodes.Select(n => n.OpType).ToArray();
        Assert.Equal(new[] { "MatMul", "Add", "Relu", "MatMul", "Add", "Sigmoid" }, Ops("matmul_add_relu"));
        Assert.Equal(new[] { "Flatten", "MatMul", "Relu", "Gemm", "Tanh", "MatMul" }, Ops("nobias_flatten_dropout"));
        Assert.Contains("Clip", Ops("opset9_clip_softmax"));
        OnnxModel opset9 = OnnxModel.Parse(File.ReadAllBytes(OnnxFixtures.Case("opset9_clip_softmax").Path));
        Assert.Equal(9, opset9.OpsetImports.Single().Version);
        Assert.NotNull(opset9.Graph!.Nodes.Single(n => n.OpType == "Clip").Attribute("min"));
        Assert.Equal(new[] { "Gemm", "Sigmoid", "Mul", "Gemm", "Constant", "Add", "Constant", "Constant", "Clip", "Gemm" }, Ops("silu_piecewise"));
        OnnxModel dbl = OnnxModel.Parse(File.ReadAllBytes(OnnxFixtures.Case("double_tanh_sigmoid").Path));
        Assert.All(dbl.Graph!.Initializers, t => Assert.Equal(OnnxDataType.Double, t.DataType));
    }

    [Fact]
    public void EncodingIsStableAndImportsTheSame()
    {
        foreach (FixtureCase c in OnnxFixtures.Cases)
        {
            byte[] once = OnnxModel.Parse(File.ReadAllBytes(c.Path)).ToBytes();
            byte[] twice = OnnxModel.Parse(once).ToBytes();
            Assert.Equal(once, twice);

            (INeuralNetwork<double> a, _) = OnnxReferenceTests.Networks(c.Name);
            (INeuralNetwork<double> b, _) = OnnxReferenceTests.Networks(c.Name);
            Onnx.Import(a, c.Path);
            Onnx.Import(b, once);
            Assert.Equal(a.Parameters.ToArray(), b.Parameters.ToArray());
        }
    }

    [Fact]
    public void UnknownFieldsOfEveryWireTypeAreSkipped()
    {
        byte[] original = Onnx.ExportBytes(new ExportRelu(seed: 1));
        byte[] unknown = Field(99, 0, Varint(12345))
            .Concat(Field(98, 1, new byte[8]))
            .Concat(Message(97, new byte[] { 1, 2, 3 }))
            .Concat(Field(96, 5, new byte[4])).ToArray();
        var copy = new ExportRelu(seed: 2);
        Onnx.Import(copy, unknown.Concat(original).Concat(unknown).ToArray());
        Assert.Equal(new ExportRelu(seed: 1).Parameters.ToArray(), copy.Parameters.ToArray());
    }

    [Fact]
    public void PackedAndUnpackedRepeatedFieldsReadAlike()
    {
        // TensorProto: dims 2 (unpacked varint), data_type FLOAT, float_data 1.5 and -2 one per field, then packed.
        byte[] floats = BitConverter.GetBytes(1.5f).Concat(BitConverter.GetBytes(-2f)).ToArray();
        byte[] unpacked = Field(1, 0, Varint(2)).Concat(Field(2, 0, Varint(1)))
            .Concat(Field(4, 5, BitConverter.GetBytes(1.5f))).Concat(Field(4, 5, BitConverter.GetBytes(-2f))).ToArray();
        byte[] packed = Message(1, Varint(2)).Concat(Field(2, 0, Varint(1))).Concat(Message(4, floats)).ToArray();
        foreach (byte[] tensor in new[] { unpacked, packed })
        {
            var reader = new ProtoReader(tensor, 0, tensor.Length, "TensorProto", 0);
            Assert.Equal(new[] { 1.5, -2 }, OnnxTensor.Read(reader).ToDoubles());
        }
    }

    [Fact]
    public void WireFormatErrorsNameTheMessageAndTheField()
    {
        Assert.Equal("ModelProto: ir_version is a varint that does not fit in 64 bits; the file is damaged.",
            Refused(Field(1, 0, Enumerable.Repeat((byte)0x80, 11).ToArray())));
        Assert.Equal("ModelProto: ir_version is a varint that does not fit in 64 bits; the file is damaged.",
            Refused(Field(1, 0, Enumerable.Repeat((byte)0xFF, 9).Append((byte)0x02).ToArray())));
        Assert.Equal("ModelProto: the message ends inside ir_version; the file is truncated or damaged.",
            Refused(Field(1, 0, new byte[] { 0x80 })));
        Assert.Equal("ModelProto: ModelProto.graph claims 127 bytes, but only 2 remain; the file is truncated or damaged.",
            Refused(Field(7, 2, Varint(127), new byte[] { 0, 0 })));
        Assert.Equal("ModelProto: ModelProto.graph claims 18446744073709551615 bytes, but only 0 remain; the file is truncated or damaged.",
            Refused(Field(7, 2, Varint(ulong.MaxValue))));
        Assert.Equal("ModelProto: field 1 has wire type 3, which ONNX does not use (3 and 4 are protobuf groups, 6 and 7 do not exist); the file is damaged or not an ONNX model.",
            Refused(new byte[] { 0x0B }));
        Assert.Equal("ModelProto: field 1 (ir_version) has wire type 2, expected 0; the file is damaged or not an ONNX model.",
            Refused(Message(1, new byte[] { 7 })));
        Assert.Equal("ModelProto: field number 0 is not valid protobuf; the file is damaged or not an ONNX model.",
            Refused(new byte[] { 0x00 }));
        Assert.Equal("ModelProto.graph.node[0]: op_type is not valid UTF-8; the file is damaged.",
            Refused(Message(7, Message(1, Message(4, new byte[] { 0xC3, 0x28 })))));
        Assert.Equal("ModelProto.graph.initializer[0]: packed float_data has 3 bytes, not a whole number of 4-byte floats; the file is damaged.",
            Refused(Message(7, Message(5, Message(4, new byte[] { 1, 2, 3 })))));
    }

    [Fact]
    public void NestingIsBounded()
    {
        // A graph whose node has a graph attribute whose node has a graph attribute ... 40 levels deep.
        byte[] graph = Array.Empty<byte>();
        for (int level = 0; level < 40; level++)
        {
            graph = Message(1, Message(5, Message(6, graph))); // GraphProto.node -> NodeProto.attribute -> AttributeProto.g
        }

        string message = Refused(Message(7, graph));
        Assert.Contains("messages nest more than 32 deep", message);
        Assert.StartsWith("ModelProto.graph.node[0].attribute[0].g.node[0]", message);
    }

    [Fact]
    public void ClaimedSizesAreCheckedBeforeAllocating()
    {
        // dims [2^30, 2^30] of FLOAT with 4 bytes of raw_data: refused, and without allocating for the claim.
        byte[] tensor = Message(1, Varint(1UL << 30).Concat(Varint(1UL << 30)).ToArray())
            .Concat(Field(2, 0, Varint(1))).Concat(Field(8, 2, Varint(1), new[] { (byte)'w' })).Concat(Message(9, new byte[4])).ToArray();
        var reader = new ProtoReader(tensor, 0, tensor.Length, "TensorProto", 0);
        OnnxTensor parsed = OnnxTensor.Read(reader);
        long before = GC.GetAllocatedBytesForCurrentThread();
        string message = Assert.Throws<InvalidDataException>(() => parsed.ToDoubles()).Message;
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
        Assert.Equal($"tensor 'w' (FLOAT [1073741824, 1073741824]) claims more than {int.MaxValue} values.", message);

        byte[] small = Message(1, Varint(3)).Concat(Field(2, 0, Varint(1))).Concat(Field(8, 2, Varint(1), new[] { (byte)'b' })).Concat(Message(9, new byte[8])).ToArray();
        Assert.Equal("tensor 'b' (FLOAT [3]) has 8 bytes of raw_data; its shape calls for 3 values of 4 bytes (12 bytes).",
            Assert.Throws<InvalidDataException>(() => OnnxTensor.Read(new ProtoReader(small, 0, small.Length, "TensorProto", 0)).ToDoubles()).Message);
    }

    [Fact]
    public void ExternalDataIsRefusedByName()
    {
        byte[] tensor = Message(1, Varint(3)).Concat(Field(2, 0, Varint(1))).Concat(Field(8, 2, Varint(1), new[] { (byte)'x' }))
            .Concat(Message(13, new byte[] { 0x0A, 0x01, (byte)'k' })).Concat(Field(14, 0, Varint(1))).ToArray();
        string message = Assert.Throws<InvalidDataException>(() => OnnxTensor.Read(new ProtoReader(tensor, 0, tensor.Length, "TensorProto", 0)).ToDoubles()).Message;
        Assert.StartsWith("tensor 'x' (FLOAT [3]) keeps its data in an external file", message);
    }

    [Fact]
    public void HalfPrecisionConstantsDecode()
    {
        Assert.Equal(1.0, OnnxTensor.HalfToDouble(0x3C00));
        Assert.Equal(-2.0, OnnxTensor.HalfToDouble(0xC000));
        Assert.Equal(65504.0, OnnxTensor.HalfToDouble(0x7BFF));
        Assert.Equal(Math.Pow(2, -24), OnnxTensor.HalfToDouble(0x0001));
        Assert.True(double.IsNaN(OnnxTensor.HalfToDouble(0x7E00)));
        Assert.Equal(double.NegativeInfinity, OnnxTensor.HalfToDouble(0xFC00));
    }
}
