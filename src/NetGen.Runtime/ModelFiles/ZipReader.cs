using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace NetGen;

/// <summary>
/// Reads the entries of a zip archive held in memory (what <c>np.savez</c> writes), trusting no declared size: the
/// central directory and every local header must lie inside the archive, entries may not overlap, only stored and
/// deflated entries are read, each entry's output is bounded by its declared size (and by a caller's limit) before
/// anything is allocated for it, and its CRC-32 and size must match after reading.
/// </summary>
internal static class ZipReader
{
    /// <summary>Deflate produces at most about 1,032 output bytes per input byte; a larger declared size is a lie.</summary>
    private const long MaxDeflateRatio = 1_040;

    private const uint EndSignature = 0x06054b50, Zip64EndSignature = 0x06064b50, Zip64LocatorSignature = 0x07064b50;
    private const uint CentralSignature = 0x02014b50, LocalSignature = 0x04034b50;

    public sealed record Entry(string Name, int Method, uint Crc, long CompressedSize, long Size, long HeaderOffset, long DataOffset);

    /// <summary>Lists and checks every entry of <paramref name="archive"/>.</summary>
    public static List<Entry> ReadDirectory(byte[] archive, string source)
    {
        long eocd = FindEndRecord(archive, source);
        ReadOnlySpan<byte> end = archive.AsSpan((int)eocd, 22);
        long entryCount = BinaryPrimitives.ReadUInt16LittleEndian(end[10..]);
        long directorySize = BinaryPrimitives.ReadUInt32LittleEndian(end[12..]);
        long directoryOffset = BinaryPrimitives.ReadUInt32LittleEndian(end[16..]);
        long directoryLimit = eocd;
        if (BinaryPrimitives.ReadUInt16LittleEndian(end[4..]) != 0 || BinaryPrimitives.ReadUInt16LittleEndian(end[6..]) != 0
            || BinaryPrimitives.ReadUInt16LittleEndian(end[8..]) != entryCount)
        {
            throw Damaged(source, "it declares several disks; multi-volume archives are not read");
        }

        if (entryCount == 0xFFFF || directorySize == 0xFFFFFFFF || directoryOffset == 0xFFFFFFFF)
        {
            // Zip64: the locator sits just before the end record and points at the zip64 end record.
            if (eocd < 20 || BinaryPrimitives.ReadUInt32LittleEndian(archive.AsSpan((int)eocd - 20)) != Zip64LocatorSignature)
            {
                throw Damaged(source, "its end record needs a zip64 record that is missing");
            }

            long record = (long)BinaryPrimitives.ReadUInt64LittleEndian(archive.AsSpan((int)eocd - 12));
            if (record < 0 || record > eocd - 20 - 56 || BinaryPrimitives.ReadUInt32LittleEndian(archive.AsSpan((int)record)) != Zip64EndSignature)
            {
                throw Damaged(source, $"its zip64 end record offset {record} does not point at a zip64 end record");
            }

            ReadOnlySpan<byte> z = archive.AsSpan((int)record, 56);
            entryCount = Checked((long)BinaryPrimitives.ReadUInt64LittleEndian(z[32..]), "entry count", source);
            directorySize = Checked((long)BinaryPrimitives.ReadUInt64LittleEndian(z[40..]), "central directory size", source);
            directoryOffset = Checked((long)BinaryPrimitives.ReadUInt64LittleEndian(z[48..]), "central directory offset", source);
            directoryLimit = record;
        }

        if (directoryOffset > directoryLimit || directorySize > directoryLimit - directoryOffset)
        {
            throw Damaged(source, $"its central directory [{directoryOffset}, +{directorySize}] lies outside the {directoryLimit} bytes before the end record");
        }

        if (entryCount > directorySize / 46)
        {
            throw Damaged(source, $"it declares {entryCount} entries, more than its {directorySize}-byte central directory can hold");
        }

        var entries = new List<Entry>((int)entryCount);
        var names = new HashSet<string>(StringComparer.Ordinal);
        long at = directoryOffset;
        long directoryEnd = directoryOffset + directorySize;
        for (long i = 0; i < entryCount; i++)
        {
            Entry entry = ReadCentralEntry(archive, ref at, directoryEnd, directoryOffset, source);
            if (!names.Add(entry.Name))
            {
                throw Damaged(source, $"it holds two entries named '{entry.Name}'");
            }

            entries.Add(entry);
        }

        if (at != directoryEnd)
        {
            throw Damaged(source, $"its central directory holds {directoryEnd - at} bytes after its {entryCount} entries");
        }

        // Entries may not share bytes: overlapping entries are how zip bombs multiply one compressed block.
        var byOffset = new List<Entry>(entries);
        byOffset.Sort((a, b) => a.HeaderOffset.CompareTo(b.HeaderOffset));
        for (int i = 1; i < byOffset.Count; i++)
        {
            Entry previous = byOffset[i - 1];
            if (previous.DataOffset + previous.CompressedSize > byOffset[i].HeaderOffset)
            {
                throw Damaged(source, $"entries '{previous.Name}' and '{byOffset[i].Name}' overlap");
            }
        }

        return entries;
    }

    /// <summary>
    /// Decompresses <paramref name="entry"/>, which must not declare more than <paramref name="maxSize"/> bytes, and
    /// checks its size and CRC-32; <paramref name="limit"/> says where the limit comes from.
    /// </summary>
    public static byte[] Extract(byte[] archive, Entry entry, long maxSize, string limit, string source)
    {
        maxSize = Math.Min(maxSize, Array.MaxLength);
        if (entry.Size > maxSize)
        {
            throw new InvalidDataException(
                $"{source}: entry '{entry.Name}' declares {entry.Size} uncompressed bytes, more than the {maxSize} that {(maxSize == Array.MaxLength ? "one array holds" : limit)}.");
        }

        byte[] content;
        if (entry.Method == 0)
        {
            content = archive.AsSpan((int)entry.DataOffset, (int)entry.Size).ToArray();
        }
        else
        {
            content = new byte[entry.Size];
            using var inflater = new DeflateStream(new MemoryStream(archive, (int)entry.DataOffset, (int)entry.CompressedSize, writable: false), CompressionMode.Decompress);
            int filled;
            bool more;
            try
            {
                filled = inflater.ReadAtLeast(content, content.Length, throwOnEndOfStream: false);
                Span<byte> probe = stackalloc byte[1];
                more = inflater.Read(probe) != 0;
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{source}: entry '{entry.Name}' holds damaged deflate data ({e.Message}).", e);
            }

            if (filled < content.Length || more)
            {
                throw new InvalidDataException(
                    $"{source}: entry '{entry.Name}' declares {entry.Size} uncompressed bytes but decompresses to {(more ? "more" : filled.ToString(System.Globalization.CultureInfo.InvariantCulture))}; the archive is damaged.");
            }
        }

        uint crc = Crc32.Append(0, content);
        if (crc != entry.Crc)
        {
            throw new InvalidDataException(
                $"{source}: entry '{entry.Name}' is damaged: its CRC-32 is 0x{entry.Crc:X8} in the archive, 0x{crc:X8} from its contents.");
        }

        return content;
    }

    private static Entry ReadCentralEntry(byte[] archive, ref long at, long directoryEnd, long directoryOffset, string source)
    {
        if (directoryEnd - at < 46 || BinaryPrimitives.ReadUInt32LittleEndian(archive.AsSpan((int)at)) != CentralSignature)
        {
            throw Damaged(source, $"its central directory has no entry header at offset {at}");
        }

        ReadOnlySpan<byte> h = archive.AsSpan((int)at, 46);
        int flags = BinaryPrimitives.ReadUInt16LittleEndian(h[8..]);
        int method = BinaryPrimitives.ReadUInt16LittleEndian(h[10..]);
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(h[16..]);
        long compressed = BinaryPrimitives.ReadUInt32LittleEndian(h[20..]);
        long size = BinaryPrimitives.ReadUInt32LittleEndian(h[24..]);
        int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(h[28..]);
        int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(h[30..]);
        int commentLength = BinaryPrimitives.ReadUInt16LittleEndian(h[32..]);
        int disk = BinaryPrimitives.ReadUInt16LittleEndian(h[34..]);
        long offset = BinaryPrimitives.ReadUInt32LittleEndian(h[42..]);
        long next = at + 46 + nameLength + extraLength + commentLength;
        if (next > directoryEnd)
        {
            throw Damaged(source, $"the central directory entry at offset {at} runs past the directory's end");
        }

        byte[] nameBytes = archive.AsSpan((int)at + 46, nameLength).ToArray();
        string name = (flags & 0x800) != 0 ? Encoding.UTF8.GetString(nameBytes) : Encoding.Latin1.GetString(nameBytes);
        ReadZip64Extra(archive.AsSpan((int)at + 46 + nameLength, extraLength), ref size, ref compressed, ref offset, ref disk, name, source);
        at = next;

        if ((flags & 0x41) != 0)
        {
            throw new InvalidDataException($"{source}: entry '{name}' is encrypted; NetGen reads plain archives.");
        }

        if (method is not (0 or 8))
        {
            throw new InvalidDataException($"{source}: entry '{name}' uses compression method {method}; NetGen reads stored (0) and deflated (8) entries.");
        }

        if (disk != 0)
        {
            throw Damaged(source, $"entry '{name}' starts on disk {disk}");
        }

        if (method == 0 && compressed != size)
        {
            throw Damaged(source, $"stored entry '{name}' declares {compressed} stored and {size} uncompressed bytes");
        }

        if (method == 8 && size > (compressed * MaxDeflateRatio) + 1024)
        {
            throw Damaged(source, $"entry '{name}' declares {size} uncompressed bytes from {compressed} compressed ones, more than deflate can produce");
        }

        // The local header: its name and extra field lengths decide where the data starts.
        if (offset > directoryOffset - 30 || BinaryPrimitives.ReadUInt32LittleEndian(archive.AsSpan((int)offset)) != LocalSignature)
        {
            throw Damaged(source, $"entry '{name}' points at offset {offset}, where there is no local header");
        }

        int localName = BinaryPrimitives.ReadUInt16LittleEndian(archive.AsSpan((int)offset + 26));
        int localExtra = BinaryPrimitives.ReadUInt16LittleEndian(archive.AsSpan((int)offset + 28));
        long data = offset + 30 + localName + localExtra;
        if (data > directoryOffset || compressed > directoryOffset - data)
        {
            throw Damaged(source, $"the data of entry '{name}' ({compressed} bytes from offset {data}) runs into the central directory at {directoryOffset}");
        }

        if (!archive.AsSpan((int)offset + 30, localName).SequenceEqual(nameBytes))
        {
            throw Damaged(source, $"entry '{name}' has another name in its local header");
        }

        return new Entry(name, method, crc, compressed, size, offset, data);
    }

    /// <summary>Takes the 64-bit values of the zip64 extra field (id 1) for the 32-bit fields that are all ones.</summary>
    private static void ReadZip64Extra(ReadOnlySpan<byte> extra, ref long size, ref long compressed, ref long offset, ref int disk, string name, string source)
    {
        bool needed = size == 0xFFFFFFFF || compressed == 0xFFFFFFFF || offset == 0xFFFFFFFF || disk == 0xFFFF;
        while (extra.Length >= 4)
        {
            int id = BinaryPrimitives.ReadUInt16LittleEndian(extra);
            int length = BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]);
            if (length > extra.Length - 4)
            {
                throw Damaged(source, $"entry '{name}' has an extra field that runs past its end");
            }

            ReadOnlySpan<byte> field = extra.Slice(4, length);
            if (id == 1)
            {
                int at = 0;
                if (size == 0xFFFFFFFF)
                {
                    size = Take64(field, ref at, name, source);
                }

                if (compressed == 0xFFFFFFFF)
                {
                    compressed = Take64(field, ref at, name, source);
                }

                if (offset == 0xFFFFFFFF)
                {
                    offset = Take64(field, ref at, name, source);
                }

                if (disk == 0xFFFF)
                {
                    disk = field.Length >= at + 4 ? (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(field[at..])) : throw Damaged(source, $"entry '{name}' has a short zip64 field");
                }

                return;
            }

            extra = extra[(4 + length)..];
        }

        if (needed)
        {
            throw Damaged(source, $"entry '{name}' needs a zip64 extra field that is missing");
        }
    }

    private static long Take64(ReadOnlySpan<byte> field, ref int at, string name, string source)
    {
        if (field.Length < at + 8)
        {
            throw Damaged(source, $"entry '{name}' has a short zip64 field");
        }

        long value = Checked((long)BinaryPrimitives.ReadUInt64LittleEndian(field[at..]), $"zip64 size of '{name}'", source);
        at += 8;
        return value;
    }

    private static long FindEndRecord(byte[] archive, string source)
    {
        // The end record is 22 bytes plus a comment of up to 65,535 bytes, and must end exactly at the end of the file.
        for (long at = archive.Length - 22; at >= 0 && at >= archive.Length - 22 - 65_535; at--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(archive.AsSpan((int)at)) == EndSignature
                && at + 22 + BinaryPrimitives.ReadUInt16LittleEndian(archive.AsSpan((int)at + 20)) == archive.Length)
            {
                return at;
            }
        }

        throw Damaged(source, "it has no zip end record; it is not an .npz (zip) archive, or it is truncated");
    }

    private static long Checked(long value, string what, string source) =>
        value >= 0 && value <= int.MaxValue ? value : throw Damaged(source, $"its {what} is {(ulong)value}, beyond what NetGen reads (2 GB)");

    private static InvalidDataException Damaged(string source, string what) => new($"{source}: the zip archive is damaged: {what}.");
}
