namespace NetGen;

/// <summary>The floating-point type the generated code computes in.</summary>
public enum Precision
{
    /// <summary><see cref="float"/>: the default, twice the SIMD lanes of double.</summary>
    Single = 0,
    /// <summary><see cref="double"/>: for gradient checks and numerically delicate work.</summary>
    Double = 1,
}
