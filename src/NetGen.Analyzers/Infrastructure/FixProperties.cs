namespace NetGen.SourceGeneration;

/// <summary>
/// Keys of <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> that tell the code fixes what to write. The
/// analyzer, which knows the network, decides the values; the fixes only edit attribute syntax.
/// </summary>
internal static class FixProperties
{
    /// <summary>Activation member to put on every [Dense] attribute among the diagnostic's locations.</summary>
    public const string Activation = "NetGen.Activation";

    /// <summary>Comma-separated Init members, one code action each, for the [Dense] attributes among the locations.</summary>
    public const string Init = "NetGen.Init";

    /// <summary>Loss member to put on the [Network] attribute among the diagnostic's locations.</summary>
    public const string Loss = "NetGen.Loss";

    /// <summary>A number (C# literal text) to replace the value the diagnostic points at.</summary>
    public const string Value = "NetGen.Value";
}
