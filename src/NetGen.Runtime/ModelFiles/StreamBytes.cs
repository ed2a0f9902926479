using System;
using System.IO;

namespace NetGen;

/// <summary>Reads a declared number of bytes without trusting the declaration with an allocation.</summary>
internal static class StreamBytes
{
    private const int Chunk = 1 << 16;

    /// <summary>The bytes left in <paramref name="stream"/>, or -1 when it cannot tell.</summary>
    public static long Remaining(Stream stream) => stream.CanSeek ? Math.Max(0, stream.Length - stream.Position) : -1;

    /// <summary>
    /// Reads exactly <paramref name="count"/> bytes. A seekable stream's length is checked before anything is allocated;
    /// from other streams the buffer grows with the bytes that actually arrive, so a false count costs at most what the
    /// input holds.
    /// </summary>
    /// <exception cref="InvalidDataException">The input ends first; the message names <paramref name="what"/> and both sizes.</exception>
    public static byte[] Read(Stream stream, long count, string what, string source)
    {
        if (count < 0 || count > Array.MaxLength)
        {
            throw new InvalidDataException($"{source}: {what} claims {count} bytes, more than NetGen reads into one array ({Array.MaxLength}).");
        }

        long remaining = Remaining(stream);
        if (remaining >= 0 && count > remaining)
        {
            throw new InvalidDataException($"{source}: {what} needs {count} bytes, but only {remaining} remain in the input; it is truncated or damaged.");
        }

        int length = (int)count;
        var buffer = new byte[remaining >= 0 ? length : Math.Min(length, Chunk)];
        int filled = 0;
        while (filled < length)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(length, 2L * buffer.Length));
            }

            int read = stream.Read(buffer, filled, buffer.Length - filled);
            if (read == 0)
            {
                throw new InvalidDataException($"{source}: the input ends inside {what}, after {filled} of its {count} bytes.");
            }

            filled += read;
        }

        return buffer;
    }

    /// <summary>Reads a stream that cannot tell its length to its end, in chunks, up to one array's worth.</summary>
    public static byte[] ReadToEnd(Stream stream)
    {
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>Whether anything follows in <paramref name="stream"/> (reads one byte from a stream that cannot seek).</summary>
    public static bool HasMore(Stream stream)
    {
        long remaining = Remaining(stream);
        if (remaining >= 0)
        {
            return remaining > 0;
        }

        Span<byte> probe = stackalloc byte[1];
        return stream.Read(probe) != 0;
    }
}
