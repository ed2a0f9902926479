using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace NetGen.SourceGeneration;

/// <summary>
/// NG2002-NG2003: calls to a network's generated Predict, PredictClass, PredictBatch and TrainBatch. The network's sizes
/// come from its declaration (through <see cref="NetworkParser"/>), not from the generated constants, so the rule works
/// while the generated code is out of date.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NetworkCallAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        UsageDescriptors.SpanLengthMismatch,
        UsageDescriptors.PredictInRowLoop);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
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

            var shapes = new ConcurrentDictionary<INamedTypeSymbol, NetworkShape?>(SymbolEqualityComparer.Default);
            start.RegisterOperationAction(operationContext =>
            {
                var invocation = (IInvocationOperation)operationContext.Operation;
                IMethodSymbol method = invocation.TargetMethod;
                if (method.IsStatic || !IsNetworkMethod(method.Name) || method.ContainingType is not { } type || !attributes.IsNetwork(type))
                {
                    return;
                }

                NetworkShape? shape = shapes.GetOrAdd(type, t => NetworkShape.Read(t, operationContext.CancellationToken));
                if (shape is null)
                {
                    return;
                }

                SpanLengthCheck.Run(invocation, shape, operationContext.ReportDiagnostic, operationContext.CancellationToken);
                if (method.Name == "Predict")
                {
                    RowLoopCheck.Run(invocation, operationContext.ReportDiagnostic);
                }
            }, OperationKind.Invocation);
        });
    }

    private static bool IsNetworkMethod(string name) => name is "Predict" or "PredictClass" or "PredictBatch" or "TrainBatch";
}
