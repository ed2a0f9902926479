using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using NetGen;

namespace NetGen.Runtime.Tests.ModelFiles;

/// <summary>
/// WeightImport against files written the way PyTorch and NumPy write them: safetensors and .npy bytes laid out here
/// from their published specifications, and .npz/.npy files written by NumPy itself (fixtures/, made by
/// fixtures/make_fixtures.py).
/// </summary>
public class WeightImportTests
{
    // state_dict of nn.Sequential(Linear(5, 4), PReLU(), Linear(4, 3), Softmax()): 0.weight, 0.bias, 1.weight, 2.weight, 2.bias.
    private static readonly (string Name, int[] Shape)[] SavedNetStateDict =
    {
        ("0.weight", new[] { 4, 5 }), ("0.bias", new[] { 4 }), ("1.weight", new[] { 1 }), ("2.weight", new[] { 3, 4 }), ("2.bias", new[] { 3 }),
    };

    private static List<NamedTensor> StateDict(Func<int, double> value)
    {
        int next = 0;
        return SavedNetStateDict.Select(e =>
            new NamedTensor(e.Name, e.Shape, Enumerable.Range(0, e.Shape.Aggregate(1, (a, b) => a * b)).Select(_ => value(next++)).ToArray())).ToList();
    }

    [Fact]
    public void StateDictTensorsLandInTheParameterLayoutWhateverOrderTheFileListsThem()
    {
        List<NamedTensor> tensors = StateDict(i => i);
        tensors.Reverse(); // safetensors headers are not ordered
        var net = new SavedNet();
        WeightImport.Load(net, tensors);
        Assert.Equal(Enumerable.Range(0, SavedNet.ParameterCount).Select(i => (float)i), net.Parameters.ToArray());
    }

    [Fact]
    public void SafeTensorsFilesOfEveryFloatTypeLoad()
    {
        foreach (string dtype in new[] { "F32", "F64", "F16", "BF16" })
        {
            // Values exactly representable in every dtype: multiples of 1/4 up to 8.
            List<NamedTensor> tensors = StateDict(i => (i % 33) / 4.0);
            var net = new SavedNetDouble();
            WeightImport.Load(net, WeightImport.ReadSafeTensors(new MemoryStream(SafeTensorsBytes(tensors, dtype))));
            Assert.Equal(tensors.OrderBy(t => Array.IndexOf(SavedNetStateDict.Select(e => e.Name).ToArray(), t.Name)).SelectMany(t => t.Values), net.Parameters.ToArray());
        }
    }

    [Fact]
    public void TransposedWeightsAreRefusedWithAHint()
    {
        List<NamedTensor> tensors = StateDict(i => i);
        tensors[0] = new NamedTensor("0.weight", new[] { 5, 4 }, tensors[0].Values);
        var net = new SavedNet(seed: 4);
        float[] before = net.Parameters.ToArray();
        var error = Assert.Throws<InvalidDataException>(() => WeightImport.Load(net, tensors));
        Assert.Contains("[4, 5]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[5, 4]", error.Message, StringComparison.Ordinal);
        Assert.Contains("transposed", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, net.Parameters.ToArray());
    }

    [Fact]
    public void MissingAndLeftOverTensorsAreNamed()
    {
        List<NamedTensor> tensors = StateDict(i => i);
        Assert.Contains("no tensors left", Assert.Throws<InvalidDataException>(() => WeightImport.Load(new SavedNet(), tensors.Take(4).ToList())).Message, StringComparison.Ordinal);
        tensors.Add(new NamedTensor("4.weight", new[] { 2, 3 }, new double[6]));
        Assert.Contains("4.weight", Assert.Throws<InvalidDataException>(() => WeightImport.Load(new SavedNet(), tensors)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NpzFromNumPySavezLoadsInStateDictOrder()
    {
        // fixtures/savednet.npz: np.savez with the state_dict names, values 0.5 * index (see make_fixtures.py).
        var net = new SavedNet();
        WeightImport.LoadNpz(net, Fixture("savednet.npz"));
        Assert.Equal(Enumerable.Range(0, SavedNet.ParameterCount).Select(i => 0.5f * i), net.Parameters.ToArray());

        // fixtures/savednet_positional.npz: np.savez_compressed(*arrays) gives arr_0 ... arr_4.
        var positional = new SavedNetDouble();
        WeightImport.LoadNpz(positional, Fixture("savednet_positional.npz"));
        Assert.Equal(Enumerable.Range(0, SavedNet.ParameterCount).Select(i => 0.5 * i), positional.Parameters.ToArray());
    }

    [Fact]
    public void NpyArraysInFortranOrderAreReadRowMajor()
    {
        // fixtures/fortran.npy: np.asfortranarray(np.arange(6, dtype='<f8').reshape(2, 3)).
        using FileStream stream = File.OpenRead(Fixture("fortran.npy"));
        NamedTensor tensor = WeightImport.ReadNpy(stream, "fortran");
        Assert.Equal(new[] { 2, 3 }, tensor.Shape);
        Assert.Equal(new double[] { 0, 1, 2, 3, 4, 5 }, tensor.Values);
    }

    [Fact]
    public void UnsupportedDtypesAreNamed()
    {
        byte[] bytes = NpyBytes("<i4", new[] { 2 }, new byte[8]);
        var error = Assert.Throws<InvalidDataException>(() => WeightImport.ReadNpy(new MemoryStream(bytes), "ints"));
        Assert.Contains("<i4", error.Message, StringComparison.Ordinal);
    }

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "ModelFiles", "fixtures", name);

    /// <summary>A safetensors file per its specification: u64 header length, JSON header, then the data.</summary>
    private static byte[] SafeTensorsBytes(IReadOnlyList<NamedTensor> tensors, string dtype)
    {
        var data = new MemoryStream();
        var header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        foreach (NamedTensor tensor in tensors)
        {
            long begin = data.Length;
            foreach (double v in tensor.Values)
            {
                byte[] item = dtype switch
                {
                    "F32" => BitConverter.GetBytes((float)v),
                    "F64" => BitConverter.GetBytes(v),
                    "F16" => BitConverter.GetBytes((Half)v),
                    _ => BitConverter.GetBytes((ushort)(BitConverter.SingleToInt32Bits((float)v) >> 16)),
                };
                data.Write(item);
            }

            header.Append($",\"{tensor.Name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(",", tensor.Shape)}],\"data_offsets\":[{begin},{data.Length}]}}");
        }

        byte[] json = Encoding.UTF8.GetBytes(header.Append('}').ToString());
        var file = new MemoryStream();
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
        file.Write(length);
        file.Write(json);
        file.Write(data.ToArray());
        return file.ToArray();
    }

    /// <summary>A version 1.0 .npy file per NumPy's format description.</summary>
    private static byte[] NpyBytes(string descr, int[] shape, byte[] data)
    {
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({string.Join(", ", shape)},), }}";
        int padded = ((10 + dict.Length + 1 + 63) / 64 * 64) - 10;
        byte[] header = Encoding.ASCII.GetBytes(dict.PadRight(padded - 1) + "\n");
        var file = new MemoryStream();
        file.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 });
        file.Write(BitConverter.GetBytes((ushort)header.Length));
        file.Write(header);
        file.Write(data);
        return file.ToArray();
    }
}
