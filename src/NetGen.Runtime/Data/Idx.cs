using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Numerics;

namespace NetGen;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST: a big-endian magic (0x00000803 for images, 0x00000801 for
/// labels), one big-endian int32 per dimension, then unsigned bytes. Files ending in <c>.gz</c> are decompressed.
/// </summary>
public static class Idx
{
    /// <summary>Reads an image file: every pixel byte, and the image count, height and width.</summary>
    /// <remarks>The dimensions are multiplied in 64 bits and checked against the file's length (for <c>.gz</c> files:
    /// against the data as it arrives) before the pixels are allocated; <c>.gz</c> files must end with a matching
    /// CRC-32 and length (docs/reliability.md).</remarks>
    /// <exception cref="InvalidDataException">Not an IDX image file, shorter or longer than its dimensions say, or a
    /// damaged or truncated <c>.gz</c> file; the message names the file and both sizes.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static (byte[] Pixels, int Count, int Height, int Width) ReadImages(string path)
    {
        using Stream stream = Open(path);
        return ReadImages(stream, path);
    }

    /// <summary>Reads a label file.</summary>
    /// <exception cref="InvalidDataException">Not an IDX label file, shorter or longer than its count says, or a damaged
    /// or truncated <c>.gz</c> file.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static int[] ReadLabels(string path)
    {
        using Stream stream = Open(path);
        return ReadLabels(stream, path);
    }

    /// <summary>
    /// Loads images and labels as a classification dataset with one-hot targets; pixels are divided by 255 so that they
    /// lie in [0, 1].
    /// </summary>
    /// <exception cref="InvalidDataException">Either file is malformed, their counts differ, or a label is not below
    /// <paramref name="classes"/>.</exception>
    public static Dataset<T> LoadDataset<T>(string imagesPath, string labelsPath, int classes = 10) where T : unmanaged, IFloatingPointIeee754<T>
    {
        (byte[] pixels, int count, int height, int width) = ReadImages(imagesPath);
        int[] labels = ReadLabels(labelsPath);
        if (labels.Length != count)
        {
            throw new InvalidDataException($"{imagesPath} holds {count} images but {labelsPath} holds {labels.Length} labels.");
        }

        int bad = Array.FindIndex(labels, l => l >= classes);
        if (bad >= 0)
        {
            throw new InvalidDataException($"{labelsPath}: label {bad} is {labels[bad]}, not a class in 0..{classes - 1}.");
        }

        var features = new T[pixels.Length];
        T scale = T.One / T.CreateChecked(255);
        for (int i = 0; i < pixels.Length; i++)
        {
            features[i] = T.CreateChecked(pixels[i]) * scale;
        }

        return Dataset<T>.FromLabels(features, height * width, labels, classes);
    }

    internal static (byte[] Pixels, int Count, int Height, int Width) ReadImages(Stream stream, string source)
    {
        int[] dimensions = ReadHeader(stream, 0x00000803, 3, source);
        // Each dimension is below 2^31, so height x width fits in 64 bits; times the count it may not (saturate).
        long pixelsPerImage = (long)dimensions[1] * dimensions[2];
        long size = pixelsPerImage != 0 && dimensions[0] > long.MaxValue / pixelsPerImage ? long.MaxValue : dimensions[0] * pixelsPerImage;
        if (pixelsPerImage > int.MaxValue)
        {
            throw new InvalidDataException($"{source} declares images of {dimensions[1]} x {dimensions[2]} pixels, too many for one row.");
        }

        byte[] pixels = ReadBody(stream, size, source, $"{dimensions[0]} images of {dimensions[1]} x {dimensions[2]} pixels");
        return (pixels, dimensions[0], dimensions[1], dimensions[2]);
    }

    internal static int[] ReadLabels(Stream stream, string source)
    {
        int[] dimensions = ReadHeader(stream, 0x00000801, 1, source);
        byte[] bytes = ReadBody(stream, dimensions[0], source, $"{dimensions[0]} labels");
        return Array.ConvertAll(bytes, b => (int)b);
    }

    private static Stream Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? GzipReadStream.Open(path) : File.OpenRead(path);
    }

    private static int[] ReadHeader(Stream stream, int magic, int rank, string path)
    {
        int found = BinaryPrimitives.ReadInt32BigEndian(StreamBytes.Read(stream, 4, "the IDX magic number", path));
        if (found != magic)
        {
            throw new InvalidDataException($"{path} starts with magic 0x{found:X8}; an IDX {(rank == 1 ? "label" : "image")} file starts with 0x{magic:X8}.");
        }

        byte[] header = StreamBytes.Read(stream, 4 * rank, "the IDX dimensions", path);
        var dimensions = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 * i));
            if (dimensions[i] < 0)
            {
                throw new InvalidDataException($"{path} declares a negative dimension ({dimensions[i]}).");
            }
        }

        return dimensions;
    }

    /// <summary>Reads the body, which must be exactly <paramref name="length"/> bytes: checked before allocating where the length is known.</summary>
    private static byte[] ReadBody(Stream stream, long length, string path, string what)
    {
        long remaining = StreamBytes.Remaining(stream);
        if (length > Array.MaxLength || (remaining >= 0 && remaining != length))
        {
            throw new InvalidDataException(
                $"{path} declares {what} ({(length == long.MaxValue ? "more than 2^63" : length.ToString(System.Globalization.CultureInfo.InvariantCulture))} bytes), " +
                (remaining >= 0 ? $"but {remaining} bytes follow its header." : $"more than one array holds ({Array.MaxLength})."));
        }

        byte[] body = StreamBytes.Read(stream, length, what, path);

        if (remaining < 0 && StreamBytes.HasMore(stream))
        {
            throw new InvalidDataException($"{path} holds more data than its header declares ({what}, {length} bytes).");
        }

        return body;
    }
}
