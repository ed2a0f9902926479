using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace NetGen.SourceGeneration;

/// <summary>
/// Base of the analyzers that judge a network's declaration. Resolves the attribute types once per compilation, reads
/// each network type through <see cref="NetworkParser"/> (the generator's own reader) and hands complete declarations
/// to <see cref="Analyze"/>.
/// </summary>
public abstract class NetworkDesignAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            NetGenAttributeSymbols? attributes = NetGenAttributeSymbols.Resolve(start.Compilation);
            if (attributes is null)
            {
                return;
            }

            start.RegisterSymbolAction(symbolContext =>
            {
                if (symbolContext.Symbol is not INamedTypeSymbol type || !attributes.IsNetwork(type))
                {
                    return;
                }

                NetworkDeclaration? network = NetworkDeclaration.Read(type, symbolContext.CancellationToken);
                if (network is not null)
                {
                    Analyze(network, symbolContext.ReportDiagnostic);
                }
            }, SymbolKind.NamedType);
        });
    }

    private protected abstract void Analyze(NetworkDeclaration network, Action<Diagnostic> report);
}
