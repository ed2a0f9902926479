using System;
using System.Numerics;

namespace NetGen;

/// <summary>Class labels as target rows.</summary>
public static class OneHot
{
    /// <summary>One row of <paramref name="classes"/> values per label: 1 at the label, 0 elsewhere.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, classes).</exception>
    public static T[] Encode<T>(ReadOnlySpan<int> labels, int classes) where T : unmanaged, INumberBase<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        var targets = new T[labels.Length * classes];
        for (int i = 0; i < labels.Length; i++)
        {
            CheckLabel(labels[i], classes, i);
            targets[(i * classes) + labels[i]] = T.One;
        }

        return targets;
    }

    /// <summary>Labels 0 and 1 as single targets, for a network with one sigmoid output.</summary>
    public static T[] AsTargets<T>(ReadOnlySpan<int> labels, int classes = 2) where T : unmanaged, INumberBase<T>
    {
        var targets = new T[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            CheckLabel(labels[i], classes, i);
            targets[i] = T.CreateChecked(labels[i]);
        }

        return targets;
    }

    private static void CheckLabel(int label, int classes, int row)
    {
        if ((uint)label >= (uint)classes)
        {
            throw new ArgumentOutOfRangeException(nameof(label), label, $"Label {label} in row {row} is outside [0, {classes - 1}].");
        }
    }
}
