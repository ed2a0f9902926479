using System;

namespace Digits;

internal static class SpanExtensions
{
    /// <summary>Divides every value by <paramref name="divisor"/>, in place.</summary>
    public static void Divide(this Span<float> values, float divisor)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] /= divisor;
        }
    }
}
