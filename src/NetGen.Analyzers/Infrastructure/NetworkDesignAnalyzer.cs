using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace NetGen.SourceGeneration;

/// <summary>
/// Base of the analyzers that judge a network's declaration. Resolves the attribute types once per compilation and
/// hands each complete network to <see cref="Analyze"/>: parsed and planned once per compilation, as the generator
/// plans it, and shared by every rule (<see cref="NetworkDeclarations"/>).
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

                NetworkDeclaration? network = NetworkDeclarations.Get(symbolContext.Compilation, type, symbolContext.CancellationToken);
                if (network is not null)
                {
                    Analyze(network, symbolContext.ReportDiagnostic);
                }
            }, SymbolKind.NamedType);
        });
    }

    private protected abstract void Analyze(NetworkDeclaration network, Action<Diagnostic> report);
}
