// The ONNX messages NetGen reads and writes (onnx/onnx.proto3, IR version 3 to 10), decoded from and encoded to the
// protobuf wire format with ProtoReader/ProtoWriter. Fields outside this subset are skipped by wire type when read.
// netstandard2.0-compatible like ProtoReader.cs: no Span, no records, no runtime-only types.
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace NetGen.OnnxFormat;

/// <summary>The <c>TensorProto.DataType</c> values NetGen handles by name.</summary>
internal static class OnnxDataType
{
    public const int Float = 1;
    public const int Int32 = 6;
    public const int Int64 = 7;
    public const int Bool = 9;
    public const int Float16 = 10;
    public const int Double = 11;

    public static string Name(int type) => type switch
    {
        0 => "UNDEFINED",
        1 => "FLOAT",
        2 => "UINT8",
        3 => "INT8",
        4 => "UINT16",
        5 => "INT16",
        6 => "INT32",
        7 => "INT64",
        8 => "STRING",
        9 => "BOOL",
        10 => "FLOAT16",
        11 => "DOUBLE",
        12 => "UINT32",
        13 => "UINT64",
        14 => "COMPLEX64",
        15 => "COMPLEX128",
        16 => "BFLOAT16",
        _ => "type " + type.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary><c>ModelProto</c>: the file's top-level message.</summary>
internal sealed class OnnxModel
{
    public long IrVersion { get; set; }
    public List<OnnxOpset> OpsetImports { get; } = new List<OnnxOpset>();
    public string ProducerName { get; set; } = "";
    public string ProducerVersion { get; set; } = "";
    public string Domain { get; set; } = "";
    public long ModelVersion { get; set; }
    public string DocString { get; set; } = "";
    public OnnxGraph? Graph { get; set; }

    /// <summary>Decodes a whole file.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed ModelProto; the message says where.</exception>
    public static OnnxModel Parse(byte[] bytes)
    {
        var reader = new ProtoReader(bytes, 0, bytes.Length, "ModelProto", 0);
        var model = new OnnxModel();
        while (reader.ReadTag(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1:
                    reader.Expect(field, "ir_version", wire, WireType.Varint);
                    model.IrVersion = reader.ReadInt64("ir_version");
                    break;
                case 2:
                    reader.Expect(field, "producer_name", wire, WireType.LengthDelimited);
                    model.ProducerName = reader.ReadString("producer_name");
                    break;
                case 3:
                    reader.Expect(field, "producer_version", wire, WireType.LengthDelimited);
                    model.ProducerVersion = reader.ReadString("producer_version");
                    break;
                case 4:
                    reader.Expect(field, "domain", wire, WireType.LengthDelimited);
                    model.Domain = reader.ReadString("domain");
                    break;
                case 5:
                    reader.Expect(field, "model_version", wire, WireType.Varint);
                    model.ModelVersion = reader.ReadInt64("model_version");
                    break;
                case 6:
                    reader.Expect(field, "doc_string", wire, WireType.LengthDelimited);
                    model.DocString = reader.ReadString("doc_string");
                    break;
                case 7:
                    reader.Expect(field, "graph", wire, WireType.LengthDelimited);
                    model.Graph = OnnxGraph.Read(reader.ReadMessage("ModelProto.graph"));
                    break;
                case 8:
                    reader.Expect(field, "opset_import", wire, WireType.LengthDelimited);
                    model.OpsetImports.Add(OnnxOpset.Read(reader.ReadMessage($"ModelProto.opset_import[{model.OpsetImports.Count}]")));
                    break;
                default:
                    reader.Skip(field, wire);
                    break;
            }
        }

        return model;
    }

    /// <summary>Encodes the model.</summary>
    public byte[] ToBytes()
    {
        var w = new ProtoWriter();
        if (IrVersion != 0)
        {
            w.WriteInt64(1, IrVersion);
        }

        WriteNonEmpty(w, 2, ProducerName);
        WriteNonEmpty(w, 3, ProducerVersion);
        WriteNonEmpty(w, 4, Domain);
        if (ModelVersion != 0)
        {
            w.WriteInt64(5, ModelVersion);
        }

        WriteNonEmpty(w, 6, DocString);
        if (Graph is not null)
        {
            w.WriteMessage(7, Graph.Write());
        }

        foreach (OnnxOpset opset in OpsetImports)
        {
            w.WriteMessage(8, opset.Write());
        }

        return w.ToArray();
    }

    internal static void WriteNonEmpty(ProtoWriter w, int field, string value)
    {
        if (value.Length > 0)
        {
            w.WriteString(field, value);
        }
    }

    /// <summary>Reads repeated varints, packed (wire type 2) or one per field (wire type 0).</summary>
    internal static void ReadVarints(ProtoReader reader, int field, string name, WireType wire, List<long> values)
    {
        if (wire == WireType.Varint)
        {
            values.Add(reader.ReadInt64(name));
            return;
        }

        reader.Expect(field, name, wire, WireType.LengthDelimited);
        ProtoReader packed = reader.ReadMessage(reader.Where + "." + name);
        while (!packed.AtEnd)
        {
            values.Add(packed.ReadInt64(name));
        }
    }

    /// <summary>Reads repeated floats, packed or one per field (wire type 5).</summary>
    internal static void ReadFloats(ProtoReader reader, int field, string name, WireType wire, List<float> values)
    {
        if (wire == WireType.Fixed32)
        {
            values.Add(reader.ReadFloat(name));
            return;
        }

        reader.Expect(field, name, wire, WireType.LengthDelimited);
        ProtoReader packed = reader.ReadMessage(reader.Where + "." + name);
        if (packed.Remaining % 4 != 0)
        {
            throw new InvalidDataException($"{reader.Where}: packed {name} has {packed.Remaining} bytes, not a whole number of 4-byte floats; the file is damaged.");
        }

        while (!packed.AtEnd)
        {
            values.Add(packed.ReadFloat(name));
        }
    }

    /// <summary>Reads repeated doubles, packed or one per field (wire type 1).</summary>
    internal static void ReadDoubles(ProtoReader reader, int field, string name, WireType wire, List<double> values)
    {
        if (wire == WireType.Fixed64)
        {
            values.Add(reader.ReadDouble(name));
            return;
        }

        reader.Expect(field, name, wire, WireType.LengthDelimited);
        ProtoReader packed = reader.ReadMessage(reader.Where + "." + name);
        if (packed.Remaining % 8 != 0)
        {
            throw new InvalidDataException($"{reader.Where}: packed {name} has {packed.Remaining} bytes, not a whole number of 8-byte doubles; the file is damaged.");
        }

        while (!packed.AtEnd)
        {
            values.Add(packed.ReadDouble(name));
        }
    }
}

/// <summary><c>OperatorSetIdProto</c>: an operator set the model uses; the empty domain is the default <c>ai.onnx</c>.</summary>
internal sealed class OnnxOpset
{
    public string Domain { get; set; } = "";
    public long Version { get; set; }

    internal static OnnxOpset Read(ProtoReader reader)
    {
        var opset = new OnnxOpset();
        while (reader.ReadTag(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1:
                    reader.Expect(field, "domain", wire, WireType.LengthDelimited);
                    opset.Domain = reader.ReadString("domain");
                    break;
                case 2:
                    reader.Expect(field, "version", wire, WireType.Varint);
                    opset.Version = reader.ReadInt64("version");
                    break;
                default:
                    reader.Skip(field, wire);
                    break;
            }
        }

        return opset;
    }

    internal ProtoWriter Write()
    {
        var w = new ProtoWriter();
        OnnxModel.WriteNonEmpty(w, 1, Domain);
        w.WriteInt64(2, Version);
        return w;
    }
}

/// <summary><c>GraphProto</c>: nodes in topological order, initializers (the weights), inputs and outputs.</summary>
internal sealed class OnnxGraph
{
    public List<OnnxNode> Nodes { get; } = new List<OnnxNode>();
    public string Name { get; set; } = "";
    public List<OnnxTensor> Initializers { get; } = new List<OnnxTensor>();
    public int SparseInitializerCount { get; set; }
    public List<OnnxValueInfo> Inputs { get; } = new List<OnnxValueInfo>();
    public List<OnnxValueInfo> Outputs { get; } = new List<OnnxValueInfo>();
    public List<OnnxValueInfo> ValueInfo { get; } = new List<OnnxValueInfo>();

    internal static OnnxGraph Read(ProtoReader reader)
    {
        var graph = new OnnxGraph();
        string at = reader.Where;
        while (reader.ReadTag(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1:
                    reader.Expect(field, "node", wire, WireType.LengthDelimited);
                    graph.Nodes.Add(OnnxNode.Read(reader.ReadMessage($"{at}.node[{graph.Nodes.Count}]")));
                    break;
                case 2:
                    reader.Expect(field, "name", wire, WireType.LengthDelimited);
                    graph.Name = reader.ReadString("name");
                    break;
                case 5:
                    reader.Expect(field, "initializer", wire, WireType.LengthDelimited);
                    graph.Initializers.Add(OnnxTensor.Read(reader.ReadMessage($"{at}.initializer[{graph.Initializers.Count}]")));
                    break;
                case 11:
                    reader.Expect(field, "input", wire, WireType.LengthDelimited);
                    graph.Inputs.Add(OnnxValueInfo.Read(reader.ReadMessage($"{at}.input[{graph.Inputs.Count}]")));
                    break;
                case 12:
                    reader.Expect(field, "output", wire, WireType.LengthDelimited);
                    graph.Outputs.Add(OnnxValueInfo.Read(reader.ReadMessage($"{at}.output[{graph.Outputs.Count}]")));
                    break;
                case 13:
                    reader.Expect(field, "value_info", wire, WireType.LengthDelimited);
                    graph.ValueInfo.Add(OnnxValueInfo.Read(reader.ReadMessage($"{at}.value_info[{graph.ValueInfo.Count}]")));
                    break;
                case 15:
                    graph.SparseInitializerCount++;
                    reader.Skip(field, wire);
                    break;
                default:
                    reader.Skip(field, wire);
                    break;
            }
        }

        return graph;
    }

    internal ProtoWriter Write()
    {
        var w = new ProtoWriter();
        foreach (OnnxNode node in Nodes)
        {
            w.WriteMessage(1, node.Write());
        }

        OnnxModel.WriteNonEmpty(w, 2, Name);
        foreach (OnnxTensor tensor in Initializers)
        {
            w.WriteMessage(5, tensor.Write());
        }

        foreach (OnnxValueInfo value in Inputs)
        {
            w.WriteMessage(11, value.Write());
        }

        foreach (OnnxValueInfo value in Outputs)
        {
            w.WriteMessage(12, value.Write());
        }

        foreach (OnnxValueInfo value in ValueInfo)
        {
            w.WriteMessage(13, value.Write());
        }

        return w;
    }
}

/// <summary><c>NodeProto</c>: one operator call.</summary>
internal sealed class OnnxNode
{
    public List<string> Inputs { get; } = new List<string>();
    public List<string> Outputs { get; } = new List<string>();
    public string Name { get; set; } = "";
    public string OpType { get; set; } = "";
    public string Domain { get; set; } = "";
    public List<OnnxAttribute> Attributes { get; } = new List<OnnxAttribute>();

    /// <summary>The node as error messages name it, e.g. <c>Gemm '/0/Gemm'</c>.</summary>
    public string Describe() => Name.Length > 0 ? $"{OpType} '{Name}'" : $"{OpType} (unnamed, output '{(Outputs.Count > 0 ? Outputs[0] : "")}')";

    /// <summary>The attribute with this name, or null.</summary>
    public OnnxAttribute? Attribute(string name)
    {
        foreach (OnnxAttribute attribute in Attributes)
        {
            if (attribute.Name == name)
            {
                return attribute;
            }
        }

        return null;
    }

    internal static OnnxNode Read(ProtoReader reader)
    {
        var node = new OnnxNode();
        while (reader.ReadTag(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1:
                    reader.Expect(field, "input", wire, WireType.LengthDelimited);
                    node.Inputs.Add(reader.ReadString("input"));
                    break;
                case 2:
                    reader.Expect(field, "output", wire, WireType.LengthDelimited);
                    node.Outputs.Add(reader.ReadString("output"));
                    break;
                case 3:
                    reader.Expect(field, "name", wire, WireType.LengthDelimited);
                    node.Name = reader.ReadString("name");
                    break;
                case 4:
                    reader.Expect(field, "op_type", wire, WireType.LengthDelimited);
                    node.OpType = reader.ReadString("op_type");
                    break;
                case 5:
                    reader.Expect(field, "attribute", wire, WireType.LengthDelimited);
                    node.Attributes.Add(OnnxAttribute.Read(reader.ReadMessage($"{reader.Where}.attribute[{node.Attributes.Count}]")));
                    break;
                case 7:
                    reader.Expect(field, "domain", wire, WireType.LengthDelimited);
                    node.Domain = reader.ReadString("domain");
                    break;
                default:
                    reader.Skip(field, wire);
                    break;
            }
        }

        return node;
    }

    internal ProtoWriter Write()
    {
        var w = new ProtoWriter();
        foreach (string input in Inputs)
        {
            w.WriteString(1, input);
        }

        foreach (string output in Outputs)
        {
            w.WriteString(2, output);
        }

        OnnxModel.WriteNonEmpty(w, 3, Name);
        OnnxModel.WriteNonEmpty(w, 4, OpType);
        foreach (OnnxAttribute attribute in Attributes)
        {
            w.WriteMessage(5, attribute.Write());
        }

        OnnxModel.WriteNonEmpty(w, 7, Domain);
        return w;
    }
}

/// <summary><c>AttributeProto</c>: a named constant argument of a node.</summary>
internal sealed class OnnxAttribute
{
    public const int TypeFloat = 1;
    public const int TypeInt = 2;
    public const int TypeString = 3;
    public const int TypeTensor = 4;
    public const int TypeGraph = 5;
    public const int TypeFloats = 6;
    public const int TypeInts = 7;

    public string Name { get; set; } = "";
    public int Type { get; set; }
    public float F { get; set; }
    public long I { get; set; }
    public byte[]? S { get; set; }
    public OnnxTensor? T { get; set; }
    public OnnxGraph? G { get; set; }
    public List<float> Floats { get; } = new List<float>();
    public List<long> Ints { get; } = new List<long>();
    public int StringsCount { get; set; }
    public List<OnnxTensor> Tensors { get; } = new List<OnnxTensor>();
    public List<OnnxGraph> Graphs { get; } = new List<OnnxGraph>();
    public string RefAttrName { get; set; } = "";

    /// <summary><see cref="S"/> as text (invalid UTF-8 replaced), or "".</summary>
    public string StringValue => S is null ? "" : Encoding.UTF8.GetString(S);

    internal static OnnxAttribute Read(ProtoReader reader)
    {
        var attribute = new OnnxAttribute();
        string at = reader.Where;
        while (reader.ReadTag(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1:
                    reader.Expect(field, "name", wire, WireType.LengthDelimited);
                    attribute.Name = reader.ReadString("name");
                    break;
                case 2:
                    reader.Expect(field, "f", wire, WireType.Fixed32);
                    attribute.F = reader.ReadFloat("f");
                    break;
                case 3:
                    reader.Expect(field, "i", wire, WireType.Varint);
                    attribute.I = reader.ReadInt64("i");
                    break;
                case 4:
                    reader.Expect(field, "s", wire, WireType.LengthDelimited);
                    int start = reader.ReadBytesView("s", out int length);
                    var bytes = new byte[length];
                    System.Array.Copy(reader.Buffer, start, bytes, 0, length);
                    attribute.S = bytes;
                    break;
                case 5:
                    reader.Expect(field, "t", wire, WireType.LengthDelimited);
                    attribute.T = OnnxTensor.Read(reader.ReadMessage(at + ".t"));
                    break;
                case 6:
                    reader.Expect(field, "g", wire, WireType.LengthDelimited);
                    attribute.G = OnnxGraph.Read(reader.ReadMessage(at + ".g"));
                    break;
                case 7:
                    OnnxModel.ReadFloats(reader, field, "floats", wire, attribute.Floats);
                    break;
                case 8:
                    OnnxModel.ReadVarints(reader, field, "ints", wire, attribute.Ints);
                    break;
                case 9:
                    reader.Expect(field, "strings", wire, WireType.LengthDelimited);
                    reader.Skip(field, wire);
                    attribute.StringsCount++;
                    break;
                case 10:
                    reader.Expect(field, "tensors", wire, WireType.LengthDelimited);
                    attribute.Tensors.Add(OnnxTensor.Read(reader.ReadMessage($"{at}.tensors[{attribute.Tensors.Count}]")));
                    break;
                case 11:
                    reader.Expect(field, "graphs", wire, WireType.LengthDelimited);
                    attribute.Graphs.Add(OnnxGraph.Read(reader.ReadMessage($"{at}.graphs[{attribute.Graphs.Count}]")));
                    break;
                case 20:
                    reader.Expect(field, "type", wire, WireType.Varint);
                    attribute.Type = reader.ReadInt32("type");
                    break;
                case 21:
                    reader.Expect(field, "ref_attr_name", wire, WireType.LengthDelimited);
                    attribute.RefAttrName = reader.ReadString("ref_attr_name");
                    break;
                default:
                    reader.Skip(field, wire);
                    break;
            }
        }

        return attribute;
    }

    internal ProtoWriter Write()
    {
        var w = new ProtoWriter();
        OnnxModel.WriteNonEmpty(w, 1, Name);
        if (Type == TypeFloat || F != 0)
        {
            w.WriteFloat(2, F);
        }

        if (Type == TypeInt || I != 0)
        {
            w.WriteInt64(3, I);
        }

        if (S is not null)
        {
            w.WriteBytes(4, S);
        }

        if (T is not null)
        {
            w.WriteMessage(5, T.Write());
        }

        if (G is not null)
        {
            w.WriteMessage(6, G.Write());
        }

        w.WritePackedFloat(7, Floats);
        w.WritePackedInt64(8, Ints);
        foreach (OnnxTensor tensor in Tensors)
        {
            w.WriteMessage(10, tensor.Write());
        }

        foreach (OnnxGraph graph in Graphs)
        {
            w.WriteMessage(11, graph.Write());
        }

        if (Type != 0)
        {
            w.WriteInt64(20, Type);
        }

        OnnxModel.WriteNonEmpty(w, 21, RefAttrName);
        return w;
    }
}

/// <summary>
/// <c>TensorProto</c>: an initializer or a constant. <c>raw_data</c> is kept as a view into the file's bytes; the typed
/// fields (<c>float_data</c>, <c>double_data</c>, <c>int32_data</c>, <c>int64_data</c>) are decoded.
/// </summary>
internal sealed class OnnxTensor
{
    public List<long> Dims { get; } = new List<long>();
    public int DataType { get; set; }
    public List<float> FloatData { get; } = new List<float>();
    public List<long> Int32Data { get; } = new List<long>();
    public List<long> Int64Data { get; } = new List<long>();
    public List<double> DoubleData { get; } = new List<double>();
    public string Name { get; set; } = "";
    public byte[]? RawBuffer { get; private set; }
    public int RawOffset { get; private set; }
    public int RawLength { get; private set; }
    public bool HasSegment { get; set; }
    public bool HasExternalData { get; set; }
    public int DataLocation { get; set; }

    /// <summary>Whether the tensor has a <c>raw_data</c> field.</summary>
    public bool HasRawData => RawBuffer is not null;

    /// <summary>Sets <c>raw_data</c> (for writing).</summary>
    public void SetRawData(byte[] bytes)
    {
        RawBuffer = bytes;
        RawOffset = 0;
        RawLength = bytes.Length;
    }

    /// <summary>The tensor as error messages name it.</summary>
    public string Describe() => $"tensor '{Name}' ({OnnxDataType.Name(DataType)} {FormatShape(Dims)})";

    /// <summary>Formats dimensions as <c>[3, 4]</c>.</summary>
    public static string FormatShape(IReadOnlyList<long> dims)
    {
        var text = new StringBuilder("[");
        for (int i = 0; i < dims.Count; i++)
        {
            text.Append(i == 0 ? "" : ", ").Append(dims[i].ToString(CultureInfo.InvariantCulture));
        }

        return text.Append(']').ToString();
    }

    /// <summary>The number of values the dimensions call for (1 for a scalar).</summary>
    /// <exception cref="InvalidDataException">A dimension is negative or the product exceeds int.MaxValue.</exception>
    public long ElementCount()
    {
        long count = 1;
        foreach (long dim in Dims)
        {
            if (dim < 0)
            {
                throw new InvalidDataException($"{Describe()} has a negative dimension.");
            }

            count *= dim;
            if (count > int.MaxValue)
            {
                throw new InvalidDataException($"{Describe()} claims more than {int.MaxValue} values.");
            }
        }

        return count;
    }

    /// <summary>
    /// The values as doubles (FLOAT, DOUBLE, FLOAT16, INT32 or INT64), after checking that the dimensions are valid and
    /// that the data holds exactly as many values as they call for.
    /// </summary>
    /// <exception cref="InvalidDataException">The data type is not numeric-float/int, the data lives outside the file, or the count does not match.</exception>
    public double[] ToDoubles()
    {
        if (HasExternalData || DataLocation == 1)
        {
            throw new InvalidDataException(
                $"{Describe()} keeps its data in an external file; NetGen reads self-contained models (export without external data, e.g. a model under 2 GB).");
        }

        if (HasSegment)
        {
            throw new InvalidDataException($"{Describe()} is segmented; NetGen reads whole tensors only.");
        }

        long count = ElementCount();
        int width = DataType switch
        {
            OnnxDataType.Float => 4,
            OnnxDataType.Double => 8,
            OnnxDataType.Float16 => 2,
            OnnxDataType.Int32 => 4,
            OnnxDataType.Int64 => 8,
            OnnxDataType.Bool => 1,
            _ => throw new InvalidDataException($"{Describe()} has element type {OnnxDataType.Name(DataType)}; NetGen reads FLOAT and DOUBLE weights (and FLOAT16, INT32, INT64, BOOL constants)."),
        };

        if (RawBuffer is not null)
        {
            if ((long)RawLength != count * width)
            {
                throw new InvalidDataException(
                    $"{Describe()} has {RawLength} bytes of raw_data; its shape calls for {count} values of {width} bytes ({count * width} bytes).");
            }

            var values = new double[count];
            for (int i = 0; i < values.Length; i++)
            {
                int at = RawOffset + (i * width);
                ulong bits = 0;
                for (int b = width - 1; b >= 0; b--)
                {
                    bits = (bits << 8) | RawBuffer[at + b];
                }

                values[i] = DataType switch
                {
                    OnnxDataType.Float => Bits.ToSingle((uint)bits),
                    OnnxDataType.Double => Bits.ToDouble(bits),
                    OnnxDataType.Float16 => HalfToDouble((ushort)bits),
                    OnnxDataType.Int32 => (int)(uint)bits,
                    OnnxDataType.Bool => bits,
                    _ => (long)bits,
                };
            }

            return values;
        }

        int available = DataType switch
        {
            OnnxDataType.Float => FloatData.Count,
            OnnxDataType.Double => DoubleData.Count,
            OnnxDataType.Int64 => Int64Data.Count,
            _ => Int32Data.Count, // INT32, BOOL and FLOAT16 (its bits) live in int32_data
        };
        if (available != count)
        {
            throw new InvalidDataException($"{Describe()} holds {available} values; its shape calls for {count}.");
        }

        var result = new double[count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = DataType switch
            {
                OnnxDataType.Float => FloatData[i],
                OnnxDataType.Double => DoubleData[i],
                OnnxDataType.Int64 => Int64Data[i],
                OnnxDataType.Float16 => HalfToDouble((ushort)Int32Data[i]),
                _ => (int)Int32Data[i],
            };
        }

        return result;
    }

    /// <summary>IEEE 754 binary16 to double (netstandard2.0 has no <c>System.Half</c>).</summary>
    internal static double HalfToDouble(ushort bits)
    {
        int sign = (bits >> 15) != 0 ? -1 : 1;
        int exponent = (bits >> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F)
        {
            return mantissa == 0 ? sign * double.PositiveInfinity : double.NaN;
        }

        return exponent == 0
            ? sign * mantissa * System.Math.Pow(2, -24)
            : sign * (1 + (mantissa / 1024.0)) * System.Math.Pow(2, exponent - 15);
    }

    internal static OnnxTensor Read(ProtoReader reader)
    {
        var tensor = new OnnxTensor();
        while (reader.ReadTag(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1:
                    OnnxModel.ReadVarints(reader, field, "dims", wire, tensor.Dims);
                    break;
                case 2:
                    reader.Expect(field, "data_type", wire, WireType.Varint);
                    tensor.DataType = reader.ReadInt32("data_type");
                    break;
                case 3:
                    tensor.HasSegment = true;
                    reader.Skip(field, wire);
                    break;
                case 4:
                    OnnxModel.ReadFloats(reader, field, "float_data", wire, tensor.FloatData);
                    break;
                case 5:
                    OnnxModel.ReadVarints(reader, field, "int32_data", wire, tensor.Int32Data);
                    break;
                case 7:
                    OnnxModel.ReadVarints(reader, field, "int64_data", wire, tensor.Int64Data);
                    break;
                case 8:
                    reader.Expect(field, "name", wire, WireType.LengthDelimited);
                    tensor.Name = reader.ReadString("name");
                    break;
                case 9:
                    reader.Expect(field, "raw_data", wire, WireType.LengthDelimited);
                    tensor.RawOffset = reader.ReadBytesView("raw_data", out int length);
                    tensor.RawLength = length;
                    tensor.RawBuffer = reader.Buffer;
                    break;
                case 10:
                    OnnxModel.ReadDoubles(reader, field, "double_data", wire, tensor.DoubleData);
                    break;
                case 13:
                    tensor.HasExternalData = true;
                    reader.Skip(field, wire);
                    break;
                case 14:
                    reader.Expect(field, "data_location", wire, WireType.Varint);
                    tensor.DataLocation = reader.ReadInt32("data_location");
                    break;
                default:
                    reader.Skip(field, wire);
                    break;
            }
        }

        return tensor;
    }

    internal ProtoWriter Write()
    {
        var w = new ProtoWriter();
        w.WritePackedInt64(1, Dims);
        if (DataType != 0)
        {
            w.WriteInt64(2, DataType);
        }

        w.WritePackedFloat(4, FloatData);
        w.WritePackedInt64(5, Int32Data);
        w.WritePackedInt64(7, Int64Data);
        OnnxModel.WriteNonEmpty(w, 8, Name);
        if (RawBuffer is not null)
        {
            var raw = new byte[RawLength];
            System.Array.Copy(RawBuffer, RawOffset, raw, 0, RawLength);
            w.WriteBytes(9, raw);
        }

        w.WritePackedDouble(10, DoubleData);
        return w;
    }
}

/// <summary>One dimension of a <c>TensorShapeProto</c>: a fixed size, a symbolic name, or neither.</summary>
internal sealed class OnnxDimension
{
    public long? Value { get; set; }
    public string? Param { get; set; }

    public override string ToString() => Value?.ToString(CultureInfo.InvariantCulture) ?? (Param is null ? "?" : "'" + Param + "'");
}

/// <summary><c>ValueInfoProto</c> with its <c>TypeProto</c>: a graph input's or output's name, element type and shape.</summary>
internal sealed class OnnxValueInfo
{
    public string Name { get; set; } = "";

    /// <summary>Whether the type is a tensor type (not a sequence, map or optional).</summary>
    public bool IsTensor { get; set; }

    public int ElemType { get; set; }

    /// <summary>The shape, or null when the type gives none (unknown rank).</summary>
    public List<OnnxDimension>? Shape { get; set; }

    /// <summary>The shape as text, e.g. <c>['batch', 4]</c>.</summary>
    public string FormatShape()
    {
        if (Shape is null)
        {
            return "(no shape)";
        }

        var parts = new string[Shape.Count];
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = Shape[i].ToString();
        }

        return "[" + string.Join(", ", parts) + "]";
    }

    internal static OnnxValueInfo Read(ProtoReader reader)
    {
        var info = new OnnxValueInfo();
        while (reader.ReadTag(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1:
                    reader.Expect(field, "name", wire, WireType.LengthDelimited);
                    info.Name = reader.ReadString("name");
                    break;
                case 2:
                    reader.Expect(field, "type", wire, WireType.LengthDelimited);
                    ReadType(reader.ReadMessage(reader.Where + ".type"), info);
                    break;
                default:
                    reader.Skip(field, wire);
                    break;
            }
        }

        return info;
    }

    private static void ReadType(ProtoReader reader, OnnxValueInfo info)
    {
        while (reader.ReadTag(out int field, out WireType wire))
        {
            if (field != 1)
            {
                reader.Skip(field, wire);
                continue;
            }

            reader.Expect(field, "tensor_type", wire, WireType.LengthDelimited);
            info.IsTensor = true;
            ProtoReader tensor = reader.ReadMessage(reader.Where + ".tensor_type");
            while (tensor.ReadTag(out int tensorField, out WireType tensorWire))
            {
                if (tensorField == 1)
                {
                    tensor.Expect(tensorField, "elem_type", tensorWire, WireType.Varint);
                    info.ElemType = tensor.ReadInt32("elem_type");
                }
                else if (tensorField == 2)
                {
                    tensor.Expect(tensorField, "shape", tensorWire, WireType.LengthDelimited);
                    info.Shape = ReadShape(tensor.ReadMessage(tensor.Where + ".shape"));
                }
                else
                {
                    tensor.Skip(tensorField, tensorWire);
                }
            }
        }
    }

    private static List<OnnxDimension> ReadShape(ProtoReader reader)
    {
        var dims = new List<OnnxDimension>();
        while (reader.ReadTag(out int field, out WireType wire))
        {
            if (field != 1)
            {
                reader.Skip(field, wire);
                continue;
            }

            reader.Expect(field, "dim", wire, WireType.LengthDelimited);
            ProtoReader dim = reader.ReadMessage($"{reader.Where}.dim[{dims.Count}]");
            var dimension = new OnnxDimension();
            while (dim.ReadTag(out int dimField, out WireType dimWire))
            {
                if (dimField == 1)
                {
                    dim.Expect(dimField, "dim_value", dimWire, WireType.Varint);
                    dimension.Value = dim.ReadInt64("dim_value");
                }
                else if (dimField == 2)
                {
                    dim.Expect(dimField, "dim_param", dimWire, WireType.LengthDelimited);
                    dimension.Param = dim.ReadString("dim_param");
                }
                else
                {
                    dim.Skip(dimField, dimWire);
                }
            }

            dims.Add(dimension);
        }

        return dims;
    }

    internal ProtoWriter Write()
    {
        var w = new ProtoWriter();
        OnnxModel.WriteNonEmpty(w, 1, Name);
        if (IsTensor)
        {
            var tensor = new ProtoWriter();
            tensor.WriteInt64(1, ElemType);
            if (Shape is not null)
            {
                var shape = new ProtoWriter();
                foreach (OnnxDimension dimension in Shape)
                {
                    var dim = new ProtoWriter();
                    if (dimension.Value is long value)
                    {
                        dim.WriteInt64(1, value);
                    }
                    else if (dimension.Param is not null)
                    {
                        dim.WriteString(2, dimension.Param);
                    }

                    shape.WriteMessage(1, dim);
                }

                tensor.WriteMessage(2, shape);
            }

            var type = new ProtoWriter();
            type.WriteMessage(1, tensor);
            w.WriteMessage(2, type);
        }

        return w;
    }
}
