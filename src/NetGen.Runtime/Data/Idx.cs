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
    /// <exception cref="InvalidDataException">Not an IDX image file, or shorter than its dimensions say.</exception>
    public static (byte[] Pixels, int Count, int Height, int Width) ReadImages(string path)
    {
        using Stream stream = Open(path);
        int[] dimensions = ReadHeader(stream, 0x00000803, 3, path);
        byte[] pixels = ReadBody(stream, checked(dimensions[0] * dimensions[1] * dimensions[2]), path);
        return (pixels, dimensions[0], dimensions[1], dimensions[2]);
    }

    /// <summary>Reads a label file.</summary>
    /// <exception cref="InvalidDataException">Not an IDX label file, or shorter than its count says.</exception>
    public static int[] ReadLabels(string path)
    {
        using Stream stream = Open(path);
        int[] dimensions = ReadHeader(stream, 0x00000801, 1, path);
        byte[] bytes = ReadBody(stream, dimensions[0], path);
        return Array.ConvertAll(bytes, b => (int)b);
    }

    /// <summary>
    /// Loads images and labels as a classification dataset with one-hot targets; pixels are divided by 255 so that they
    /// lie in [0, 1].
    /// </summary>
    public static Dataset<T> LoadDataset<T>(string imagesPath, string labelsPath, int classes = 10) where T : unmanaged, IFloatingPointIeee754<T>
    {
        (byte[] pixels, int count, int height, int width) = ReadImages(imagesPath);
        int[] labels = ReadLabels(labelsPath);
        if (labels.Length != count)
        {
            throw new InvalidDataException($"{imagesPath} holds {count} images but {labelsPath} holds {labels.Length} labels.");
        }

        var features = new T[pixels.Length];
        T scale = T.One / T.CreateChecked(255);
        for (int i = 0; i < pixels.Length; i++)
        {
            features[i] = T.CreateChecked(pixels[i]) * scale;
        }

        return Dataset<T>.FromLabels(features, height * width, labels, classes);
    }

    private static Stream Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Stream stream = File.OpenRead(path);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(stream, CompressionMode.Decompress) : stream;
    }

    private static int[] ReadHeader(Stream stream, int magic, int rank, string path)
    {
        int found = BinaryPrimitives.ReadInt32BigEndian(ReadBody(stream, 4, path));
        if (found != magic)
        {
            throw new InvalidDataException($"{path} starts with magic 0x{found:X8}; an IDX {(rank == 1 ? "label" : "image")} file starts with 0x{magic:X8}.");
        }

        byte[] header = ReadBody(stream, 4 * rank, path);
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

    private static byte[] ReadBody(Stream stream, int length, string path)
    {
        var buffer = new byte[length];
        int read = stream.ReadAtLeast(buffer, length, throwOnEndOfStream: false);
        if (read < length)
        {
            throw new InvalidDataException($"{path} ends after {read} of the {length} bytes its header promises.");
        }

        return buffer;
    }
}
