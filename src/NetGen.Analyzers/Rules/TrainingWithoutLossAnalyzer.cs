using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace NetGen.SourceGeneration;

/// <summary>
/// NG2004: a training member (<c>net.TrainBatch</c>, <c>net.LearningRate</c>...) or <c>Trainer.Fit(net, ...)</c> used
/// on a network declared without a Loss. The compiler says only CS1061 or CS1503; this says that Loss is what turns
/// training on. It reports only where the member does not bind, so a user's own member of that name stays quiet.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TrainingWithoutLossAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableHashSet<string> TrainingMembers = ImmutableHashSet.Create(
        "TrainBatch", "ComputeGradients", "LearningRate", "LastGradients", "PredictLayers", "ResetOptimizer",
        "OptimizerState", "OptimizerStep", "ClipGradientNorm", "DropoutRandom");

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(UsageDescriptors.TrainingWithoutLoss);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            NetGenAttributeSymbols? attributes = NetGenAttributeSymbols.Resolve(start.Compilation);
            INamedTypeSymbol? trainer = start.Compilation.GetTypeByMetadataName("NetGen.Trainer");
            if (attributes is null)
            {
                return;
            }

            start.RegisterSyntaxNodeAction(c =>
            {
                var access = (MemberAccessExpressionSyntax)c.Node;
                string name = access.Name.Identifier.ValueText;
                if (!TrainingMembers.Contains(name) || c.SemanticModel.GetSymbolInfo(access, c.CancellationToken).Symbol is not null)
                {
                    return;
                }

                if (c.SemanticModel.GetTypeInfo(access.Expression, c.CancellationToken).Type is INamedTypeSymbol type)
                {
                    ReportIfUntrainable(c, attributes, type, access.Name.GetLocation(), name);
                }
            }, SyntaxKind.SimpleMemberAccessExpression);

            if (trainer is null)
            {
                return;
            }

            start.RegisterSyntaxNodeAction(c =>
            {
                var invocation = (InvocationExpressionSyntax)c.Node;
                if (invocation.Expression is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Fit" } member
                    || invocation.ArgumentList.Arguments.Count == 0)
                {
                    return;
                }

                SymbolInfo info = c.SemanticModel.GetSymbolInfo(member, c.CancellationToken);
                if (info.Symbol is not null || !info.CandidateSymbols.Any(s => SymbolEqualityComparer.Default.Equals(s.ContainingType, trainer)))
                {
                    return;
                }

                ArgumentSyntax first = invocation.ArgumentList.Arguments[0];
                if (c.SemanticModel.GetTypeInfo(first.Expression, c.CancellationToken).Type is INamedTypeSymbol type)
                {
                    ReportIfUntrainable(c, attributes, type, first.GetLocation(), "training members (Trainer.Fit takes an ITrainableNetwork)");
                }
            }, SyntaxKind.InvocationExpression);
        });
    }

    private static void ReportIfUntrainable(SyntaxNodeAnalysisContext c, NetGenAttributeSymbols attributes, INamedTypeSymbol type, Location location, string member)
    {
        if (!attributes.IsNetwork(type) || NetworkDeclarations.Get(c.Compilation, type, c.CancellationToken) is not { } network || network.Spec.IsTrainable)
        {
            return;
        }

        DenseLayer output = network.Output;
        // The loss that reads the output as probabilities (catalog), else squared error.
        Loss paired = output.Entry.Facts.ProbabilityLoss;
        string loss = (paired == Loss.None ? Loss.MeanSquaredError : paired).ToString();

        // The fix adds Loss to [Network] when that attribute is in the same file (an additional location it can edit).
        Location[]? additional = network.Parse.NetworkAttribute is not null ? new[] { network.NetworkArgumentLocation("Loss") } : null;
        c.ReportDiagnostic(Report.Create(UsageDescriptors.TrainingWithoutLoss, location, DiagnosticSeverity.Error, additional,
            Report.Properties((FixProperties.Loss, loss)),
            "'" + type.Name + "'", member, output.Activation.ToString(), loss));
    }
}
