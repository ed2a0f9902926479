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
/// <para>Layout (little-endian): the magic <c>NGMF</c>; format version (u16: 1, or 2 with sections); precision (u8: 0
/// single, 1 double); a reserved byte; the fingerprint's UTF-8 length (i32) and bytes; the parameter count (i32); the
/// parameters; in version 2 the section count (i32) and the sections; and the CRC-32 (u32) of every byte before it. A
/// section is a four-letter tag, its version (u16), a reserved u16 and its length (i32), then its bytes. The one section
/// so far is <c>STDZ</c> version 1, the inputs' <see cref="Standardizer"/>: the feature count (i32), the means and the
/// deviations (f64 each). A file without sections is written as version 1, which every NetGen reads
/// (docs/model-files.md).</para>
/// <para>Saving to a path is atomic: the file is written beside the target under a temporary name, flushed to disk,
/// then renamed over the target, so a crash leaves either the old file or the new one, never half of one. Loading from
/// a path accepts nothing after the checksum; loading from a stream reads one model and leaves the stream after it.
/// docs/reliability.md lists what each kind of damage reports.</para>
/// </remarks>
public static class ModelFile
{
    /// <summary>The newest format version: 2, files with sections (a <see cref="Standardizer"/>). Files without one are written as version 1.</summary>
    public const ushort FormatVersion = 2;

    private const ushort PlainVersion = 1;

    private const ushort StandardizerSectionVersion = 1;

    // At most one section of each kind; the count field is checked against this before anything is read.
    private const int MaxSections = 1;

    // A fingerprint is a few bytes per layer; this bounds what a damaged length field can make Load allocate.
    private const int MaxFingerprintBytes = 1 << 16;

    private static ReadOnlySpan<byte> Magic => "NGMF"u8;

    private static ReadOnlySpan<byte> StandardizerTag => "STDZ"u8;

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
    public static void Save<T>(INeuralNetwork<T> network, string path) where T : unmanaged => Save(network, path, null);

    /// <summary>
    /// Writes <paramref name="network"/>'s parameters and the <paramref name="standardizer"/> its inputs were scaled with
    /// to <paramref name="path"/>, atomically (as <see cref="Save{T}(INeuralNetwork{T}, string)"/>), so that the statistics
    /// travel with the weights. With a standardizer the file is format version 2; with null, version 1.
    /// </summary>
    /// <exception cref="ArgumentException">The standardizer was fitted on another number of features than the network's inputs.</exception>
    /// <exception cref="UnauthorizedAccessException">The existing file is read-only, or the directory cannot be written.</exception>
    /// <exception cref="IOException">Writing failed (for example, the disk is full); the old file is unchanged.</exception>
    public static void Save<T>(INeuralNetwork<T> network, string path, Standardizer? standardizer) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        CheckStandardizer(network, standardizer);
        AtomicFile.Write(path, stream => Save(network, stream, standardizer));
    }

    /// <summary>Writes <paramref name="network"/>'s parameters to <paramref name="stream"/> at its current position.</summary>
    public static void Save<T>(INeuralNetwork<T> network, Stream stream) where T : unmanaged => Save(network, stream, null);

    /// <summary>
    /// Writes <paramref name="network"/>'s parameters and <paramref name="standardizer"/> (if not null) to
    /// <paramref name="stream"/> at its current position.
    /// </summary>
    /// <exception cref="ArgumentException">The standardizer was fitted on another number of features than the network's inputs.</exception>
    public static void Save<T>(INeuralNetwork<T> network, Stream stream, Standardizer? standardizer) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        CheckStandardizer(network, standardizer);
        byte[] sections = standardizer is null ? Array.Empty<byte>() : SectionBytes(standardizer);
        byte precision = PrecisionByte<T>();
        byte[] fingerprint = Encoding.UTF8.GetBytes(network.Info.Fingerprint);
        ReadOnlySpan<byte> parameters = MemoryMarshal.AsBytes((ReadOnlySpan<T>)network.Parameters);

        Span<byte> header = stackalloc byte[12];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], standardizer is null ? PlainVersion : FormatVersion);
        header[6] = precision;
        header[7] = 0;
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], fingerprint.Length);
        Span<byte> count = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(count, network.ParameterCount);

        uint crc = Crc32.Append(0, header);
        crc = Crc32.Append(crc, fingerprint);
        crc = Crc32.Append(crc, count);
        crc = Crc32.Append(crc, parameters);
        crc = Crc32.Append(crc, sections);
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

        stream.Write(sections);
        stream.Write(checksum);
    }

    private static void CheckStandardizer<T>(INeuralNetwork<T> network, Standardizer? standardizer) where T : unmanaged
    {
        if (standardizer is not null && standardizer.FeatureCount != network.InputSize)
        {
            throw new ArgumentException(
                $"The standardizer was fitted on {standardizer.FeatureCount} features, but '{network.Info.Name}' takes {network.InputSize} inputs.", nameof(standardizer));
        }
    }

    /// <summary>The section count and the <c>STDZ</c> section: tag, version, reserved, length, feature count, means, deviations.</summary>
    private static byte[] SectionBytes(Standardizer standardizer)
    {
        int n = standardizer.FeatureCount;
        byte[] bytes = new byte[4 + 12 + 4 + (16 * n)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, 1);
        StandardizerTag.CopyTo(bytes.AsSpan(4));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), StandardizerSectionVersion);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), 4 + (16 * n));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), n);
        for (int c = 0; c < n; c++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(20 + (8 * c)), standardizer.Means[c]);
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(20 + (8 * (n + c))), standardizer.Deviations[c]);
        }

        return bytes;
    }

    /// <summary>
    /// Loads parameters saved by <see cref="Save{T}(INeuralNetwork{T}, string)"/> into <paramref name="network"/>.
    /// The network keeps its parameters when the file does not fit.
    /// </summary>
    /// <exception cref="InvalidDataException">Not a NetGen model file, another format version or precision, another
    /// architecture, a truncated file, a checksum mismatch, a non-zero reserved byte or data after the checksum; the
    /// message says which and what was expected.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static void Load<T>(INeuralNetwork<T> network, string path) where T : unmanaged => Load(network, path, out _);

    /// <summary>
    /// As <see cref="Load{T}(INeuralNetwork{T}, string)"/>, and returns the standardizer the file carries (saved with
    /// <see cref="Save{T}(INeuralNetwork{T}, string, Standardizer?)"/>), or null for a file without one. Nothing changes
    /// when the file does not fit: neither the network nor <paramref name="standardizer"/> (null).
    /// </summary>
    /// <exception cref="InvalidDataException">As <see cref="Load{T}(INeuralNetwork{T}, string)"/>, and for a damaged
    /// standardizer section (another feature count than the network's inputs, a non-finite mean, a deviation that is not
    /// finite and positive, an unknown section).</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static void Load<T>(INeuralNetwork<T> network, string path, out Standardizer? standardizer) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        standardizer = Load(network, stream, requireEnd: true);
    }

    /// <summary>
    /// Loads one model from <paramref name="stream"/> at its current position into <paramref name="network"/> (see
    /// <see cref="Load{T}(INeuralNetwork{T}, string)"/>), leaving the stream just after the checksum, so that models
    /// saved one after another into a stream load one after another. Loading a file by path, in contrast, rejects
    /// anything after the checksum.
    /// </summary>
    /// <exception cref="InvalidDataException">The data does not fit the network or is damaged.</exception>
    public static void Load<T>(INeuralNetwork<T> network, Stream stream) where T : unmanaged => Load(network, stream, out _);

    /// <summary>As <see cref="Load{T}(INeuralNetwork{T}, Stream)"/>, and returns the standardizer the model carries, or null.</summary>
    /// <exception cref="InvalidDataException">The data does not fit the network or is damaged.</exception>
    public static void Load<T>(INeuralNetwork<T> network, Stream stream, out Standardizer? standardizer) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        standardizer = Load(network, stream, requireEnd: false);
    }

    private static Standardizer? Load<T>(INeuralNetwork<T> network, Stream stream, bool requireEnd) where T : unmanaged
    {

        Span<byte> header = stackalloc byte[12];
        ReadExactly(stream, header, "the header");
        if (!header[..4].SequenceEqual(Magic))
        {
            throw new InvalidDataException("Not a NetGen model file: it does not start with 'NGMF'.");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        if (version is not (PlainVersion or FormatVersion))
        {
            throw new InvalidDataException($"Model file format version {version} is not supported; this NetGen reads versions {PlainVersion} and {FormatVersion}.");
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
            throw new InvalidDataException($"The model file's reserved byte is {header[7]}; format version {version} defines it as 0, so the file is damaged.");
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
        byte[] sections = version == PlainVersion ? Array.Empty<byte>() : ReadSections(stream, network.InputSize);
        Span<byte> checksum = stackalloc byte[4];
        ReadExactly(stream, checksum, "the checksum");

        uint crc = Crc32.Append(0, header);
        crc = Crc32.Append(crc, fingerprintBytes);
        crc = Crc32.Append(crc, count);
        crc = Crc32.Append(crc, MemoryMarshal.AsBytes(values.AsSpan()));
        crc = Crc32.Append(crc, sections);
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(checksum);
        if (crc != stored)
        {
            throw new InvalidDataException($"The model file is damaged: its checksum is 0x{stored:X8}, its contents give 0x{crc:X8}.");
        }

        // Checked after the checksum: a damaged byte is reported as damage, a well-formed file with impossible statistics as such.
        Standardizer? standardizer = version == PlainVersion ? null : ParseStandardizer(sections, network);

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
        return standardizer;
    }

    /// <summary>
    /// Reads a version 2 file's section count and sections (returned as bytes, for the checksum), checking every count and
    /// length against what a network of <paramref name="inputSize"/> inputs can carry before anything is allocated.
    /// </summary>
    private static byte[] ReadSections(Stream stream, int inputSize)
    {
        Span<byte> countBytes = stackalloc byte[4];
        ReadExactly(stream, countBytes, "the section count");
        int sectionCount = BinaryPrimitives.ReadInt32LittleEndian(countBytes);
        if (sectionCount is < 0 or > MaxSections)
        {
            throw new InvalidDataException($"The model file claims {sectionCount} sections; format version {FormatVersion} has at most {MaxSections} (a standardizer), so the file is damaged.");
        }

        long standardizerLength = 4 + (16L * inputSize);
        long total = 4 + (sectionCount * (12 + standardizerLength));
        long remaining = stream.CanSeek ? stream.Length - stream.Position : long.MaxValue;
        using var sections = new MemoryStream((int)Math.Min(total, int.MaxValue));
        sections.Write(countBytes);
        Span<byte> sectionHeader = stackalloc byte[12];
        for (int i = 0; i < sectionCount; i++)
        {
            ReadExactly(stream, sectionHeader, "a section header");
            if (!sectionHeader[..4].SequenceEqual(StandardizerTag))
            {
                throw new InvalidDataException(
                    $"The model file has a section tagged '{Printable(sectionHeader[..4])}'; this NetGen knows only 'STDZ' (a standardizer), so the file is damaged or from a newer NetGen.");
            }

            ushort sectionVersion = BinaryPrimitives.ReadUInt16LittleEndian(sectionHeader[4..]);
            if (sectionVersion != StandardizerSectionVersion)
            {
                throw new InvalidDataException($"The model file's standardizer section is version {sectionVersion}; this NetGen reads version {StandardizerSectionVersion}.");
            }

            if (BinaryPrimitives.ReadUInt16LittleEndian(sectionHeader[6..]) != 0)
            {
                throw new InvalidDataException("The model file's standardizer section has a non-zero reserved field, so the file is damaged.");
            }

            int length = BinaryPrimitives.ReadInt32LittleEndian(sectionHeader[8..]);
            remaining -= stream.CanSeek ? 12 : 0;
            if (length != standardizerLength || length > remaining)
            {
                throw new InvalidDataException(
                    $"The model file's standardizer section claims {length} bytes; a standardizer for {inputSize} inputs takes {standardizerLength}{(remaining == long.MaxValue ? "" : $" and {remaining} remain")}, so the file is damaged or truncated.");
            }

            byte[] payload = new byte[length];
            ReadExactly(stream, payload, "the standardizer");
            sections.Write(sectionHeader);
            sections.Write(payload);
        }

        return sections.ToArray();
    }

    /// <summary>The standardizer of checked section bytes (<see cref="ReadSections"/>), or null when there is none.</summary>
    private static Standardizer? ParseStandardizer<T>(byte[] sections, INeuralNetwork<T> network) where T : unmanaged
    {
        if (BinaryPrimitives.ReadInt32LittleEndian(sections) == 0)
        {
            return null;
        }

        ReadOnlySpan<byte> payload = sections.AsSpan(16);
        int n = BinaryPrimitives.ReadInt32LittleEndian(payload);
        if (n != network.InputSize)
        {
            throw new InvalidDataException($"The model file's standardizer has {n} features, but '{network.Info.Name}' takes {network.InputSize} inputs, so the file is damaged.");
        }

        var means = new double[n];
        var deviations = new double[n];
        for (int c = 0; c < n; c++)
        {
            means[c] = BinaryPrimitives.ReadDoubleLittleEndian(payload[(4 + (8 * c))..]);
            deviations[c] = BinaryPrimitives.ReadDoubleLittleEndian(payload[(4 + (8 * (n + c)))..]);
        }

        string? problem = Standardizer.Check(means, deviations);
        if (problem is not null)
        {
            throw new InvalidDataException("The model file's standardizer cannot be used: " + problem);
        }

        return Standardizer.FromStatistics(means, deviations);
    }

    private static string Printable(ReadOnlySpan<byte> tag)
    {
        var text = new StringBuilder(tag.Length);
        foreach (byte b in tag)
        {
            text.Append(b is >= 0x20 and < 0x7F ? (char)b : '?');
        }

        return text.ToString();
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
