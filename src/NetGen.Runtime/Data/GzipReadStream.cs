using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace NetGen;

/// <summary>
/// Decompresses a gzip file (RFC 1952, one or more members) and checks what <see cref="GZipStream"/> does not: that
/// every member ends with its CRC-32 and size record and that both match the data. A truncated file therefore fails
/// instead of ending early, and a damaged one says so and names the file.
/// </summary>
internal sealed class GzipReadStream : Stream
{
    private readonly byte[] _compressed;
    private readonly string _source;
    private DeflateStream? _member;
    private MemoryStream? _memberInput;
    private int _memberStart;
    private uint _crc;
    private long _length;
    private bool _finished;

    private GzipReadStream(byte[] compressed, string source)
    {
        _compressed = compressed;
        _source = source;
        StartMember(0);
    }

    /// <summary>
    /// Opens <paramref name="path"/> after one verifying pass over the whole file, so that damage anywhere is reported
    /// as damage (and not as whatever the garbage it decompresses to looks like to the parser). The compressed bytes
    /// are held in memory: the file's size, which is real.
    /// </summary>
    public static GzipReadStream Open(string path) => FromBytes(File.ReadAllBytes(path), path);

    /// <inheritdoc cref="Open(string)"/>
    public static GzipReadStream FromBytes(byte[] compressed, string source)
    {
        using (var check = new GzipReadStream(compressed, source))
        {
            var sink = new byte[1 << 16];
            while (check.Read(sink) > 0)
            {
            }
        }

        return new GzipReadStream(compressed, source);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (!_finished && buffer.Length > 0)
        {
            int read;
            try
            {
                read = _member!.Read(buffer);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{_source}: the gzip data is damaged: it is not valid deflate data ({e.Message}).", e);
            }

            if (read > 0)
            {
                _crc = Crc32.Append(_crc, buffer[..read]);
                _length += read;
                return read;
            }

            FinishMember();
        }

        return 0;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _member?.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Parses a member header at <paramref name="at"/> and starts inflating its data.</summary>
    private void StartMember(int at)
    {
        byte[] c = _compressed;
        if (c.Length - at < 18 || c[at] != 0x1f || c[at + 1] != 0x8b)
        {
            throw new InvalidDataException(at == 0
                ? $"{_source} is not gzip data: it does not start with 1F 8B{(c.Length < 18 ? $" and has only {c.Length} bytes" : "")}."
                : $"{_source}: {c.Length - at} bytes after the gzip data at offset {at} are not another gzip member; the file is damaged.");
        }

        if (c[at + 2] != 8)
        {
            throw new InvalidDataException($"{_source}: gzip compression method {c[at + 2]} is not deflate (8); the file is damaged or not gzip.");
        }

        int flags = c[at + 3];
        if ((flags & 0xE0) != 0)
        {
            throw new InvalidDataException($"{_source}: the gzip header has reserved flag bits set (0x{flags:X2}); the file is damaged.");
        }

        int p = at + 10;
        if ((flags & 4) != 0)
        {
            p = p + 2 <= c.Length ? p + 2 + BinaryPrimitives.ReadUInt16LittleEndian(c.AsSpan(p)) : int.MaxValue;
        }

        if ((flags & 8) != 0)
        {
            p = SkipZeroTerminated(p);
        }

        if ((flags & 16) != 0)
        {
            p = SkipZeroTerminated(p);
        }

        if ((flags & 2) != 0)
        {
            p = p > c.Length - 2 ? int.MaxValue : p + 2;
        }

        if (p > c.Length - 8)
        {
            throw new InvalidDataException($"{_source}: the gzip data is truncated: it ends inside a member header (offset {at}).");
        }

        _memberStart = p;
        _memberInput = new MemoryStream(c, p, c.Length - p, writable: false);
        _member = new DeflateStream(_memberInput, CompressionMode.Decompress, leaveOpen: false);
        _crc = 0;
        _length = 0;
    }

    private int SkipZeroTerminated(int p)
    {
        if (p >= _compressed.Length)
        {
            return int.MaxValue;
        }

        int zero = Array.IndexOf(_compressed, (byte)0, p);
        return zero < 0 ? int.MaxValue : zero + 1;
    }

    /// <summary>
    /// The inflater stopped: either the member's last block ended or the input did. The deflate data ends somewhere
    /// in what the inflater has taken (it reads ahead); the member is complete only if a CRC-32 and size record
    /// matching the output follows that end.
    /// </summary>
    private void FinishMember()
    {
        byte[] c = _compressed;
        int consumed = _memberStart + (int)_memberInput!.Position;
        Span<byte> expected = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(expected, _crc);
        BinaryPrimitives.WriteUInt32LittleEndian(expected[4..], unchecked((uint)_length));
        int trailer = -1;
        for (int e = Math.Min(consumed, c.Length - 8); e >= _memberStart; e--)
        {
            if (c.AsSpan(e, 8).SequenceEqual(expected))
            {
                trailer = e;
                break;
            }
        }

        if (trailer < 0)
        {
            if (consumed == c.Length && c.Length - 8 >= _memberStart
                && BinaryPrimitives.ReadUInt32LittleEndian(c.AsSpan(c.Length - 4)) == unchecked((uint)_length))
            {
                throw new InvalidDataException(
                    $"{_source}: the gzip data is damaged: the CRC-32 of its {_length} decompressed bytes is 0x{_crc:X8}, the file records 0x{BinaryPrimitives.ReadUInt32LittleEndian(c.AsSpan(c.Length - 8)):X8}.");
            }

            throw new InvalidDataException(
                $"{_source}: the gzip data is truncated or damaged: after {_length} decompressed bytes the compressed stream ends without its CRC-32 and size record.");
        }

        _member!.Dispose();
        _member = null;
        int next = trailer + 8;
        if (c.AsSpan(next).IndexOfAnyExcept((byte)0) < 0)
        {
            _finished = true; // the end, or zero padding after it (as some tools write)
            return;
        }

        StartMember(next);
    }
}
