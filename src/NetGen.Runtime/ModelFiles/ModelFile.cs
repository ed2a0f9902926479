using System;
using System.Buffers.Binary;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace NetGen;

/// <summary>
/// Saves and loads a network's parameters in NetGen's own versioned binary format, which records the architecture
/// fingerprint (see <see cref="NetworkInfo.Fingerprint"/>) and a CRC-32, so that weights are never loaded into a
/// different network or from a damaged file.
/// </summary>
/// <remarks>
/// <para>Layout (little-endian): the magic <c>NGMF</c>; format version (u16, now 1); precision (u8: 0 single, 1 double);
/// a reserved byte; the fingerprint's UTF-8 length (i32) and bytes; the parameter count (i32); the parameters; and the
/// CRC-32 (u32) of every byte before it.</para>
/// <para>Saving to a path is atomic: the file is written beside the target under a temporary name, flushed to disk,
/// then renamed over the target, so a crash leaves either the old file or the new one, never half of one. Loading from
/// a path accepts nothing after the checksum; loading from a stream reads one model and leaves the stream after it.
/// docs/reliability.md lists what each kind of damage reports.</para>
/// </remarks>
public static class ModelFile
{
    /// <summary>The current format version.</summary>
    public const ushort FormatVersion = 1;

    // A fingerprint is a few bytes per layer; this bounds what a damaged length field can make Load allocate.
    private const int MaxFingerprintBytes = 1 << 16;

    private static ReadOnlySpan<byte> Magic => "NGMF"u8;

    /// <summary>Writes <paramref name="network"/>'s parameters to <paramref name="path"/>, atomically.</summary>
    /// <remarks>
    /// The data goes to a temporary file in the target's directory, named <c>.{file name}.netgen-{process id}-{random}.tmp</c>,
    /// which is flushed to disk and then renamed over the target; on any failure it is deleted and the old file is left
    /// as it was. A symbolic link is followed: the file it points to is replaced and the link stays. A file that
    /// exists keeps its Unix permission bits. A hard kill during a save can leave the temporary file behind; the next
    /// save to the same path deletes such files whose process is no longer running. See docs/reliability.md.
    /// </remarks>
    /// <exception cref="UnauthorizedAccessException">The existing file is read-only, or the directory cannot be written.</exception>
    /// <exception cref="IOException">Writing failed (for example, the disk is full); the old file is unchanged.</exception>
    public static void Save<T>(INeuralNetwork<T> network, string path) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, stream => Save(network, stream));
    }

    /// <summary>Writes <paramref name="network"/>'s parameters to <paramref name="stream"/> at its current position.</summary>
    public static void Save<T>(INeuralNetwork<T> network, Stream stream) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        byte precision = PrecisionByte<T>();
        byte[] fingerprint = Encoding.UTF8.GetBytes(network.Info.Fingerprint);
        ReadOnlySpan<byte> parameters = MemoryMarshal.AsBytes((ReadOnlySpan<T>)network.Parameters);

        Span<byte> header = stackalloc byte[12];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], FormatVersion);
        header[6] = precision;
        header[7] = 0;
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], fingerprint.Length);
        Span<byte> count = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(count, network.ParameterCount);

        uint crc = Crc32.Append(0, header);
        crc = Crc32.Append(crc, fingerprint);
        crc = Crc32.Append(crc, count);
        crc = Crc32.Append(crc, parameters);
        Span<byte> checksum = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(checksum, crc);

        stream.Write(header);
        stream.Write(fingerprint);
        stream.Write(count);
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(parameters);
        }
        else
        {
            throw new PlatformNotSupportedException("Model files are little-endian; big-endian machines are not supported.");
        }

        stream.Write(checksum);
    }

    /// <summary>
    /// Loads parameters saved by <see cref="Save{T}(INeuralNetwork{T}, string)"/> into <paramref name="network"/>.
    /// The network keeps its parameters when the file does not fit.
    /// </summary>
    /// <exception cref="InvalidDataException">Not a NetGen model file, another format version or precision, another
    /// architecture, a truncated file, a checksum mismatch, a non-zero reserved byte or data after the checksum; the
    /// message says which and what was expected.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static void Load<T>(INeuralNetwork<T> network, string path) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Load(network, stream, requireEnd: true);
    }

    /// <summary>
    /// Loads one model from <paramref name="stream"/> at its current position into <paramref name="network"/> (see
    /// <see cref="Load{T}(INeuralNetwork{T}, string)"/>), leaving the stream just after the checksum, so that models
    /// saved one after another into a stream load one after another. Loading a file by path, in contrast, rejects
    /// anything after the checksum.
    /// </summary>
    /// <exception cref="InvalidDataException">The data does not fit the network or is damaged.</exception>
    public static void Load<T>(INeuralNetwork<T> network, Stream stream) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        Load(network, stream, requireEnd: false);
    }

    private static void Load<T>(INeuralNetwork<T> network, Stream stream, bool requireEnd) where T : unmanaged
    {

        Span<byte> header = stackalloc byte[12];
        ReadExactly(stream, header, "the header");
        if (!header[..4].SequenceEqual(Magic))
        {
            throw new InvalidDataException("Not a NetGen model file: it does not start with 'NGMF'.");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"Model file format version {version} is not supported; this NetGen reads version {FormatVersion}.");
        }

        byte precision = header[6];
        if (precision != PrecisionByte<T>())
        {
            throw new InvalidDataException(
                $"The model file holds {(precision == 0 ? "float" : precision == 1 ? "double" : $"unknown precision {precision}")} parameters, " +
                $"but '{network.Info.Name}' computes in {typeof(T).Name.ToLowerInvariant()}.");
        }

        if (header[7] != 0)
        {
            throw new InvalidDataException($"The model file's reserved byte is {header[7]}; format version {FormatVersion} defines it as 0, so the file is damaged.");
        }

        int fingerprintLength = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        long remaining = stream.CanSeek ? stream.Length - stream.Position : long.MaxValue;
        if (fingerprintLength is < 0 or > MaxFingerprintBytes || fingerprintLength > remaining)
        {
            throw new InvalidDataException(
                $"The model file's architecture record claims {fingerprintLength} bytes{(remaining == long.MaxValue ? "" : $" where {remaining} remain")}; the file is damaged or truncated.");
        }

        byte[] fingerprintBytes = new byte[fingerprintLength];
        ReadExactly(stream, fingerprintBytes, "the architecture record");
        string fingerprint = Encoding.UTF8.GetString(fingerprintBytes);
        if (fingerprint != network.Info.Fingerprint)
        {
            throw new InvalidDataException(
                $"The model file was saved from a different architecture.{Environment.NewLine}" +
                $"  file:    {fingerprint}{Environment.NewLine}  network: {network.Info.Fingerprint} ('{network.Info.Name}')");
        }

        Span<byte> count = stackalloc byte[4];
        ReadExactly(stream, count, "the parameter count");
        int parameterCount = BinaryPrimitives.ReadInt32LittleEndian(count);
        if (parameterCount != network.ParameterCount)
        {
            throw new InvalidDataException($"The model file holds {parameterCount} parameters; '{network.Info.Name}' has {network.ParameterCount}.");
        }

        T[] values = new T[parameterCount];
        ReadExactly(stream, MemoryMarshal.AsBytes(values.AsSpan()), "the parameters");
        Span<byte> checksum = stackalloc byte[4];
        ReadExactly(stream, checksum, "the checksum");

        uint crc = Crc32.Append(0, header);
        crc = Crc32.Append(crc, fingerprintBytes);
        crc = Crc32.Append(crc, count);
        crc = Crc32.Append(crc, MemoryMarshal.AsBytes(values.AsSpan()));
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(checksum);
        if (crc != stored)
        {
            throw new InvalidDataException($"The model file is damaged: its checksum is 0x{stored:X8}, its contents give 0x{crc:X8}.");
        }

        if (requireEnd)
        {
            long end = stream.Position;
            Span<byte> probe = stackalloc byte[1];
            if (stream.Read(probe) != 0)
            {
                long extra = stream.CanSeek ? stream.Length - end : 1;
                throw new InvalidDataException(
                    $"The model file has {(stream.CanSeek ? $"{extra} byte(s)" : "data")} after its checksum (at offset {end}); a model file ends at its checksum, so this one is damaged or not a single model.");
            }
        }

        values.CopyTo(network.Parameters);
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string what)
    {
        int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length)
        {
            throw new InvalidDataException($"The model file is truncated: it ends inside {what} ({read} of {buffer.Length} bytes).");
        }
    }

    private static byte PrecisionByte<T>() =>
        typeof(T) == typeof(float) ? (byte)0
        : typeof(T) == typeof(double) ? (byte)1
        : throw new NotSupportedException($"Networks compute in float or double, not {typeof(T).Name}.");
}
