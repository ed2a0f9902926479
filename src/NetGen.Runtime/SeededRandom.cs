using System;

namespace NetGen;

/// <summary>
/// The random number generator behind weight initialisation and dropout masks: xoshiro256** (Blackman and Vigna,
/// 2018) seeded through SplitMix64 from a seed and a stream number.
/// </summary>
/// <remarks>
/// <para>
/// The sequence is fixed by this code alone: it uses only integer arithmetic and IEEE-754 operations that are exactly
/// rounded (+, -, *, /, sqrt), and its own logarithm for normal deviates, so a seed gives bit-identical weights on every
/// platform and .NET version. <see cref="System.Random"/> promises no such thing.
/// </para>
/// <para>
/// Streams make layers independent: layer k is initialised from stream k, so resizing one layer leaves the others'
/// initial weights unchanged.
/// </para>
/// </remarks>
public struct SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareNormal;
    private bool _hasSpareNormal;

    /// <summary>Starts the generator for <paramref name="seed"/> and stream <paramref name="stream"/>.</summary>
    public SeededRandom(int seed, int stream = 0)
    {
        // SplitMix64 spreads the two small integers over the 256-bit state; it never yields an all-zero state.
        ulong x = ((ulong)(uint)seed << 32) ^ (uint)stream ^ 0x4E657447656E2121UL; // "NetGen!!"
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
        _spareNormal = 0;
        _hasSpareNormal = false;
    }

    /// <summary>The state's size in bytes for <see cref="WriteState"/> and <see cref="ReadState"/>.</summary>
    internal const int StateBytes = 41;

    /// <summary>Writes the whole state (little-endian), so that <see cref="ReadState"/> continues the same sequence.</summary>
    internal readonly void WriteState(Span<byte> destination)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination, _s0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], _s1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], _s2);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], _s3);
        System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(destination[32..], _spareNormal);
        destination[40] = _hasSpareNormal ? (byte)1 : (byte)0;
    }

    /// <summary>A generator in the state <see cref="WriteState"/> wrote (all zero for the unused default); null for a flag byte other than 0 or 1.</summary>
    internal static SeededRandom? ReadState(ReadOnlySpan<byte> source)
    {
        var random = new SeededRandom
        {
            _s0 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(source),
            _s1 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(source[8..]),
            _s2 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(source[16..]),
            _s3 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(source[24..]),
            _spareNormal = System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(source[32..]),
            _hasSpareNormal = source[40] == 1,
        };
        return source[40] > 1 ? null : random;
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform double in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public double NextUniform(double low, double high) => low + ((high - low) * NextDouble());

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "The upper bound must be positive.");
        }

        // Lemire's multiply-shift with rejection of the few values that would bias the result.
        ulong bound = (ulong)maxExclusive;
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong r = NextUInt64() >> 32;
            ulong m = r * bound;
            if ((uint)m >= threshold)
            {
                return (int)(m >> 32);
            }
        }
    }

    /// <summary>A standard normal deviate N(0, 1), by Marsaglia's polar method.</summary>
    public double NextNormal()
    {
        if (_hasSpareNormal)
        {
            _hasSpareNormal = false;
            return _spareNormal;
        }

        double u, v, s;
        do
        {
            u = (2.0 * NextDouble()) - 1.0;
            v = (2.0 * NextDouble()) - 1.0;
            s = (u * u) + (v * v);
        }
        while (s >= 1.0 || s == 0.0);

        double factor = Math.Sqrt(-2.0 * PortableMath.Log(s) / s);
        _spareNormal = v * factor;
        _hasSpareNormal = true;
        return u * factor;
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher-Yates).</summary>
    public void Shuffle<TItem>(Span<TItem> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong SplitMix64(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        ulong z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
