using System;
using System.Collections.Generic;
using System.Globalization;

namespace NetGen;

/// <summary>
/// The order in which weight files list a network's tensors, PyTorch <c>state_dict</c> order: <c>2.weight</c> before
/// <c>10.weight</c>, <c>arr_2</c> before <c>arr_10</c>, and a module's weight before its bias. Compiled into the runtime
/// (<c>WeightImport</c>) and into the generator (weights embedded at build time), so both assign tensors to layers alike.
/// </summary>
internal sealed class TensorNameComparer : IComparer<string>
{
    public static readonly TensorNameComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        string[] a = Split(x ?? ""), b = Split(y ?? "");
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            int order = ComparePart(a[i], b[i]);
            if (order != 0)
            {
                return order;
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    private static string[] Split(string name) => name.Split('.', '_', '/');

    private static int ComparePart(string a, string b)
    {
        if (long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out long m)
            && long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out long n))
        {
            return m.CompareTo(n);
        }

        int Rank(string part) => part == "weight" ? 0 : part == "bias" ? 1 : 2;
        int rank = Rank(a).CompareTo(Rank(b));
        return rank != 0 ? rank : string.CompareOrdinal(a, b);
    }
}
