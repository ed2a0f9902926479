using System;

namespace NetGen;

/// <summary>The network's input layer: the number of features in one sample. Must be the first layer attribute, exactly once.</summary>
/// <param name="size">The number of input features (&gt; 0).</param>
/// <remarks><see cref="AttributeUsageAttribute.AllowMultiple"/> is true so that a duplicate is reported as NG0002 with an explanation rather than a bare compiler error.</remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class InputAttribute(int size) : Attribute
{
    /// <summary>The number of input features.</summary>
    public int Size { get; } = size;
}
