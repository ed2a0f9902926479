using Microsoft.CodeAnalysis.Text;

namespace NetGen.Analyzers.Tests.Harness;

/// <summary>A diagnostic a test expects: its ID and the span it covers in the test document.</summary>
public sealed record ExpectedDiagnostic(string Id, TextSpan Span)
{
    public override string ToString() => $"{Id} at {Span}";
}
