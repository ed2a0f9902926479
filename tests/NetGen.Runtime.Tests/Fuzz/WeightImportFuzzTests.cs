using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using NetGen;
using NetGen.Runtime.Tests.ModelFiles;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Fuzz;

/// <summary>
/// Hostile weight files (seeded): 4,000 safetensors, 4,000 .npz and 2,500 .npy. Byte damage, truncation, forged
/// header lengths, shapes, offsets and dtypes, damaged zip records and CRCs, valid archives around damaged arrays, and
/// deflate bombs with honest and forged sizes. Only InvalidDataException may escape; see <see cref="FuzzCase"/>.
/// </summary>
public sealed class WeightImportFuzzTests
{
    private static readonly float[] Expected = Enumerable.Range(0, SavedNet.ParameterCount).Select(WeightFiles.Value).ToArray();
    private readonly ITestOutputHelper _output;

    public WeightImportFuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void HostileSafeTensorsFilesFailWithInvalidDataOnly()
    {
        const int cases = 4_000;
        byte[] good = WeightFiles.SavedNetSafeTensors();
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(good);
        string header = Encoding.UTF8.GetString(good, 8, headerLength);
        byte[] data = good[(8 + headerLength)..];
        var mutator = new Mutator(seed: 11);
        var ledger = new FuzzLedger();
        var net = new SavedNet(seed: 5);
        float[] initial = net.Parameters.ToArray();
        for (int i = 0; i < cases; i++)
        {
            string kind;
            byte[] file;
            switch (mutator.Random.Next(10))
            {
                case < 5:
                    file = mutator.Mutate(good, out kind);
                    break;
                case < 8:
                    kind = "forged number in the header";
                    file = WeightFiles.SafeTensors(mutator.ForgeNumber(header), data);
                    break;
                case 8:
                    kind = "forged header length";
                    file = WeightFiles.SafeTensors(header, data, declaredLength: (ulong)mutator.AnyInteresting());
                    break;
                default:
                    file = WeightFiles.SafeTensors(ForgeStructure(header, mutator, out kind), data);
                    break;
            }

            bool forwardOnly = i % 4 == 0;
            FuzzCase.Run(ledger, $"safetensors case {i} ({kind})", file.Length, net,
                () => WeightImport.LoadSafeTensors(net, FuzzCase.Open(file, forwardOnly)), expected: null, typeof(InvalidDataException));
            initial.CopyTo(net.Parameters);
        }

        // safetensors has no checksum: damage to a value loads that value, so "loaded" cases are expected.
        ledger.Report(_output, "WeightImport.LoadSafeTensors", cases);
    }

    [Fact]
    public void HostileNpzArchivesFailWithInvalidDataOnlyAndNeverLoadOtherWeights()
    {
        const int cases = 4_000;
        List<(string Name, byte[] Npy)> arrays = WeightFiles.SavedNetArrays();
        byte[][] good = { WeightFiles.Npz(arrays, compressed: false), WeightFiles.Npz(arrays, compressed: true) };
        byte[] bomb = WeightFiles.DeflateBomb(1_000_000); // 4 MB of zeros in about 4 kB
        var mutator = new Mutator(seed: 12);
        var ledger = new FuzzLedger();
        var net = new SavedNet(seed: 6);
        float[] initial = net.Parameters.ToArray();
        for (int i = 0; i < cases; i++)
        {
            string kind;
            byte[] file;
            float[]? expected = Expected;
            byte[] archive = good[i % 2];
            switch (mutator.Random.Next(20))
            {
                case < 11:
                    file = mutator.Mutate(archive, out kind);
                    break;
                case < 14:
                    file = ForgeZipField(archive, mutator, out kind);
                    break;
                case < 18:
                {
                    // A valid archive (correct CRCs) around one damaged .npy: the array parser is what must hold.
                    int which = mutator.Random.Next(arrays.Count);
                    byte[] npy = mutator.Random.Next(2) == 0
                        ? mutator.Mutate(arrays[which].Npy, out kind)
                        : ForgeNpyHeader(arrays[which].Npy, mutator, out kind);
                    kind = $"valid zip around a damaged .npy ({kind})";
                    file = WeightFiles.Npz(arrays.Select((a, k) => k == which ? (a.Name, npy) : a), compressed: i % 2 == 1);
                    expected = null; // a damaged value byte is a valid array with another value
                    break;
                }

                default:
                    file = mutator.Random.Next(3) == 0 ? bomb : ForgeZipField(bomb, mutator, out _);
                    kind = "deflate bomb";
                    break;
            }

            bool forwardOnly = i % 5 == 0;
            FuzzCase.Run(ledger, $"npz case {i} ({kind})", file.Length, net,
                () => WeightImport.LoadNpz(net, FuzzCase.Open(file, forwardOnly)), expected, typeof(InvalidDataException));
            initial.CopyTo(net.Parameters);
        }

        ledger.Report(_output, "WeightImport.LoadNpz", cases);
    }

    [Fact]
    public void HostileNpyArraysFailWithInvalidDataOnly()
    {
        const int cases = 2_500;
        List<(string Name, byte[] Npy)> arrays = WeightFiles.SavedNetArrays();
        var mutator = new Mutator(seed: 13);
        var ledger = new FuzzLedger();
        for (int i = 0; i < cases; i++)
        {
            byte[] good = arrays[i % arrays.Count].Npy;
            string kind;
            byte[] file = mutator.Random.Next(2) == 0 ? mutator.Mutate(good, out kind) : ForgeNpyHeader(good, mutator, out kind);
            bool forwardOnly = i % 3 == 0;
            FuzzCase.Run<float>(ledger, $"npy case {i} ({kind})", file.Length, null,
                () => WeightImport.ReadNpy(FuzzCase.Open(file, forwardOnly), "a"), expected: null, typeof(InvalidDataException));
        }

        ledger.Report(_output, "WeightImport.ReadNpy", cases);
    }

    private static string ForgeStructure(string header, Mutator mutator, out string kind)
    {
        switch (mutator.Random.Next(6))
        {
            case 0:
                kind = "other dtype";
                return ReplaceOne(header, "\"F32\"", new[] { "\"F16\"", "\"BF16\"", "\"F64\"", "\"I32\"", "\"\"", "5", "null", "[]" }[mutator.Random.Next(8)], mutator);
            case 1:
                kind = "key removed";
                return ReplaceOne(header, new[] { "\"dtype\"", "\"shape\"", "\"data_offsets\"" }[mutator.Random.Next(3)], "\"x\"", mutator);
            case 2:
                kind = "duplicate tensor";
                return header.Insert(1, "\"0.bias\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},");
            case 3:
                kind = "deep nesting";
                return "{\"a\":" + new string('[', 5_000) + new string(']', 5_000) + "}";
            case 4:
                kind = "shape element forged";
                return ReplaceOne(header, "[4,5]", new[] { "[4,5,0]", "[]", "[-4,5]", "[4,\"5\"]", "[4,5.0]", "[2147483648,1]", "[4294967296,4294967296,4294967296]" }[mutator.Random.Next(7)], mutator);
            default:
                kind = "truncated JSON";
                return header[..mutator.Random.Next(header.Length)];
        }
    }

    private static string ReplaceOne(string text, string what, string with, Mutator mutator)
    {
        var at = new List<int>();
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal))
        {
            at.Add(i);
        }

        if (at.Count == 0)
        {
            return text;
        }

        int pick = at[mutator.Random.Next(at.Count)];
        return text[..pick] + with + text[(pick + what.Length)..];
    }

    /// <summary>Overwrites a size, offset, CRC or count field of a zip record with an interesting value.</summary>
    private static byte[] ForgeZipField(byte[] archive, Mutator mutator, out string kind)
    {
        byte[] bytes = (byte[])archive.Clone();
        var records = new List<(int At, string Name, int[] Fields)>();
        for (int i = 0; i + 4 <= bytes.Length; i++)
        {
            uint signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i));
            if (signature == 0x04034b50)
            {
                records.Add((i, "local header", new[] { 14, 18, 22, 26, 28 }));
            }
            else if (signature == 0x02014b50)
            {
                records.Add((i, "central entry", new[] { 10, 16, 20, 24, 28, 30, 32, 42 }));
            }
            else if (signature == 0x06054b50)
            {
                records.Add((i, "end record", new[] { 8, 10, 12, 16, 20 }));
            }
        }

        (int at, string name, int[] fields) = records[mutator.Random.Next(records.Count)];
        int field = fields[mutator.Random.Next(fields.Length)];
        kind = $"forged {name} field +{field}";
        bool wide = (name == "central entry" && field is 16 or 20 or 24 or 42) || (name == "local header" && field is 14 or 18 or 22) || (name == "end record" && field is 12 or 16);
        long value = mutator.AnyInteresting();
        if (at + field + (wide ? 4 : 2) <= bytes.Length)
        {
            if (wide)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + field), unchecked((uint)value));
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + field), unchecked((ushort)value));
            }
        }

        return bytes;
    }

    private static byte[] ForgeNpyHeader(byte[] npy, Mutator mutator, out string kind)
    {
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(npy.AsSpan(8));
        string header = Encoding.ASCII.GetString(npy, 10, headerLength);
        byte[] data = npy[(10 + headerLength)..];
        switch (mutator.Random.Next(4))
        {
            case 0:
                kind = "forged .npy header length";
                byte[] copy = (byte[])npy.Clone();
                BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(8), unchecked((ushort)mutator.AnyInteresting()));
                return copy;
            case 1:
                kind = "forged .npy version";
                byte[] versioned = (byte[])npy.Clone();
                versioned[6] = (byte)mutator.Random.Next(5);
                return versioned;
            default:
                kind = "forged number in the .npy header";
                string forged = mutator.ForgeNumber(header.Replace("<f4", mutator.Random.Next(4) == 0 ? "<f8" : "<f4", StringComparison.Ordinal));
                byte[] text = Encoding.ASCII.GetBytes(forged);
                var file = new byte[10 + text.Length + data.Length];
                npy.AsSpan(0, 8).CopyTo(file);
                BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), (ushort)text.Length);
                text.CopyTo(file, 10);
                data.CopyTo(file, 10 + text.Length);
                return file;
        }
    }
}
