using System;
using System.Globalization;

namespace NetGen.SourceGeneration;

/// <summary>Numbers as messages and code fixes write them: invariant culture, short, exponent form for small values.</summary>
internal static class Numbers
{
    /// <summary>Three significant digits; below 0.01 in exponent form with two (9.8e-4), as the catalog writes them.</summary>
    public static string Short(double value)
    {
        if (value == 0 || double.IsNaN(value) || double.IsInfinity(value))
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }

        double magnitude = Math.Abs(value);
        return magnitude < 0.01 || magnitude >= 1e6
            ? value.ToString("0.0e0", CultureInfo.InvariantCulture)
            : value.ToString("0.###", CultureInfo.InvariantCulture);
    }

    /// <summary>A value as the user wrote it in an attribute, round-trippable.</summary>
    public static string Exact(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A large count with thousands separators: 100,000,000.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A size in bytes in decimal units: 400 MB, 1.2 GB.</summary>
    public static string Bytes(double bytes) =>
        bytes >= 1e9 ? (bytes / 1e9).ToString("0.#", CultureInfo.InvariantCulture) + " GB"
        : bytes >= 1e6 ? (bytes / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + " MB"
        : bytes.ToString("0", CultureInfo.InvariantCulture) + " bytes";
}
