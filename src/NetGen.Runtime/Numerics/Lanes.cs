using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Numerics;

/// <summary>
/// The lane operations the float kernels of <see cref="VectorMath"/> are written in, implemented once per width
/// (Vector128, Vector256, Vector512, Vector&lt;float&gt; and one float). Every kernel is a fixed sequence of these
/// IEEE-754 operations (no width-dependent step; a fused multiply-add is one rounding everywhere: the FMA instruction
/// where the CPU has one, <see cref="MathF.FusedMultiplyAdd"/> lane by lane where it has not), so each lane of every
/// width, and the scalar form, gives the same bits for the same input on every machine.
/// </summary>
internal interface IFloatLanes<TSelf> where TSelf : struct, IFloatLanes<TSelf>
{
    static abstract TSelf Create(float value);

    static abstract TSelf operator +(TSelf a, TSelf b);

    static abstract TSelf operator -(TSelf a, TSelf b);

    static abstract TSelf operator *(TSelf a, TSelf b);

    static abstract TSelf operator /(TSelf a, TSelf b);

    static abstract TSelf operator &(TSelf a, TSelf b);

    static abstract TSelf operator |(TSelf a, TSelf b);

    static abstract TSelf operator ^(TSelf a, TSelf b);

    /// <summary>a b + c with one rounding (vfmadd where the CPU has FMA, else <see cref="MathF.FusedMultiplyAdd"/> per lane: the same bits).</summary>
    static abstract TSelf MultiplyAdd(TSelf a, TSelf b, TSelf c);

    /// <summary>a &lt; b ? a : b per lane (b where either is NaN): x86's minps, one instruction.</summary>
    static abstract TSelf Min(TSelf a, TSelf b);

    /// <summary>All bits set in the lanes where a &gt; b, else zero.</summary>
    static abstract TSelf GreaterThan(TSelf a, TSelf b);

    /// <summary>All bits set in the lanes where a == b (false for NaN), else zero.</summary>
    static abstract TSelf Equal(TSelf a, TSelf b);

    /// <summary>
    /// ifTrue where the mask lane is all ones, ifFalse where it is zero (masks come from <see cref="GreaterThan"/> and
    /// <see cref="Equal"/> only). On x86 one blend instruction (vblendvps: the mask's sign bit picks the lane) instead of
    /// and, and-not, or: the same lanes for such masks, one dependent step instead of two, which matters in the long
    /// dependency chains of tanh and exp (docs/performance.md, "Vectorised activations").
    /// </summary>
    static abstract TSelf Select(TSelf mask, TSelf ifTrue, TSelf ifFalse);

    /// <summary>2^n for lanes holding n + 1.5 * 2^23 (an integer n in [-126, 127] added to the rounding constant).</summary>
    static abstract TSelf Pow2(TSelf biased);
}

/// <summary>The double counterpart of <see cref="IFloatLanes{TSelf}"/>.</summary>
internal interface IDoubleLanes<TSelf> where TSelf : struct, IDoubleLanes<TSelf>
{
    static abstract TSelf Create(double value);

    static abstract TSelf operator +(TSelf a, TSelf b);

    static abstract TSelf operator -(TSelf a, TSelf b);

    static abstract TSelf operator *(TSelf a, TSelf b);

    static abstract TSelf operator /(TSelf a, TSelf b);

    static abstract TSelf operator &(TSelf a, TSelf b);

    static abstract TSelf operator |(TSelf a, TSelf b);

    static abstract TSelf operator ^(TSelf a, TSelf b);

    static abstract TSelf GreaterThan(TSelf a, TSelf b);

    static abstract TSelf Equal(TSelf a, TSelf b);

    static abstract TSelf Select(TSelf mask, TSelf ifTrue, TSelf ifFalse);

    /// <summary>2^n for lanes holding n + 1.5 * 2^52 (an integer n in [-1022, 1023] added to the rounding constant).</summary>
    static abstract TSelf Pow2(TSelf biased);
}

internal readonly struct F128 : IFloatLanes<F128>
{
    public readonly Vector128<float> V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public F128(Vector128<float> v) => V = v;

    public static F128 Create(float value) => new(Vector128.Create(value));

    public static F128 operator +(F128 a, F128 b) => new(a.V + b.V);

    public static F128 operator -(F128 a, F128 b) => new(a.V - b.V);

    public static F128 operator *(F128 a, F128 b) => new(a.V * b.V);

    public static F128 operator /(F128 a, F128 b) => new(a.V / b.V);

    public static F128 operator &(F128 a, F128 b) => new(a.V & b.V);

    public static F128 operator |(F128 a, F128 b) => new(a.V | b.V);

    public static F128 operator ^(F128 a, F128 b) => new(a.V ^ b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F128 MultiplyAdd(F128 a, F128 b, F128 c) =>
        new(Fma.IsSupported ? Fma.MultiplyAdd(a.V, b.V, c.V)
            : AdvSimd.IsSupported ? AdvSimd.FusedMultiplyAdd(c.V, a.V, b.V)
            : SoftwareMultiplyAdd(a.V, b.V, c.V));

    /// <summary>MathF.FusedMultiplyAdd lane by lane, for a CPU without the instruction (kept out of line so that the fast path inlines).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector128<float> SoftwareMultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Vector128.Create(
            MathF.FusedMultiplyAdd(a.GetElement(0), b.GetElement(0), c.GetElement(0)),
            MathF.FusedMultiplyAdd(a.GetElement(1), b.GetElement(1), c.GetElement(1)),
            MathF.FusedMultiplyAdd(a.GetElement(2), b.GetElement(2), c.GetElement(2)),
            MathF.FusedMultiplyAdd(a.GetElement(3), b.GetElement(3), c.GetElement(3)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F128 Min(F128 a, F128 b) =>
        new(Sse.IsSupported ? Sse.Min(a.V, b.V) : Vector128.ConditionalSelect(Vector128.LessThan(a.V, b.V), a.V, b.V));

    public static F128 GreaterThan(F128 a, F128 b) => new(Vector128.GreaterThan(a.V, b.V));

    public static F128 Equal(F128 a, F128 b) => new(Vector128.Equals(a.V, b.V));

    public static F128 Select(F128 mask, F128 ifTrue, F128 ifFalse) =>
        new(Sse41.IsSupported ? Sse41.BlendVariable(ifFalse.V, ifTrue.V, mask.V) : Vector128.ConditionalSelect(mask.V, ifTrue.V, ifFalse.V));

    public static F128 Pow2(F128 biased) =>
        new((Vector128.ShiftLeft(biased.V.AsInt32(), 23) + Vector128.Create(127 << 23)).AsSingle());
}

internal readonly struct F256 : IFloatLanes<F256>
{
    public readonly Vector256<float> V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public F256(Vector256<float> v) => V = v;

    public static F256 Create(float value) => new(Vector256.Create(value));

    public static F256 operator +(F256 a, F256 b) => new(a.V + b.V);

    public static F256 operator -(F256 a, F256 b) => new(a.V - b.V);

    public static F256 operator *(F256 a, F256 b) => new(a.V * b.V);

    public static F256 operator /(F256 a, F256 b) => new(a.V / b.V);

    public static F256 operator &(F256 a, F256 b) => new(a.V & b.V);

    public static F256 operator |(F256 a, F256 b) => new(a.V | b.V);

    public static F256 operator ^(F256 a, F256 b) => new(a.V ^ b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F256 MultiplyAdd(F256 a, F256 b, F256 c) =>
        Fma.IsSupported ? new(Fma.MultiplyAdd(a.V, b.V, c.V))
            : new(Vector256.Create(
                F128.MultiplyAdd(new(a.V.GetLower()), new(b.V.GetLower()), new(c.V.GetLower())).V,
                F128.MultiplyAdd(new(a.V.GetUpper()), new(b.V.GetUpper()), new(c.V.GetUpper())).V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F256 Min(F256 a, F256 b) =>
        new(Avx.IsSupported ? Avx.Min(a.V, b.V) : Vector256.ConditionalSelect(Vector256.LessThan(a.V, b.V), a.V, b.V));

    public static F256 GreaterThan(F256 a, F256 b) => new(Vector256.GreaterThan(a.V, b.V));

    public static F256 Equal(F256 a, F256 b) => new(Vector256.Equals(a.V, b.V));

    public static F256 Select(F256 mask, F256 ifTrue, F256 ifFalse) =>
        new(Avx.IsSupported ? Avx.BlendVariable(ifFalse.V, ifTrue.V, mask.V) : Vector256.ConditionalSelect(mask.V, ifTrue.V, ifFalse.V));

    public static F256 Pow2(F256 biased) =>
        new((Vector256.ShiftLeft(biased.V.AsInt32(), 23) + Vector256.Create(127 << 23)).AsSingle());
}

internal readonly struct F512 : IFloatLanes<F512>
{
    public readonly Vector512<float> V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public F512(Vector512<float> v) => V = v;

    public static F512 Create(float value) => new(Vector512.Create(value));

    public static F512 operator +(F512 a, F512 b) => new(a.V + b.V);

    public static F512 operator -(F512 a, F512 b) => new(a.V - b.V);

    public static F512 operator *(F512 a, F512 b) => new(a.V * b.V);

    public static F512 operator /(F512 a, F512 b) => new(a.V / b.V);

    public static F512 operator &(F512 a, F512 b) => new(a.V & b.V);

    public static F512 operator |(F512 a, F512 b) => new(a.V | b.V);

    public static F512 operator ^(F512 a, F512 b) => new(a.V ^ b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F512 MultiplyAdd(F512 a, F512 b, F512 c) =>
        Avx512F.IsSupported ? new(Avx512F.FusedMultiplyAdd(a.V, b.V, c.V))
            : new(Vector512.Create(
                F256.MultiplyAdd(new(a.V.GetLower()), new(b.V.GetLower()), new(c.V.GetLower())).V,
                F256.MultiplyAdd(new(a.V.GetUpper()), new(b.V.GetUpper()), new(c.V.GetUpper())).V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F512 Min(F512 a, F512 b) =>
        new(Avx512F.IsSupported ? Avx512F.Min(a.V, b.V) : Vector512.ConditionalSelect(Vector512.LessThan(a.V, b.V), a.V, b.V));

    public static F512 GreaterThan(F512 a, F512 b) => new(Vector512.GreaterThan(a.V, b.V));

    public static F512 Equal(F512 a, F512 b) => new(Vector512.Equals(a.V, b.V));

    public static F512 Select(F512 mask, F512 ifTrue, F512 ifFalse) => new(Vector512.ConditionalSelect(mask.V, ifTrue.V, ifFalse.V));

    public static F512 Pow2(F512 biased) =>
        new((Vector512.ShiftLeft(biased.V.AsInt32(), 23) + Vector512.Create(127 << 23)).AsSingle());
}

internal readonly struct FVec : IFloatLanes<FVec>
{
    public readonly Vector<float> V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public FVec(Vector<float> v) => V = v;

    public static FVec Create(float value) => new(new Vector<float>(value));

    public static FVec operator +(FVec a, FVec b) => new(a.V + b.V);

    public static FVec operator -(FVec a, FVec b) => new(a.V - b.V);

    public static FVec operator *(FVec a, FVec b) => new(a.V * b.V);

    public static FVec operator /(FVec a, FVec b) => new(a.V / b.V);

    public static FVec operator &(FVec a, FVec b) => new(a.V & b.V);

    public static FVec operator |(FVec a, FVec b) => new(a.V | b.V);

    public static FVec operator ^(FVec a, FVec b) => new(a.V ^ b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FVec MultiplyAdd(FVec a, FVec b, FVec c) =>
        Vector<float>.Count == Vector256<float>.Count ? new(F256.MultiplyAdd(new(a.V.AsVector256()), new(b.V.AsVector256()), new(c.V.AsVector256())).V.AsVector())
            : Vector<float>.Count == Vector128<float>.Count ? new(F128.MultiplyAdd(new(a.V.AsVector128()), new(b.V.AsVector128()), new(c.V.AsVector128())).V.AsVector())
            : new(F512.MultiplyAdd(new(a.V.AsVector512()), new(b.V.AsVector512()), new(c.V.AsVector512())).V.AsVector());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FVec Min(FVec a, FVec b) =>
        Vector<float>.Count == Vector256<float>.Count ? new(F256.Min(new(a.V.AsVector256()), new(b.V.AsVector256())).V.AsVector())
            : Vector<float>.Count == Vector128<float>.Count ? new(F128.Min(new(a.V.AsVector128()), new(b.V.AsVector128())).V.AsVector())
            : new(F512.Min(new(a.V.AsVector512()), new(b.V.AsVector512())).V.AsVector());

    public static FVec GreaterThan(FVec a, FVec b) => new(Vector.AsVectorSingle(Vector.GreaterThan(a.V, b.V)));

    public static FVec Equal(FVec a, FVec b) => new(Vector.AsVectorSingle(Vector.Equals(a.V, b.V)));

    public static FVec Select(FVec mask, FVec ifTrue, FVec ifFalse) =>
        Vector<float>.Count == Vector256<float>.Count && Avx.IsSupported
            ? new(Avx.BlendVariable(ifFalse.V.AsVector256(), ifTrue.V.AsVector256(), mask.V.AsVector256()).AsVector())
            : new(Vector.ConditionalSelect(mask.V, ifTrue.V, ifFalse.V));

    public static FVec Pow2(FVec biased) =>
        new(Vector.AsVectorSingle(Vector.ShiftLeft(Vector.AsVectorInt32(biased.V), 23) + new Vector<int>(127 << 23)));
}

/// <summary>One float as a lane: the scalar form, bit-identical to every vector lane.</summary>
internal readonly struct F1 : IFloatLanes<F1>
{
    public readonly float V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public F1(float v) => V = v;

    private static F1 Bits(int bits) => new(BitConverter.Int32BitsToSingle(bits));

    private static int Bits(F1 value) => BitConverter.SingleToInt32Bits(value.V);

    public static F1 Create(float value) => new(value);

    public static F1 operator +(F1 a, F1 b) => new(a.V + b.V);

    public static F1 operator -(F1 a, F1 b) => new(a.V - b.V);

    public static F1 operator *(F1 a, F1 b) => new(a.V * b.V);

    public static F1 operator /(F1 a, F1 b) => new(a.V / b.V);

    public static F1 operator &(F1 a, F1 b) => Bits(Bits(a) & Bits(b));

    public static F1 operator |(F1 a, F1 b) => Bits(Bits(a) | Bits(b));

    public static F1 operator ^(F1 a, F1 b) => Bits(Bits(a) ^ Bits(b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F1 MultiplyAdd(F1 a, F1 b, F1 c) => new(MathF.FusedMultiplyAdd(a.V, b.V, c.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F1 Min(F1 a, F1 b) => new(a.V < b.V ? a.V : b.V);

    public static F1 GreaterThan(F1 a, F1 b) => Bits(a.V > b.V ? -1 : 0);

    public static F1 Equal(F1 a, F1 b) => Bits(a.V == b.V ? -1 : 0);

    public static F1 Select(F1 mask, F1 ifTrue, F1 ifFalse) => Bits((Bits(mask) & Bits(ifTrue)) | (~Bits(mask) & Bits(ifFalse)));

    public static F1 Pow2(F1 biased) => Bits((Bits(biased) << 23) + (127 << 23));
}

internal readonly struct D128 : IDoubleLanes<D128>
{
    public readonly Vector128<double> V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public D128(Vector128<double> v) => V = v;

    public static D128 Create(double value) => new(Vector128.Create(value));

    public static D128 operator +(D128 a, D128 b) => new(a.V + b.V);

    public static D128 operator -(D128 a, D128 b) => new(a.V - b.V);

    public static D128 operator *(D128 a, D128 b) => new(a.V * b.V);

    public static D128 operator /(D128 a, D128 b) => new(a.V / b.V);

    public static D128 operator &(D128 a, D128 b) => new(a.V & b.V);

    public static D128 operator |(D128 a, D128 b) => new(a.V | b.V);

    public static D128 operator ^(D128 a, D128 b) => new(a.V ^ b.V);

    public static D128 GreaterThan(D128 a, D128 b) => new(Vector128.GreaterThan(a.V, b.V));

    public static D128 Equal(D128 a, D128 b) => new(Vector128.Equals(a.V, b.V));

    public static D128 Select(D128 mask, D128 ifTrue, D128 ifFalse) =>
        new(Sse41.IsSupported ? Sse41.BlendVariable(ifFalse.V, ifTrue.V, mask.V) : Vector128.ConditionalSelect(mask.V, ifTrue.V, ifFalse.V));

    public static D128 Pow2(D128 biased) =>
        new((Vector128.ShiftLeft(biased.V.AsInt64(), 52) + Vector128.Create(1023L << 52)).AsDouble());
}

internal readonly struct D256 : IDoubleLanes<D256>
{
    public readonly Vector256<double> V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public D256(Vector256<double> v) => V = v;

    public static D256 Create(double value) => new(Vector256.Create(value));

    public static D256 operator +(D256 a, D256 b) => new(a.V + b.V);

    public static D256 operator -(D256 a, D256 b) => new(a.V - b.V);

    public static D256 operator *(D256 a, D256 b) => new(a.V * b.V);

    public static D256 operator /(D256 a, D256 b) => new(a.V / b.V);

    public static D256 operator &(D256 a, D256 b) => new(a.V & b.V);

    public static D256 operator |(D256 a, D256 b) => new(a.V | b.V);

    public static D256 operator ^(D256 a, D256 b) => new(a.V ^ b.V);

    public static D256 GreaterThan(D256 a, D256 b) => new(Vector256.GreaterThan(a.V, b.V));

    public static D256 Equal(D256 a, D256 b) => new(Vector256.Equals(a.V, b.V));

    public static D256 Select(D256 mask, D256 ifTrue, D256 ifFalse) =>
        new(Avx.IsSupported ? Avx.BlendVariable(ifFalse.V, ifTrue.V, mask.V) : Vector256.ConditionalSelect(mask.V, ifTrue.V, ifFalse.V));

    public static D256 Pow2(D256 biased) =>
        new((Vector256.ShiftLeft(biased.V.AsInt64(), 52) + Vector256.Create(1023L << 52)).AsDouble());
}

internal readonly struct D512 : IDoubleLanes<D512>
{
    public readonly Vector512<double> V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public D512(Vector512<double> v) => V = v;

    public static D512 Create(double value) => new(Vector512.Create(value));

    public static D512 operator +(D512 a, D512 b) => new(a.V + b.V);

    public static D512 operator -(D512 a, D512 b) => new(a.V - b.V);

    public static D512 operator *(D512 a, D512 b) => new(a.V * b.V);

    public static D512 operator /(D512 a, D512 b) => new(a.V / b.V);

    public static D512 operator &(D512 a, D512 b) => new(a.V & b.V);

    public static D512 operator |(D512 a, D512 b) => new(a.V | b.V);

    public static D512 operator ^(D512 a, D512 b) => new(a.V ^ b.V);

    public static D512 GreaterThan(D512 a, D512 b) => new(Vector512.GreaterThan(a.V, b.V));

    public static D512 Equal(D512 a, D512 b) => new(Vector512.Equals(a.V, b.V));

    public static D512 Select(D512 mask, D512 ifTrue, D512 ifFalse) => new(Vector512.ConditionalSelect(mask.V, ifTrue.V, ifFalse.V));

    public static D512 Pow2(D512 biased) =>
        new((Vector512.ShiftLeft(biased.V.AsInt64(), 52) + Vector512.Create(1023L << 52)).AsDouble());
}

internal readonly struct DVec : IDoubleLanes<DVec>
{
    public readonly Vector<double> V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public DVec(Vector<double> v) => V = v;

    public static DVec Create(double value) => new(new Vector<double>(value));

    public static DVec operator +(DVec a, DVec b) => new(a.V + b.V);

    public static DVec operator -(DVec a, DVec b) => new(a.V - b.V);

    public static DVec operator *(DVec a, DVec b) => new(a.V * b.V);

    public static DVec operator /(DVec a, DVec b) => new(a.V / b.V);

    public static DVec operator &(DVec a, DVec b) => new(a.V & b.V);

    public static DVec operator |(DVec a, DVec b) => new(a.V | b.V);

    public static DVec operator ^(DVec a, DVec b) => new(a.V ^ b.V);

    public static DVec GreaterThan(DVec a, DVec b) => new(Vector.AsVectorDouble(Vector.GreaterThan(a.V, b.V)));

    public static DVec Equal(DVec a, DVec b) => new(Vector.AsVectorDouble(Vector.Equals(a.V, b.V)));

    public static DVec Select(DVec mask, DVec ifTrue, DVec ifFalse) =>
        Vector<double>.Count == Vector256<double>.Count && Avx.IsSupported
            ? new(Avx.BlendVariable(ifFalse.V.AsVector256(), ifTrue.V.AsVector256(), mask.V.AsVector256()).AsVector())
            : new(Vector.ConditionalSelect(mask.V, ifTrue.V, ifFalse.V));

    public static DVec Pow2(DVec biased) =>
        new(Vector.AsVectorDouble(Vector.ShiftLeft(Vector.AsVectorInt64(biased.V), 52) + new Vector<long>(1023L << 52)));
}

/// <summary>One double as a lane: the scalar form, bit-identical to every vector lane.</summary>
internal readonly struct D1 : IDoubleLanes<D1>
{
    public readonly double V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public D1(double v) => V = v;

    private static D1 Bits(long bits) => new(BitConverter.Int64BitsToDouble(bits));

    private static long Bits(D1 value) => BitConverter.DoubleToInt64Bits(value.V);

    public static D1 Create(double value) => new(value);

    public static D1 operator +(D1 a, D1 b) => new(a.V + b.V);

    public static D1 operator -(D1 a, D1 b) => new(a.V - b.V);

    public static D1 operator *(D1 a, D1 b) => new(a.V * b.V);

    public static D1 operator /(D1 a, D1 b) => new(a.V / b.V);

    public static D1 operator &(D1 a, D1 b) => Bits(Bits(a) & Bits(b));

    public static D1 operator |(D1 a, D1 b) => Bits(Bits(a) | Bits(b));

    public static D1 operator ^(D1 a, D1 b) => Bits(Bits(a) ^ Bits(b));

    public static D1 GreaterThan(D1 a, D1 b) => Bits(a.V > b.V ? -1L : 0L);

    public static D1 Equal(D1 a, D1 b) => Bits(a.V == b.V ? -1L : 0L);

    public static D1 Select(D1 mask, D1 ifTrue, D1 ifFalse) => Bits((Bits(mask) & Bits(ifTrue)) | (~Bits(mask) & Bits(ifFalse)));

    public static D1 Pow2(D1 biased) => Bits((Bits(biased) << 52) + (1023L << 52));
}
