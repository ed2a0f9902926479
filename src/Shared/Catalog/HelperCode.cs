using System;

namespace NetGen.SourceGeneration;

/// <summary>
/// A private static method the generated kernels class needs, such as <c>Sigmoid</c> or <c>Log1P</c>. Catalog entries
/// name the helpers their code templates call; the emitter collects them in a set while it writes kernels and prints
/// each one once, after the kernels (as the Regex generator collects its RequiredHelpers).
/// </summary>
internal sealed class HelperCode
{
    private readonly Func<ScalarType, string> _code;

    private HelperCode(string name, int order, Func<ScalarType, string> code)
    {
        Name = name;
        Order = order;
        _code = code;
    }

    /// <summary>The method's name; two entries that need the same method name the same helper.</summary>
    public string Name { get; }

    /// <summary>Where the helper is printed among the others (ascending), so the output never depends on discovery order.</summary>
    public int Order { get; }

    /// <summary>The member's text (summary, attributes, body) for <paramref name="scalar"/>, without a leading blank line.</summary>
    public string Code(ScalarType scalar) => _code(scalar);

    /// <summary>An expression-bodied helper marked for inlining: <c>private static T Signature => body;</c>.</summary>
    public static HelperCode Inline(string name, int order, string summary, Func<ScalarType, string> signature, Func<ScalarType, string> body) =>
        new(name, order, s => $"/// <summary>{summary}</summary>\n[MethodImpl(MethodImplOptions.AggressiveInlining)]\nprivate static {s.Name} {signature(s)} => {body(s)};");

    /// <summary>A helper written out in full.</summary>
    public static HelperCode Block(string name, int order, Func<ScalarType, string> code) => new(name, order, code);
}
