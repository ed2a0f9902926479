using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Threading;

namespace NetGen;

/// <summary>
/// The packed inference copy of a generated network's parameters, kept in step by a version counter
/// (docs/architecture.md, "The packed inference copy"): every write path calls <see cref="Invalidate"/>, every
/// prediction <see cref="Get"/>, which repacks first when the parameters may have changed. Written once here instead
/// of in every generated file. Not meant to be used directly.
/// </summary>
/// <typeparam name="T">The network's scalar type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PackedCopy<T>
    where T : unmanaged
{
    private readonly int _length;
    private readonly Action<T[], T[]> _pack;
    private readonly object _lock = new();
    private T[]? _packed;
    private long _version;
    private long _packedVersion = -1;

    /// <summary>A copy of <paramref name="length"/> values, written from the parameters by <paramref name="pack"/>(parameters, packed) on first use.</summary>
    public PackedCopy(int length, Action<T[], T[]> pack)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentNullException.ThrowIfNull(pack);
        _length = length;
        _pack = pack;
    }

    /// <summary>Marks the copy stale: the parameters have changed, or are about to through a span just handed out.</summary>
    public void Invalidate() => Interlocked.Increment(ref _version);

    /// <summary>
    /// The span of <paramref name="parameters"/> that a <c>Parameters</c> property hands out, after marking the copy
    /// stale (<see cref="Invalidate"/>): taking the span is what announces a write.
    /// </summary>
    public Span<T> ForWriting(T[] parameters)
    {
        Invalidate();
        return parameters;
    }

    /// <summary>The packed copy of <paramref name="parameters"/>, repacked first if they may have changed since it was made.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T[] Get(T[] parameters)
    {
        T[]? packed = _packed;
        return packed is not null && Volatile.Read(ref _packedVersion) == Volatile.Read(ref _version) ? packed : Repack(parameters);
    }

    /// <summary>
    /// Packs under a lock, so that concurrent first predictions after a change pack once; the copy is published (its
    /// version written) only when complete. Allocates the copy on the first call only.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private T[] Repack(T[] parameters)
    {
        lock (_lock)
        {
            long version = Volatile.Read(ref _version);
            T[] packed = _packed ??= new T[_length];
            if (_packedVersion != version)
            {
                _pack(parameters, packed);
                Volatile.Write(ref _packedVersion, version);
            }

            return packed;
        }
    }
}
