using System;
using System.Linq;

namespace NetGen;

/// <summary>An array read from a weight file: its name (e.g. <c>0.weight</c>), its shape and its values in row-major order.</summary>
public sealed class NamedTensor
{
    /// <summary>Creates a tensor; <paramref name="values"/> must hold the product of <paramref name="shape"/> values.</summary>
    public NamedTensor(string name, int[] shape, double[] values)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(values);
        // 64-bit product with overflow detected: a wrapped count could match values.Length by accident or read as 0.
        long count = 1;
        bool overflow = false;
        foreach (int dimension in shape)
        {
            if (dimension < 0)
            {
                throw new ArgumentException($"Tensor '{name}' has a negative dimension in shape {FormatShape(shape)}.", nameof(shape));
            }

            overflow |= dimension != 0 && count > long.MaxValue / dimension;
            count = overflow ? count : count * dimension;
        }

        if (overflow && !shape.Contains(0))
        {
            throw new ArgumentException($"Tensor '{name}' has shape {FormatShape(shape)}, whose element count overflows 64 bits; it has {values.Length} values.", nameof(shape));
        }

        count = shape.Contains(0) ? 0 : count;

        if (count != values.Length)
        {
            throw new ArgumentException($"Tensor '{name}' of shape {FormatShape(shape)} needs {count} values, got {values.Length}.", nameof(values));
        }

        Name = name;
        Shape = shape;
        Values = values;
    }

    /// <summary>The name in the file (a <c>state_dict</c> key, or an <c>np.savez</c> name such as <c>arr_0</c>).</summary>
    public string Name { get; }

    /// <summary>The dimensions, outermost first.</summary>
    public int[] Shape { get; }

    /// <summary>The values in row-major (C) order, widened to double.</summary>
    public double[] Values { get; }

    /// <summary>The shape as PyTorch prints it, e.g. <c>[128, 256]</c>.</summary>
    public static string FormatShape(int[] shape) => "[" + string.Join(", ", shape) + "]";

    /// <inheritdoc />
    public override string ToString() => $"{Name} {FormatShape(Shape)}";
}
