using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>
/// Vectorised activation functions for float and double, a vector at a time: exp, tanh, sigmoid, softplus, ELU,
/// SELU, GELU (tanh form) and SiLU, for <see cref="Vector128{T}"/>, <see cref="Vector256{T}"/>,
/// <see cref="Vector512{T}"/>, <see cref="Vector{T}"/>, one value, and spans. Generated networks call these.
/// </summary>
/// <remarks>
/// <para>Every overload of a function runs the same sequence of IEEE-754 operations on each lane (no fused
/// multiply-add, no lookup table), so the result for a value is the same bits at every width, in the scalar form
/// and on every machine: a kernel's vector loop and its scalar remainder agree, and Predict equals PredictBatch.</para>
/// <para>Method: Cody-Waite range reduction x = n ln2 + r, a Taylor polynomial for e^r - 1 on |r| &lt;= ln2/2, and
/// identities without cancellation (tanh from e^(-2|x|) - 1, softplus as max(x, 0) + log1p(e^-|x|), GELU as
/// x / (1 + e^(-2u))). The measured maximum errors over the float range, and the handling of infinities, NaN,
/// overflow and subnormal results, are in docs/performance.md; the unit tests assert those bounds.</para>
/// </remarks>
public static class VectorMath
{
    /// <summary>e^x, for each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x) => FloatKernels<F128>.Exp(new F128(x)).V;

    /// <inheritdoc cref="Exp(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x) => FloatKernels<F256>.Exp(new F256(x)).V;

    /// <inheritdoc cref="Exp(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x) => FloatKernels<F512>.Exp(new F512(x)).V;

    /// <inheritdoc cref="Exp(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Exp(Vector<float> x) => FloatKernels<FVec>.Exp(new FVec(x)).V;

    /// <summary>e^x; the same bits as one lane of the vector overloads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float x) => FloatKernels<F1>.Exp(new F1(x)).V;

    /// <summary>Tanh x, for each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Tanh(Vector128<float> x) => FloatKernels<F128>.Tanh(new F128(x)).V;

    /// <inheritdoc cref="Tanh(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x) => FloatKernels<F256>.Tanh(new F256(x)).V;

    /// <inheritdoc cref="Tanh(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x) => FloatKernels<F512>.Tanh(new F512(x)).V;

    /// <inheritdoc cref="Tanh(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Tanh(Vector<float> x) => FloatKernels<FVec>.Tanh(new FVec(x)).V;

    /// <summary>Tanh x; the same bits as one lane of the vector overloads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tanh(float x) => FloatKernels<F1>.Tanh(new F1(x)).V;

    /// <summary>The logistic sigmoid 1 / (1 + e^-x), for each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sigmoid(Vector128<float> x) => FloatKernels<F128>.Sigmoid(new F128(x)).V;

    /// <inheritdoc cref="Sigmoid(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x) => FloatKernels<F256>.Sigmoid(new F256(x)).V;

    /// <inheritdoc cref="Sigmoid(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x) => FloatKernels<F512>.Sigmoid(new F512(x)).V;

    /// <inheritdoc cref="Sigmoid(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Sigmoid(Vector<float> x) => FloatKernels<FVec>.Sigmoid(new FVec(x)).V;

    /// <summary>The logistic sigmoid 1 / (1 + e^-x); the same bits as one lane of the vector overloads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x) => FloatKernels<F1>.Sigmoid(new F1(x)).V;

    /// <summary>Softplus, ln(1 + e^x), for each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Softplus(Vector128<float> x) => FloatKernels<F128>.Softplus(new F128(x)).V;

    /// <inheritdoc cref="Softplus(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Softplus(Vector256<float> x) => FloatKernels<F256>.Softplus(new F256(x)).V;

    /// <inheritdoc cref="Softplus(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Softplus(Vector512<float> x) => FloatKernels<F512>.Softplus(new F512(x)).V;

    /// <inheritdoc cref="Softplus(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Softplus(Vector<float> x) => FloatKernels<FVec>.Softplus(new FVec(x)).V;

    /// <summary>Softplus, ln(1 + e^x); the same bits as one lane of the vector overloads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Softplus(float x) => FloatKernels<F1>.Softplus(new F1(x)).V;

    /// <summary>SELU, λ x for x &gt; 0 and λ α (e^x - 1) otherwise (λ = 1.0507009873554805, α = 1.6732632423543772), for each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Selu(Vector128<float> x) => FloatKernels<F128>.Selu(new F128(x)).V;

    /// <inheritdoc cref="Selu(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Selu(Vector256<float> x) => FloatKernels<F256>.Selu(new F256(x)).V;

    /// <inheritdoc cref="Selu(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Selu(Vector512<float> x) => FloatKernels<F512>.Selu(new F512(x)).V;

    /// <inheritdoc cref="Selu(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Selu(Vector<float> x) => FloatKernels<FVec>.Selu(new FVec(x)).V;

    /// <summary>SELU, λ x for x &gt; 0 and λ α (e^x - 1) otherwise (λ = 1.0507009873554805, α = 1.6732632423543772); the same bits as one lane of the vector overloads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Selu(float x) => FloatKernels<F1>.Selu(new F1(x)).V;

    /// <summary>GELU in PyTorch's tanh form, 0.5 x (1 + tanh(sqrt(2/π)(x + 0.044715 x^3))), for each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Gelu(Vector128<float> x) => FloatKernels<F128>.Gelu(new F128(x)).V;

    /// <inheritdoc cref="Gelu(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Gelu(Vector256<float> x) => FloatKernels<F256>.Gelu(new F256(x)).V;

    /// <inheritdoc cref="Gelu(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Gelu(Vector512<float> x) => FloatKernels<F512>.Gelu(new F512(x)).V;

    /// <inheritdoc cref="Gelu(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Gelu(Vector<float> x) => FloatKernels<FVec>.Gelu(new FVec(x)).V;

    /// <summary>GELU in PyTorch's tanh form, 0.5 x (1 + tanh(sqrt(2/π)(x + 0.044715 x^3))); the same bits as one lane of the vector overloads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Gelu(float x) => FloatKernels<F1>.Gelu(new F1(x)).V;

    /// <summary>SiLU (swish), x / (1 + e^-x), for each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Silu(Vector128<float> x) => FloatKernels<F128>.Silu(new F128(x)).V;

    /// <inheritdoc cref="Silu(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Silu(Vector256<float> x) => FloatKernels<F256>.Silu(new F256(x)).V;

    /// <inheritdoc cref="Silu(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Silu(Vector512<float> x) => FloatKernels<F512>.Silu(new F512(x)).V;

    /// <inheritdoc cref="Silu(Vector128{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Silu(Vector<float> x) => FloatKernels<FVec>.Silu(new FVec(x)).V;

    /// <summary>SiLU (swish), x / (1 + e^-x); the same bits as one lane of the vector overloads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Silu(float x) => FloatKernels<F1>.Silu(new F1(x)).V;

    /// <summary>ELU, x for x &gt; 0 and alpha (e^x - 1) otherwise, for each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Elu(Vector128<float> x, float alpha) => FloatKernels<F128>.Elu(new F128(x), F128.Create(alpha)).V;

    /// <inheritdoc cref="Elu(Vector128{float}, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Elu(Vector256<float> x, float alpha) => FloatKernels<F256>.Elu(new F256(x), F256.Create(alpha)).V;

    /// <inheritdoc cref="Elu(Vector128{float}, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Elu(Vector512<float> x, float alpha) => FloatKernels<F512>.Elu(new F512(x), F512.Create(alpha)).V;

    /// <inheritdoc cref="Elu(Vector128{float}, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Elu(Vector<float> x, float alpha) => FloatKernels<FVec>.Elu(new FVec(x), FVec.Create(alpha)).V;

    /// <inheritdoc cref="Elu(Vector128{float}, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Elu(float x, float alpha) => FloatKernels<F1>.Elu(new F1(x), F1.Create(alpha)).V;

    /// <summary>e^x, for each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Exp(Vector128<double> x) => DoubleKernels<D128>.Exp(new D128(x)).V;

    /// <inheritdoc cref="Exp(Vector128{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Exp(Vector256<double> x) => DoubleKernels<D256>.Exp(new D256(x)).V;

    /// <inheritdoc cref="Exp(Vector128{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Exp(Vector512<double> x) => DoubleKernels<D512>.Exp(new D512(x)).V;

    /// <inheritdoc cref="Exp(Vector128{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Exp(Vector<double> x) => DoubleKernels<DVec>.Exp(new DVec(x)).V;

    /// <summary>e^x; the same bits as one lane of the vector overloads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Exp(double x) => DoubleKernels<D1>.Exp(new D1(x)).V;

    /// <summary>Tanh x, for each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Tanh(Vector128<double> x) => DoubleKernels<D128>.Tanh(new D128(x)).V;

    /// <inheritdoc cref="Tanh(Vector128{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Tanh(Vector256<double> x) => DoubleKernels<D256>.Tanh(new D256(x)).V;

    /// <inheritdoc cref="Tanh(Vector128{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Tanh(Vector512<double> x) => DoubleKernels<D512>.Tanh(new D512(x)).V;

    /// <inheritdoc cref="Tanh(Vector128{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Tanh(Vector<double> x) => DoubleKernels<DVec>.Tanh(new DVec(x)).V;

    /// <summary>Tanh x; the same bits as one lane of the vector overloads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Tanh(double x) => DoubleKernels<D1>.Tanh(new D1(x)).V;

    /// <summary>The logistic sigmoid 1 / (1 + e^-x), for each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Sigmoid(Vector128<double> x) => DoubleKernels<D128>.Sigmoid(new D128(x)).V;

    /// <inheritdoc cref="Sigmoid(Vector128{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Sigmoid(Vector256<double> x) => DoubleKernels<D256>.Sigmoid(new D256(x)).V;

    /// <inheritdoc cref="Sigmoid(Vector128{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Sigmoid(Vector512<double> x) => DoubleKernels<D512>.Sigmoid(new D512(x)).V;

    /// <inheritdoc cref="Sigmoid(Vector128{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Sigmoid(Vector<double> x) => DoubleKernels<DVec>.Sigmoid(new DVec(x)).V;

    /// <summary>The logistic sigmoid 1 / (1 + e^-x); the same bits as one lane of the vector overloads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sigmoid(double x) => DoubleKernels<D1>.Sigmoid(new D1(x)).V;

    /// <summary>Softplus, ln(1 + e^x), for each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Softplus(Vector128<double> x) => DoubleKernels<D128>.Softplus(new D128(x)).V;

    /// <inheritdoc cref="Softplus(Vector128{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Softplus(Vector256<double> x) => DoubleKernels<D256>.Softplus(new D256(x)).V;

    /// <inheritdoc cref="Softplus(Vector128{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Softplus(Vector512<double> x) => DoubleKernels<D512>.Softplus(new D512(x)).V;

    /// <inheritdoc cref="Softplus(Vector128{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Softplus(Vector<double> x) => DoubleKernels<DVec>.Softplus(new DVec(x)).V;

    /// <summary>Softplus, ln(1 + e^x); the same bits as one lane of the vector overloads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Softplus(double x) => DoubleKernels<D1>.Softplus(new D1(x)).V;

    /// <summary>SELU, λ x for x &gt; 0 and λ α (e^x - 1) otherwise (λ = 1.0507009873554805, α = 1.6732632423543772), for each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Selu(Vector128<double> x) => DoubleKernels<D128>.Selu(new D128(x)).V;

    /// <inheritdoc cref="Selu(Vector128{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Selu(Vector256<double> x) => DoubleKernels<D256>.Selu(new D256(x)).V;

    /// <inheritdoc cref="Selu(Vector128{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Selu(Vector512<double> x) => DoubleKernels<D512>.Selu(new D512(x)).V;

    /// <inheritdoc cref="Selu(Vector128{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Selu(Vector<double> x) => DoubleKernels<DVec>.Selu(new DVec(x)).V;

    /// <summary>SELU, λ x for x &gt; 0 and λ α (e^x - 1) otherwise (λ = 1.0507009873554805, α = 1.6732632423543772); the same bits as one lane of the vector overloads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Selu(double x) => DoubleKernels<D1>.Selu(new D1(x)).V;

    /// <summary>GELU in PyTorch's tanh form, 0.5 x (1 + tanh(sqrt(2/π)(x + 0.044715 x^3))), for each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Gelu(Vector128<double> x) => DoubleKernels<D128>.Gelu(new D128(x)).V;

    /// <inheritdoc cref="Gelu(Vector128{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Gelu(Vector256<double> x) => DoubleKernels<D256>.Gelu(new D256(x)).V;

    /// <inheritdoc cref="Gelu(Vector128{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Gelu(Vector512<double> x) => DoubleKernels<D512>.Gelu(new D512(x)).V;

    /// <inheritdoc cref="Gelu(Vector128{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Gelu(Vector<double> x) => DoubleKernels<DVec>.Gelu(new DVec(x)).V;

    /// <summary>GELU in PyTorch's tanh form, 0.5 x (1 + tanh(sqrt(2/π)(x + 0.044715 x^3))); the same bits as one lane of the vector overloads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Gelu(double x) => DoubleKernels<D1>.Gelu(new D1(x)).V;

    /// <summary>SiLU (swish), x / (1 + e^-x), for each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Silu(Vector128<double> x) => DoubleKernels<D128>.Silu(new D128(x)).V;

    /// <inheritdoc cref="Silu(Vector128{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Silu(Vector256<double> x) => DoubleKernels<D256>.Silu(new D256(x)).V;

    /// <inheritdoc cref="Silu(Vector128{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Silu(Vector512<double> x) => DoubleKernels<D512>.Silu(new D512(x)).V;

    /// <inheritdoc cref="Silu(Vector128{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Silu(Vector<double> x) => DoubleKernels<DVec>.Silu(new DVec(x)).V;

    /// <summary>SiLU (swish), x / (1 + e^-x); the same bits as one lane of the vector overloads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Silu(double x) => DoubleKernels<D1>.Silu(new D1(x)).V;

    /// <summary>ELU, x for x &gt; 0 and alpha (e^x - 1) otherwise, for each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Elu(Vector128<double> x, double alpha) => DoubleKernels<D128>.Elu(new D128(x), D128.Create(alpha)).V;

    /// <inheritdoc cref="Elu(Vector128{double}, double)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Elu(Vector256<double> x, double alpha) => DoubleKernels<D256>.Elu(new D256(x), D256.Create(alpha)).V;

    /// <inheritdoc cref="Elu(Vector128{double}, double)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Elu(Vector512<double> x, double alpha) => DoubleKernels<D512>.Elu(new D512(x), D512.Create(alpha)).V;

    /// <inheritdoc cref="Elu(Vector128{double}, double)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Elu(Vector<double> x, double alpha) => DoubleKernels<DVec>.Elu(new DVec(x), DVec.Create(alpha)).V;

    /// <inheritdoc cref="Elu(Vector128{double}, double)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Elu(double x, double alpha) => DoubleKernels<D1>.Elu(new D1(x), D1.Create(alpha)).V;

    /// <summary>Writes Exp(x[i]) to destination[i] (in place is fine), with the widest hardware-accelerated vectors; the same bits at any width.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>.</exception>
    public static void Exp(ReadOnlySpan<float> x, Span<float> destination) => Map<FExpOp>(x, destination, default);

    /// <summary>Writes Tanh(x[i]) to destination[i] (in place is fine), with the widest hardware-accelerated vectors; the same bits at any width.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>.</exception>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> destination) => Map<FTanhOp>(x, destination, default);

    /// <summary>Writes Sigmoid(x[i]) to destination[i] (in place is fine), with the widest hardware-accelerated vectors; the same bits at any width.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>.</exception>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> destination) => Map<FSigmoidOp>(x, destination, default);

    /// <summary>Writes Softplus(x[i]) to destination[i] (in place is fine), with the widest hardware-accelerated vectors; the same bits at any width.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>.</exception>
    public static void Softplus(ReadOnlySpan<float> x, Span<float> destination) => Map<FSoftplusOp>(x, destination, default);

    /// <summary>Writes Selu(x[i]) to destination[i] (in place is fine), with the widest hardware-accelerated vectors; the same bits at any width.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>.</exception>
    public static void Selu(ReadOnlySpan<float> x, Span<float> destination) => Map<FSeluOp>(x, destination, default);

    /// <summary>Writes Gelu(x[i]) to destination[i] (in place is fine), with the widest hardware-accelerated vectors; the same bits at any width.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>.</exception>
    public static void Gelu(ReadOnlySpan<float> x, Span<float> destination) => Map<FGeluOp>(x, destination, default);

    /// <summary>Writes Silu(x[i]) to destination[i] (in place is fine), with the widest hardware-accelerated vectors; the same bits at any width.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>.</exception>
    public static void Silu(ReadOnlySpan<float> x, Span<float> destination) => Map<FSiluOp>(x, destination, default);

    /// <summary>Writes Elu(x[i]) to destination[i] (in place is fine), with the widest hardware-accelerated vectors; the same bits at any width.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>.</exception>
    public static void Elu(ReadOnlySpan<float> x, Span<float> destination, float alpha) => Map<FEluOp>(x, destination, alpha);

    /// <summary>Writes Exp(x[i]) to destination[i] (in place is fine), with the widest hardware-accelerated vectors; the same bits at any width.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>.</exception>
    public static void Exp(ReadOnlySpan<double> x, Span<double> destination) => Map<DExpOp>(x, destination, default);

    /// <summary>Writes Tanh(x[i]) to destination[i] (in place is fine), with the widest hardware-accelerated vectors; the same bits at any width.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>.</exception>
    public static void Tanh(ReadOnlySpan<double> x, Span<double> destination) => Map<DTanhOp>(x, destination, default);

    /// <summary>Writes Sigmoid(x[i]) to destination[i] (in place is fine), with the widest hardware-accelerated vectors; the same bits at any width.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>.</exception>
    public static void Sigmoid(ReadOnlySpan<double> x, Span<double> destination) => Map<DSigmoidOp>(x, destination, default);

    /// <summary>Writes Softplus(x[i]) to destination[i] (in place is fine), with the widest hardware-accelerated vectors; the same bits at any width.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>.</exception>
    public static void Softplus(ReadOnlySpan<double> x, Span<double> destination) => Map<DSoftplusOp>(x, destination, default);

    /// <summary>Writes Selu(x[i]) to destination[i] (in place is fine), with the widest hardware-accelerated vectors; the same bits at any width.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>.</exception>
    public static void Selu(ReadOnlySpan<double> x, Span<double> destination) => Map<DSeluOp>(x, destination, default);

    /// <summary>Writes Gelu(x[i]) to destination[i] (in place is fine), with the widest hardware-accelerated vectors; the same bits at any width.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>.</exception>
    public static void Gelu(ReadOnlySpan<double> x, Span<double> destination) => Map<DGeluOp>(x, destination, default);

    /// <summary>Writes Silu(x[i]) to destination[i] (in place is fine), with the widest hardware-accelerated vectors; the same bits at any width.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>.</exception>
    public static void Silu(ReadOnlySpan<double> x, Span<double> destination) => Map<DSiluOp>(x, destination, default);

    /// <summary>Writes Elu(x[i]) to destination[i] (in place is fine), with the widest hardware-accelerated vectors; the same bits at any width.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>.</exception>
    public static void Elu(ReadOnlySpan<double> x, Span<double> destination, double alpha) => Map<DEluOp>(x, destination, alpha);

    private static void Map<TOp>(ReadOnlySpan<float> x, Span<float> destination, float parameter) where TOp : struct, IFloatOp
    {
        if (destination.Length < x.Length)
        {
            throw new ArgumentException($"The destination has {destination.Length} values; x has {x.Length}.", nameof(destination));
        }

        ref float source = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        ref float target = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(destination);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            F512 p = F512.Create(parameter);
            for (; i <= x.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                TOp.Apply(new F512(Vector512.LoadUnsafe(ref source, (nuint)i)), p).V.StoreUnsafe(ref target, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            F256 p = F256.Create(parameter);
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                TOp.Apply(new F256(Vector256.LoadUnsafe(ref source, (nuint)i)), p).V.StoreUnsafe(ref target, (nuint)i);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            F128 p = F128.Create(parameter);
            for (; i <= x.Length - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                TOp.Apply(new F128(Vector128.LoadUnsafe(ref source, (nuint)i)), p).V.StoreUnsafe(ref target, (nuint)i);
            }
        }

        for (; i < x.Length; i++)
        {
            Unsafe.Add(ref target, i) = TOp.Apply(new F1(Unsafe.Add(ref source, i)), new F1(parameter)).V;
        }
    }

    private static void Map<TOp>(ReadOnlySpan<double> x, Span<double> destination, double parameter) where TOp : struct, IDoubleOp
    {
        if (destination.Length < x.Length)
        {
            throw new ArgumentException($"The destination has {destination.Length} values; x has {x.Length}.", nameof(destination));
        }

        ref double source = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        ref double target = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(destination);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            D512 p = D512.Create(parameter);
            for (; i <= x.Length - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                TOp.Apply(new D512(Vector512.LoadUnsafe(ref source, (nuint)i)), p).V.StoreUnsafe(ref target, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            D256 p = D256.Create(parameter);
            for (; i <= x.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                TOp.Apply(new D256(Vector256.LoadUnsafe(ref source, (nuint)i)), p).V.StoreUnsafe(ref target, (nuint)i);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            D128 p = D128.Create(parameter);
            for (; i <= x.Length - Vector128<double>.Count; i += Vector128<double>.Count)
            {
                TOp.Apply(new D128(Vector128.LoadUnsafe(ref source, (nuint)i)), p).V.StoreUnsafe(ref target, (nuint)i);
            }
        }

        for (; i < x.Length; i++)
        {
            Unsafe.Add(ref target, i) = TOp.Apply(new D1(Unsafe.Add(ref source, i)), new D1(parameter)).V;
        }
    }

    private interface IFloatOp
    {
        static abstract V Apply<V>(V x, V parameter) where V : struct, IFloatLanes<V>;
    }

    private interface IDoubleOp
    {
        static abstract V Apply<V>(V x, V parameter) where V : struct, IDoubleLanes<V>;
    }

    private readonly struct FExpOp : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V Apply<V>(V x, V parameter) where V : struct, IFloatLanes<V> => FloatKernels<V>.Exp(x);
    }

    private readonly struct FTanhOp : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V Apply<V>(V x, V parameter) where V : struct, IFloatLanes<V> => FloatKernels<V>.Tanh(x);
    }

    private readonly struct FSigmoidOp : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V Apply<V>(V x, V parameter) where V : struct, IFloatLanes<V> => FloatKernels<V>.Sigmoid(x);
    }

    private readonly struct FSoftplusOp : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V Apply<V>(V x, V parameter) where V : struct, IFloatLanes<V> => FloatKernels<V>.Softplus(x);
    }

    private readonly struct FSeluOp : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V Apply<V>(V x, V parameter) where V : struct, IFloatLanes<V> => FloatKernels<V>.Selu(x);
    }

    private readonly struct FGeluOp : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V Apply<V>(V x, V parameter) where V : struct, IFloatLanes<V> => FloatKernels<V>.Gelu(x);
    }

    private readonly struct FSiluOp : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V Apply<V>(V x, V parameter) where V : struct, IFloatLanes<V> => FloatKernels<V>.Silu(x);
    }

    private readonly struct FEluOp : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V Apply<V>(V x, V parameter) where V : struct, IFloatLanes<V> => FloatKernels<V>.Elu(x, parameter);
    }

    private readonly struct DExpOp : IDoubleOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V Apply<V>(V x, V parameter) where V : struct, IDoubleLanes<V> => DoubleKernels<V>.Exp(x);
    }

    private readonly struct DTanhOp : IDoubleOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V Apply<V>(V x, V parameter) where V : struct, IDoubleLanes<V> => DoubleKernels<V>.Tanh(x);
    }

    private readonly struct DSigmoidOp : IDoubleOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V Apply<V>(V x, V parameter) where V : struct, IDoubleLanes<V> => DoubleKernels<V>.Sigmoid(x);
    }

    private readonly struct DSoftplusOp : IDoubleOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V Apply<V>(V x, V parameter) where V : struct, IDoubleLanes<V> => DoubleKernels<V>.Softplus(x);
    }

    private readonly struct DSeluOp : IDoubleOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V Apply<V>(V x, V parameter) where V : struct, IDoubleLanes<V> => DoubleKernels<V>.Selu(x);
    }

    private readonly struct DGeluOp : IDoubleOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V Apply<V>(V x, V parameter) where V : struct, IDoubleLanes<V> => DoubleKernels<V>.Gelu(x);
    }

    private readonly struct DSiluOp : IDoubleOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V Apply<V>(V x, V parameter) where V : struct, IDoubleLanes<V> => DoubleKernels<V>.Silu(x);
    }

    private readonly struct DEluOp : IDoubleOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V Apply<V>(V x, V parameter) where V : struct, IDoubleLanes<V> => DoubleKernels<V>.Elu(x, parameter);
    }
}
