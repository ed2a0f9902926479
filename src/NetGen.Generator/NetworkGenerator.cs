using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace NetGen.SourceGeneration;

/// <summary>
/// Turns each class declared with NetGen layer attributes into specialised C#. This file only wires the pipeline:
/// <see cref="NetworkModelBuilder"/> reads declarations into equatable models, <see cref="NetworkPlanner"/> lays
/// out parameters and buffers, and <see cref="NetworkEmitter"/> writes the code.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps, asserted by the incrementality tests.</summary>
    public static class Steps
    {
        public const string NetworkAttribute = "NetGen.NetworkAttribute";
        public const string InputAttribute = "NetGen.InputAttribute";
        public const string DenseAttribute = "NetGen.DenseAttribute";
        public const string DropoutAttribute = "NetGen.DropoutAttribute";
        public const string Networks = "NetGen.Networks";
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // A network may carry any subset of the attributes while it is being typed (say [Dense] before [Input]), so
        // each attribute is a trigger. Only the trigger of the first attribute kind the type carries (in the order
        // Network, Input, Dense, Dropout) reads it, so each network is parsed and planned once per edit.
        IncrementalValuesProvider<NetworkModel> ForAttribute(string attributeName, string stepName) =>
            context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    attributeName,
                    predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax,
                    transform: (attributeContext, cancellationToken) =>
                    {
                        var type = (INamedTypeSymbol)attributeContext.TargetSymbol;
                        return NetworkParser.FirstAttributeName(type) == attributeName ? NetworkModelBuilder.Build(type, cancellationToken) : null;
                    })
                .Where(static model => model is not null)
                .Select(static (model, _) => model!)
                .WithTrackingName(stepName);

        IncrementalValuesProvider<NetworkModel> networks = ForAttribute(NetworkParser.NetworkAttributeName, Steps.NetworkAttribute).Collect()
            .Combine(ForAttribute(NetworkParser.InputAttributeName, Steps.InputAttribute).Collect())
            .Combine(ForAttribute(NetworkParser.DenseAttributeName, Steps.DenseAttribute).Collect())
            .Combine(ForAttribute(NetworkParser.DropoutAttributeName, Steps.DropoutAttribute).Collect())
            .SelectMany(static (found, _) => Distinct(found.Left.Left.Left, found.Left.Left.Right, found.Left.Right, found.Right))
            .WithTrackingName(Steps.Networks);

        // C# 10 and older cannot compile the generated files: one NG0012 for the project and no code (LanguageVersionCheck).
        IncrementalValueProvider<Microsoft.CodeAnalysis.CSharp.LanguageVersion> languageVersion = LanguageVersionCheck.Register(context);
        context.RegisterSourceOutput(
            networks.Select(static (model, _) => model.Key).Collect().Combine(languageVersion),
            static (output, pair) => LanguageVersionCheck.Report(output, pair.Right,
                pair.Left.Select(static key => key.Substring(0, key.LastIndexOf('`')).Replace("global::", "")).ToImmutableArray()));
        networks = networks
            .Combine(languageVersion)
            .Where(static pair => LanguageVersionCheck.Supports(pair.Right))
            .Select(static (pair, _) => pair.Left);

        context.RegisterSourceOutput(networks, static (output, model) =>
        {
            foreach (DiagnosticInfo diagnostic in model.Diagnostics)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }

            if (model.Plan is not null)
            {
                output.AddSource(model.HintName, NetworkEmitter.Emit(model.Plan, output.CancellationToken));
            }
        });

        // [Network(StandardizeInputs = true)]: InputStandardizer and PredictRaw, one more generated file per network (docs/shipping.md).
        context.RegisterSourceOutput(networks.Where(static model => model.Plan?.Spec.StandardizeInputs == true), static (output, model) =>
            output.AddSource(StandardizerEmitter.HintName(model.HintName), StandardizerEmitter.Emit(model.Plan!)));

        // [Network(Weights = "...")]: the embedded weights, one more generated file per network (docs/shipping.md).
        Weights.WeightsPipeline.Register(context, networks);
    }

    /// <summary>
    /// One model per type, in ordinal order of the type's name, so output order never depends on discovery order, with
    /// hint names unique ignoring case (<see cref="HintNames.MakeUnique"/>).
    /// </summary>
    private static ImmutableArray<NetworkModel> Distinct(params ImmutableArray<NetworkModel>[] found) =>
        HintNames.MakeUnique(found.SelectMany(models => models)
            .GroupBy(model => model.Key, System.StringComparer.Ordinal)
            .Select(group => group.First())
            .OrderBy(model => model.Key, System.StringComparer.Ordinal)
            .ToImmutableArray());
}
