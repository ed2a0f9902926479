using System;
using System.Buffers.Binary;
using System.IO;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace NetGen;

/// <summary>
/// Saves and restores everything a training run needs to go on exactly where it stopped: the parameters, the
/// optimizer's state (<see cref="ITrainableNetwork{T}.OptimizerState"/>: Adam's moments, RMSprop's averages, momentum
/// buffers) and step count, the learning rate and the dropout stream. Training N steps, saving, loading into a fresh
/// instance and training M more gives the parameters of N + M uninterrupted steps, bit for bit (PyTorch: saving
/// both <c>model.state_dict()</c> and <c>optimizer.state_dict()</c>).
/// </summary>
/// <remarks>
/// <para>Layout (little-endian): the magic <c>NGCK</c>; format version (u16, now 1); precision (u8: 0 single,
/// 1 double); a reserved byte; the architecture fingerprint's UTF-8 length (i32) and bytes (as in model files); the
/// parameter count, the optimizer state's length and the step count (i32 each); the learning rate (f64); the dropout
/// stream's state (41 bytes); the parameters; the optimizer state; and the CRC-32 (u32) of every byte before it.</para>
/// <para>A model file (<see cref="ModelFile"/>) is what to ship; a checkpoint is for resuming training. Saving to a
/// path is atomic, as for model files. Loading checks everything before it changes the network, so a file that does
/// not fit leaves the network as it was. The state's length is checked, not the optimizer's kind: resume with the
/// declaration that saved it. Settings that are not state (<see cref="ITrainableNetwork{T}.ClipGradientNorm"/>, the
/// trainer's options and schedules) are not saved.</para>
/// </remarks>
public static class Checkpoint
{
    /// <summary>The current format version.</summary>
    public const ushort FormatVersion = 1;

    private const int MaxFingerprintBytes = 1 << 16;

    private static ReadOnlySpan<byte> Magic => "NGCK"u8;

    /// <summary>Writes <paramref name="network"/>'s training state to <paramref name="path"/>, atomically.</summary>
    /// <exception cref="UnauthorizedAccessException">The existing file is read-only, or the directory cannot be written.</exception>
    /// <exception cref="IOException">Writing failed; the old file is unchanged.</exception>
    public static void Save<T>(ITrainableNetwork<T> network, string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, stream => Save(network, stream));
    }

    /// <summary>Writes <paramref name="network"/>'s training state to <paramref name="stream"/> at its position.</summary>
    public static void Save<T>(ITrainableNetwork<T> network, Stream stream) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Checkpoints are little-endian; big-endian machines are not supported.");
        }

        byte[] fingerprint = Encoding.UTF8.GetBytes(network.Info.Fingerprint);
        ReadOnlySpan<T> state = network.OptimizerState;
        var header = new byte[HeaderBytes];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), FormatVersion);
        header[6] = PrecisionByte<T>();
        header[7] = 0;
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), fingerprint.Length);
        var counts = new byte[CountBytes];
        BinaryPrimitives.WriteInt32LittleEndian(counts, network.ParameterCount);
        BinaryPrimitives.WriteInt32LittleEndian(counts.AsSpan(4), state.Length);
        BinaryPrimitives.WriteInt32LittleEndian(counts.AsSpan(8), network.OptimizerStep);
        BinaryPrimitives.WriteDoubleLittleEndian(counts.AsSpan(12), double.CreateChecked(network.LearningRate));
        network.DropoutRandom.WriteState(counts.AsSpan(20));

        ReadOnlySpan<byte> parameters = MemoryMarshal.AsBytes((ReadOnlySpan<T>)network.Parameters);
        ReadOnlySpan<byte> stateBytes = MemoryMarshal.AsBytes(state);
        uint crc = Crc32.Append(0, header);
        crc = Crc32.Append(crc, fingerprint);
        crc = Crc32.Append(crc, counts);
        crc = Crc32.Append(crc, parameters);
        crc = Crc32.Append(crc, stateBytes);
        var checksum = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(checksum, crc);

        stream.Write(header);
        stream.Write(fingerprint);
        stream.Write(counts);
        stream.Write(parameters);
        stream.Write(stateBytes);
        stream.Write(checksum);
    }

    /// <summary>
    /// Restores a state <see cref="Save{T}(ITrainableNetwork{T}, string)"/> wrote into <paramref name="network"/>: its
    /// parameters, optimizer state and step, learning rate and dropout stream. The network is unchanged when the file
    /// does not fit or is damaged.
    /// </summary>
    /// <exception cref="InvalidDataException">Not a NetGen checkpoint, another version, precision, architecture or
    /// optimizer-state length, a truncated or damaged file, or data after the checksum; the message says which.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static void Load<T>(ITrainableNetwork<T> network, string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Load(network, stream);
        Span<byte> probe = stackalloc byte[1];
        if (stream.Read(probe) != 0)
        {
            throw new InvalidDataException($"The checkpoint '{path}' has data after its checksum; a checkpoint ends at its checksum, so this one is damaged.");
        }
    }

    /// <summary>Restores one checkpoint from <paramref name="stream"/> at its position (see <see cref="Load{T}(ITrainableNetwork{T}, string)"/>), leaving the stream after its checksum.</summary>
    /// <exception cref="InvalidDataException">The data does not fit the network or is damaged.</exception>
    public static void Load<T>(ITrainableNetwork<T> network, Stream stream) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        var header = new byte[HeaderBytes];
        ReadExactly(stream, header, "the header");
        if (!header.AsSpan(0, 4).SequenceEqual(Magic))
        {
            throw new InvalidDataException("Not a NetGen checkpoint: it does not start with 'NGCK'." +
                (header.AsSpan(0, 4).SequenceEqual("NGMF"u8) ? " It is a model file: load it with ModelFile.Load." : ""));
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(4));
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"Checkpoint format version {version} is not supported; this NetGen reads version {FormatVersion}.");
        }

        if (header[6] != PrecisionByte<T>())
        {
            throw new InvalidDataException(
                $"The checkpoint holds {(header[6] == 0 ? "float" : header[6] == 1 ? "double" : $"unknown precision {header[6]}")} values, " +
                $"but '{network.Info.Name}' computes in {typeof(T).Name.ToLowerInvariant()}.");
        }

        if (header[7] != 0)
        {
            throw new InvalidDataException($"The checkpoint's reserved byte is {header[7]}, not 0; the file is damaged.");
        }

        int fingerprintLength = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8));
        long remaining = stream.CanSeek ? stream.Length - stream.Position : long.MaxValue;
        if (fingerprintLength is < 0 or > MaxFingerprintBytes || fingerprintLength > remaining)
        {
            throw new InvalidDataException($"The checkpoint's architecture record claims {fingerprintLength} bytes; the file is damaged or truncated.");
        }

        byte[] fingerprintBytes = new byte[fingerprintLength];
        ReadExactly(stream, fingerprintBytes, "the architecture record");
        string fingerprint = Encoding.UTF8.GetString(fingerprintBytes);
        if (fingerprint != network.Info.Fingerprint)
        {
            throw new InvalidDataException(
                $"The checkpoint was saved from a different architecture.{Environment.NewLine}" +
                $"  file:    {fingerprint}{Environment.NewLine}  network: {network.Info.Fingerprint} ('{network.Info.Name}')");
        }

        var counts = new byte[CountBytes];
        ReadExactly(stream, counts, "the counts");
        int parameterCount = BinaryPrimitives.ReadInt32LittleEndian(counts);
        int stateLength = BinaryPrimitives.ReadInt32LittleEndian(counts.AsSpan(4));
        int step = BinaryPrimitives.ReadInt32LittleEndian(counts.AsSpan(8));
        double learningRate = BinaryPrimitives.ReadDoubleLittleEndian(counts.AsSpan(12));
        if (parameterCount != network.ParameterCount)
        {
            throw new InvalidDataException($"The checkpoint holds {parameterCount} parameters; '{network.Info.Name}' has {network.ParameterCount}.");
        }

        if (stateLength != network.OptimizerState.Length)
        {
            throw new InvalidDataException(
                $"The checkpoint holds {stateLength} optimizer-state values; '{network.Info.Name}' keeps {network.OptimizerState.Length} " +
                "(was it saved from a declaration with another optimizer or momentum?).");
        }

        if (step < 0 || !(learningRate >= 0) || double.IsPositiveInfinity(learningRate))
        {
            throw new InvalidDataException($"The checkpoint's step count {step} or learning rate {learningRate} cannot be; the file is damaged.");
        }

        if (SeededRandom.ReadState(counts.AsSpan(20)) is not { } dropout)
        {
            throw new InvalidDataException("The checkpoint's dropout stream state is invalid; the file is damaged.");
        }

        T[] parameters = new T[parameterCount];
        T[] state = new T[stateLength];
        ReadExactly(stream, MemoryMarshal.AsBytes(parameters.AsSpan()), "the parameters");
        ReadExactly(stream, MemoryMarshal.AsBytes(state.AsSpan()), "the optimizer state");
        Span<byte> checksum = stackalloc byte[4];
        ReadExactly(stream, checksum, "the checksum");
        uint crc = Crc32.Append(0, header);
        crc = Crc32.Append(crc, fingerprintBytes);
        crc = Crc32.Append(crc, counts);
        crc = Crc32.Append(crc, MemoryMarshal.AsBytes(parameters.AsSpan()));
        crc = Crc32.Append(crc, MemoryMarshal.AsBytes(state.AsSpan()));
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(checksum);
        if (crc != stored)
        {
            throw new InvalidDataException($"The checkpoint is damaged: its checksum is 0x{stored:X8}, its contents give 0x{crc:X8}.");
        }

        // Everything is checked: apply it all.
        parameters.CopyTo(network.Parameters);
        state.CopyTo(network.OptimizerState);
        network.OptimizerStep = step;
        network.LearningRate = T.CreateChecked(learningRate);
        network.DropoutRandom = dropout;
    }

    private const int HeaderBytes = 12;

    // Parameter count, state length, step (i32 each), learning rate (f64), dropout stream.
    private const int CountBytes = 20 + SeededRandom.StateBytes;

    private static byte PrecisionByte<T>() => typeof(T) == typeof(double) ? (byte)1 : (byte)0;

    private static void ReadExactly(Stream stream, Span<byte> buffer, string what)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = stream.Read(buffer[read..]);
            if (n == 0)
            {
                throw new InvalidDataException($"The checkpoint is truncated: it ends in {what} ({read} of {buffer.Length} bytes).");
            }

            read += n;
        }
    }
}
