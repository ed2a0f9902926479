using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace NetGen;

/// <summary>
/// Reads safetensors files: a little-endian u64 header length, a JSON header mapping each tensor name to its dtype,
/// shape and data_offsets, then the data. The whole header is validated against the input's length before any tensor
/// is allocated (docs/reliability.md).
/// </summary>
internal static class SafeTensorsReader
{
    /// <summary>The header size limit of the safetensors specification.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private sealed record Entry(string Name, string DType, long[] Shape, long Count, long Begin, long End);

    public static List<NamedTensor> Read(Stream stream, ImportBudget budget, string source)
    {
        byte[] lengthBytes = StreamBytes.Read(stream, 8, "the header length", source);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        long remaining = StreamBytes.Remaining(stream);
        if (headerLength > MaxHeaderBytes || (remaining >= 0 && headerLength > (ulong)remaining))
        {
            throw new InvalidDataException(
                $"{source}: the safetensors header claims {headerLength} bytes, but " +
                (remaining >= 0 && remaining < MaxHeaderBytes ? $"only {remaining} bytes follow" : $"the format allows at most {MaxHeaderBytes}") +
                "; this is not a safetensors file or it is damaged.");
        }

        byte[] header = StreamBytes.Read(stream, (long)headerLength, "the safetensors header", source);
        List<Entry> entries = ParseHeader(header, source);

        // One pass over the declared sizes before reading any data: every tensor's byte span matches its dtype and
        // shape, the spans tile the data section without gaps or overlaps, and the values fit the budget.
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expected = 0;
        foreach (Entry entry in entries)
        {
            long bytes = entry.Count * TensorData.Width(entry.DType); // Count <= Array.MaxLength: no overflow
            if (entry.End - entry.Begin != bytes)
            {
                throw new InvalidDataException(
                    $"{source}: tensor '{entry.Name}' of dtype {entry.DType} and shape {TensorData.Format(entry.Shape)} needs {bytes} bytes, " +
                    $"but its data_offsets [{entry.Begin}, {entry.End}] span {entry.End - entry.Begin}.");
            }

            if (entry.Begin != expected)
            {
                throw new InvalidDataException(
                    $"{source}: tensor '{entry.Name}' starts at data offset {entry.Begin}, but the tensors before it end at {expected}; " +
                    "safetensors data must be covered without gaps or overlaps.");
            }

            expected = entry.End;
            budget.Take(entry.Count, entry.Name, source);
        }

        long available = StreamBytes.Remaining(stream);
        if (available >= 0 && available != expected)
        {
            throw new InvalidDataException(
                $"{source}: the header describes {expected} data bytes, but {available} follow it; the file is {(available < expected ? "truncated" : "damaged or has data appended")}.");
        }

        byte[] data = StreamBytes.Read(stream, expected, "the tensor data", source);
        if (available < 0 && StreamBytes.HasMore(stream))
        {
            throw new InvalidDataException($"{source}: data follows the {expected} bytes the header describes; the file is damaged or has data appended.");
        }

        var tensors = new List<NamedTensor>(entries.Count);
        foreach (Entry entry in entries)
        {
            double[] values = TensorData.Decode(data.AsSpan((int)entry.Begin, (int)(entry.End - entry.Begin)), entry.DType);
            tensors.Add(new NamedTensor(entry.Name, TensorData.ToShape(entry.Shape), values));
        }

        return tensors;
    }

    private static List<Entry> ParseHeader(byte[] header, string source)
    {
        // System.Text.Json parses invalid UTF-8 inside strings and fails only when a name is read, with
        // InvalidOperationException: check the encoding first.
        if (!System.Text.Unicode.Utf8.IsValid(header))
        {
            throw new InvalidDataException($"{source}: the safetensors header is not valid UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: the safetensors header is not valid JSON ({e.Message}).", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{source}: the safetensors header is a JSON {document.RootElement.ValueKind}, not an object.");
            }

            var entries = new List<Entry>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (!names.Add(property.Name))
                {
                    throw new InvalidDataException($"{source}: the safetensors header lists '{property.Name}' twice.");
                }

                if (property.Name == "__metadata__")
                {
                    continue;
                }

                entries.Add(ParseEntry(property, source));
            }

            return entries;
        }
    }

    private static Entry ParseEntry(JsonProperty property, string source)
    {
        string name = property.Name;
        JsonElement value = property.Value;
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{source}: tensor '{name}' is described by a JSON {value.ValueKind}, not an object.");
        }

        string dtype = value.TryGetProperty("dtype", out JsonElement d) && d.ValueKind == JsonValueKind.String
            ? d.GetString()!
            : throw new InvalidDataException($"{source}: tensor '{name}' has no string 'dtype'.");
        if (TensorData.Width(dtype) == 0)
        {
            throw new InvalidDataException($"{source}: tensor '{name}' has dtype {dtype}; NetGen reads F64, F32, F16 and BF16.");
        }

        long[] shape = Integers(value, "shape", name, source, length: -1);
        long[] offsets = Integers(value, "data_offsets", name, source, length: 2);
        if (offsets[1] < offsets[0])
        {
            throw new InvalidDataException($"{source}: tensor '{name}' has data_offsets [{offsets[0]}, {offsets[1]}], which end before they begin.");
        }

        long count = TensorData.Count(shape, name, source);
        return new Entry(name, dtype, shape, count, offsets[0], offsets[1]);
    }

    private static long[] Integers(JsonElement value, string key, string name, string source, int length)
    {
        if (!value.TryGetProperty(key, out JsonElement array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{source}: tensor '{name}' has no '{key}' array.");
        }

        int count = array.GetArrayLength();
        if (length >= 0 && count != length)
        {
            throw new InvalidDataException($"{source}: tensor '{name}' has {count} '{key}' values; safetensors gives {length}.");
        }

        var result = new long[count];
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long number) || number < 0)
            {
                throw new InvalidDataException($"{source}: tensor '{name}' has '{item.GetRawText()}' in '{key}', which is not a non-negative 64-bit integer.");
            }

            result[i++] = number;
        }

        return result;
    }
}
