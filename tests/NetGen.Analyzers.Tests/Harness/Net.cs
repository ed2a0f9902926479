namespace NetGen.Analyzers.Tests.Harness;

/// <summary>Wraps network attributes in a compilable file, so tests show only the declaration they are about.</summary>
public static class Net
{
    public static string Declare(string attributesAndClass) => "using NetGen;\n\nnamespace Sample;\n\n" + attributesAndClass + "\n";
}
