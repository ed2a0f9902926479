using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace NetGen.SourceGeneration;

/// <summary>
/// NG2002-NG2003: calls to a network's generated Predict, PredictClass, PredictBatch and TrainBatch. The network's sizes
/// come from its plan (shared with the design rules, <see cref="NetworkDeclarations"/>), not from the generated constants, so the rule works
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

            start.RegisterOperationAction(operationContext =>
            {
                var invocation = (IInvocationOperation)operationContext.Operation;
                IMethodSymbol method = invocation.TargetMethod;
                if (method.IsStatic || !IsNetworkMethod(method.Name) || method.ContainingType is not { } type || !attributes.IsNetwork(type))
                {
                    return;
                }

                if (NetworkDeclarations.Get(operationContext.Compilation, type, operationContext.CancellationToken) is not { } network)
                {
                    return;
                }

                NetworkShape shape = NetworkShape.From(network);
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
