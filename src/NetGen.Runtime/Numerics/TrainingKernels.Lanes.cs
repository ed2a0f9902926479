using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Numerics;

/// <summary>
/// The vector the register blocks of <see cref="TrainingKernels"/> are written in, once per width: <see cref="VectorLanes{T}"/>
/// (<see cref="Vector{T}"/>, whatever width the runtime gives it) and <see cref="Lanes512{T}"/> (<see cref="Vector512{T}"/>,
/// where the CPU runs it natively and <see cref="Vector{T}"/> is narrower, as .NET's default of 256 bits makes it on
/// AVX-512 machines). Each operation works on each lane alone, so a block gives the same bits at either width.
/// </summary>
/// <typeparam name="TSelf">The implementing struct: one vector of <typeparamref name="T"/>, nothing else.</typeparam>
/// <typeparam name="T">float or double.</typeparam>
internal interface IGradientLanes<TSelf, T>
    where TSelf : struct, IGradientLanes<TSelf, T>
    where T : unmanaged, INumberBase<T>
{
    /// <summary>The number of lanes.</summary>
    static abstract int Count { get; }

    /// <summary>All lanes zero.</summary>
    static abstract TSelf Zero { get; }

    /// <summary>Every lane <paramref name="value"/>.</summary>
    static abstract TSelf Create(T value);

    /// <summary><see cref="Count"/> values from <paramref name="source"/> + <paramref name="offset"/>.</summary>
    static abstract TSelf Load(ref T source, nuint offset);

    /// <summary>Writes the lanes to <paramref name="destination"/> + <paramref name="offset"/>.</summary>
    static abstract void Store(TSelf value, ref T destination, nuint offset);

    /// <summary>a + b per lane.</summary>
    static abstract TSelf Add(TSelf a, TSelf b);

    /// <summary>a b per lane, rounded on its own.</summary>
    static abstract TSelf Multiply(TSelf a, TSelf b);

    /// <summary>The lanes added together (the order is the framework's horizontal sum for the width).</summary>
    static abstract T Sum(TSelf value);

    /// <summary>
    /// c + a b per lane: for float one fused multiply-add (one rounding; <see cref="MathF.FusedMultiplyAdd"/>'s result
    /// where the CPU has no such instruction), for double a multiply, then an add.
    /// </summary>
    static abstract TSelf MultiplyAdd(TSelf a, TSelf b, TSelf c);
}

/// <summary><see cref="IGradientLanes{TSelf, T}"/> on <see cref="Vector{T}"/>.</summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly struct VectorLanes<T> : IGradientLanes<VectorLanes<T>, T>
    where T : unmanaged, INumberBase<T>
{
    private readonly Vector<T> _value;

    private VectorLanes(Vector<T> value) => _value = value;

    public static int Count => Vector<T>.Count;

    public static VectorLanes<T> Zero => default;

    /// <summary>The lanes as a <see cref="Vector{T}"/>.</summary>
    public Vector<T> Value => _value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes<T> Create(T value) => new(new Vector<T>(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes<T> Load(ref T source, nuint offset) => new(Vector.LoadUnsafe(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(VectorLanes<T> value, ref T destination, nuint offset) => value._value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes<T> Add(VectorLanes<T> a, VectorLanes<T> b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes<T> Multiply(VectorLanes<T> a, VectorLanes<T> b) => new(a._value * b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(VectorLanes<T> value) => Vector.Sum(value._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes<T> MultiplyAdd(VectorLanes<T> a, VectorLanes<T> b, VectorLanes<T> c)
    {
        if (typeof(T) != typeof(float))
        {
            return new(c._value + (a._value * b._value));
        }

        if (Fma.IsSupported && Vector<T>.Count == Vector256<float>.Count)
        {
            return new(Fma.MultiplyAdd(a._value.AsVector256().AsSingle(), b._value.AsVector256().AsSingle(), c._value.AsVector256().AsSingle()).As<float, T>().AsVector());
        }

        if (Fma.IsSupported && Vector<T>.Count == Vector128<float>.Count)
        {
            return new(Fma.MultiplyAdd(a._value.AsVector128().AsSingle(), b._value.AsVector128().AsSingle(), c._value.AsVector128().AsSingle()).As<float, T>().AsVector());
        }

        if (Avx512F.IsSupported && Vector<T>.Count == Vector512<float>.Count)
        {
            return new(Avx512F.FusedMultiplyAdd(a._value.AsVector512().AsSingle(), b._value.AsVector512().AsSingle(), c._value.AsVector512().AsSingle()).As<float, T>().AsVector());
        }

        return new(Fused(a._value, b._value, c._value));
    }

    /// <summary>MathF.FusedMultiplyAdd lane by lane, for a CPU without the instruction (out of line, so that the fast paths inline).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector<T> Fused(Vector<T> a, Vector<T> b, Vector<T> c)
    {
        Vector<T> sum = default;
        ref float lane = ref Unsafe.As<Vector<T>, float>(ref sum);
        for (int j = 0; j < Vector<T>.Count; j++)
        {
            Unsafe.Add(ref lane, j) = MathF.FusedMultiplyAdd(float.CreateTruncating(a[j]), float.CreateTruncating(b[j]), float.CreateTruncating(c[j]));
        }

        return sum;
    }
}

/// <summary>
/// <see cref="IGradientLanes{TSelf, T}"/> on <see cref="Vector512{T}"/>: taken only where
/// <see cref="Vector512.IsHardwareAccelerated"/> (x86 with AVX-512F, so the fused multiply-add is one instruction).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly struct Lanes512<T> : IGradientLanes<Lanes512<T>, T>
    where T : unmanaged, INumberBase<T>
{
    private readonly Vector512<T> _value;

    private Lanes512(Vector512<T> value) => _value = value;

    public static int Count => Vector512<T>.Count;

    public static Lanes512<T> Zero => default;

    /// <summary>The lanes as a <see cref="Vector512{T}"/>.</summary>
    public Vector512<T> Value => _value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512<T> Create(T value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512<T> Load(ref T source, nuint offset) => new(Vector512.LoadUnsafe(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Lanes512<T> value, ref T destination, nuint offset) => value._value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512<T> Add(Lanes512<T> a, Lanes512<T> b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512<T> Multiply(Lanes512<T> a, Lanes512<T> b) => new(a._value * b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Lanes512<T> value) => Vector512.Sum(value._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512<T> MultiplyAdd(Lanes512<T> a, Lanes512<T> b, Lanes512<T> c)
    {
        if (typeof(T) != typeof(float))
        {
            return new(c._value + (a._value * b._value));
        }

        if (Avx512F.IsSupported)
        {
            return new(Avx512F.FusedMultiplyAdd(a._value.AsSingle(), b._value.AsSingle(), c._value.AsSingle()).As<float, T>());
        }

        return new(Fused(a._value, b._value, c._value));
    }

    /// <summary>MathF.FusedMultiplyAdd lane by lane (never taken where Vector512 is accelerated; kept so that every path is defined).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector512<T> Fused(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        Vector512<T> sum = default;
        ref float lane = ref Unsafe.As<Vector512<T>, float>(ref sum);
        for (int j = 0; j < Vector512<T>.Count; j++)
        {
            Unsafe.Add(ref lane, j) = MathF.FusedMultiplyAdd(float.CreateTruncating(a[j]), float.CreateTruncating(b[j]), float.CreateTruncating(c[j]));
        }

        return sum;
    }
}

/// <summary>
/// <see cref="IGradientLanes{TSelf, T}"/> on <see cref="Vector256{T}"/> of float with FMA: the wide float kernels
/// (TrainingKernels.Wide.cs), which take their vector paths only where <see cref="Fma.IsSupported"/>.
/// </summary>
internal readonly struct Lanes256 : IGradientLanes<Lanes256, float>
{
    private readonly Vector256<float> _value;

    private Lanes256(Vector256<float> value) => _value = value;

    public static int Count => Vector256<float>.Count;

    public static Lanes256 Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Create(float value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Load(ref float source, nuint offset) => new(Vector256.LoadUnsafe(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Lanes256 value, ref float destination, nuint offset) => value._value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Add(Lanes256 a, Lanes256 b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Multiply(Lanes256 a, Lanes256 b) => new(a._value * b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Lanes256 value) => Vector256.Sum(value._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 MultiplyAdd(Lanes256 a, Lanes256 b, Lanes256 c) => new(Fma.MultiplyAdd(a._value, b._value, c._value));
}
