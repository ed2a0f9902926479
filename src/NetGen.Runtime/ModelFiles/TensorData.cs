using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;

namespace NetGen;

/// <summary>The shape arithmetic and value decoding that safetensors and .npy share.</summary>
internal static class TensorData
{
    /// <summary>Bytes per value of the dtypes NetGen reads (safetensors names), or 0 for any other.</summary>
    public static int Width(string dtype) => dtype switch
    {
        "F64" => 8,
        "F32" => 4,
        "F16" or "BF16" => 2,
        _ => 0,
    };

    /// <summary>
    /// Checks a declared shape and returns its element count: every dimension in 0..int.MaxValue, the product computed
    /// in 64 bits with overflow detected, and small enough for one array of doubles.
    /// </summary>
    public static long Count(IReadOnlyList<long> shape, string tensor, string source)
    {
        long count = 1;
        for (int i = 0; i < shape.Count; i++)
        {
            long dimension = shape[i];
            if (dimension is < 0 or > int.MaxValue)
            {
                throw new InvalidDataException($"{source}: tensor '{tensor}' has dimension {dimension} in shape {Format(shape)}; dimensions lie in 0..{int.MaxValue}.");
            }

            if (dimension != 0 && count > long.MaxValue / dimension)
            {
                count = -1; // overflow; a later zero dimension does not make the declaration sensible
                break;
            }

            count *= dimension;
        }

        if (count < 0 || count > Array.MaxLength)
        {
            throw new InvalidDataException(
                $"{source}: tensor '{tensor}' has shape {Format(shape)}, whose element count {(count < 0 ? "overflows 64 bits" : $"{count} exceeds {Array.MaxLength}")}; the header is damaged.");
        }

        return count;
    }

    public static int[] ToShape(IReadOnlyList<long> shape)
    {
        var result = new int[shape.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = (int)shape[i];
        }

        return result;
    }

    public static string Format(IReadOnlyList<long> shape) => "[" + string.Join(", ", shape) + "]";

    /// <summary>Widens little-endian values of <paramref name="dtype"/> to double.</summary>
    public static double[] Decode(ReadOnlySpan<byte> bytes, string dtype)
    {
        int width = Width(dtype);
        var values = new double[bytes.Length / width];
        switch (dtype)
        {
            case "F64":
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(i * 8)..]);
                }

                break;
            case "F32":
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
                }

                break;
            case "F16":
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = (double)BinaryPrimitives.ReadHalfLittleEndian(bytes[(i * 2)..]);
                }

                break;
            default: // BF16: the top half of a float
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]) << 16);
                }

                break;
        }

        return values;
    }
}
