using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.SourceGeneration;

/// <summary>A problem found while reading a declaration, with the place to show it.</summary>
internal sealed record SpecDiagnostic(DiagnosticDescriptor Descriptor, Location? Location, ImmutableArray<string> Arguments)
{
    public Diagnostic ToDiagnostic() => Diagnostic.Create(Descriptor, Location, Arguments.Cast<object?>().ToArray());
}

/// <summary>
/// What <see cref="NetworkParser"/> read from one type, planned. <see cref="Plan"/> is null when an error stops generation
/// (the errors are in <see cref="Diagnostics"/>) or when the code is not complete enough to read (the compiler
/// reports that). The attribute lists let analyzers place their diagnostics; the generator drops them.
/// </summary>
internal sealed class NetworkParseResult
{
    public NetworkParseResult(
        NetworkPlan? plan,
        ImmutableArray<SpecDiagnostic> diagnostics,
        AttributeData? networkAttribute,
        AttributeData? inputAttribute,
        ImmutableArray<AttributeData> layerAttributes)
    {
        Plan = plan;
        Diagnostics = diagnostics;
        NetworkAttribute = networkAttribute;
        InputAttribute = inputAttribute;
        LayerAttributes = layerAttributes;
    }

    /// <summary>The laid-out network, or null when it cannot be generated.</summary>
    public NetworkPlan? Plan { get; }

    public NetworkSpec? Spec => Plan?.Spec;

    public ImmutableArray<SpecDiagnostic> Diagnostics { get; }

    /// <summary>The <c>[Network]</c> attribute, if any.</summary>
    public AttributeData? NetworkAttribute { get; }

    /// <summary>The (first) <c>[Input]</c> attribute, if any.</summary>
    public AttributeData? InputAttribute { get; }

    /// <summary>The <c>[Dense]</c> and <c>[Dropout]</c> attributes in order, parallel to <see cref="NetworkSpec.Layers"/> when Spec is set.</summary>
    public ImmutableArray<AttributeData> LayerAttributes { get; }
}

/// <summary>
/// Reads a network declaration from a type symbol. The one place where attributes become a <see cref="NetworkSpec"/>:
/// the generator and the analyzers both call it, so they never disagree about what a declaration means.
/// Never throws on incomplete code: arguments that do not bind yet make it return no spec and no diagnostic.
/// </summary>
internal static class NetworkParser
{
    public const string Namespace = "NetGen";
    public const string NetworkAttributeName = "NetGen.NetworkAttribute";
    public const string InputAttributeName = "NetGen.InputAttribute";
    public const string DenseAttributeName = "NetGen.DenseAttribute";
    public const string DropoutAttributeName = "NetGen.DropoutAttribute";

    private enum AttributeRole
    {
        None,
        Network,
        Input,
        Dense,
        Dropout,
    }

    /// <summary>Whether the type carries any NetGen attribute, i.e. whether it is meant to be a network.</summary>
    public static bool IsNetworkCandidate(INamedTypeSymbol type) =>
        type.GetAttributes().Any(a => RoleOf(a) != AttributeRole.None);

    /// <summary>
    /// The full name of the first NetGen attribute kind <paramref name="type"/> carries, in the order Network, Input,
    /// Dense, Dropout; null when it carries none. The generator reads a type only through that attribute's trigger.
    /// </summary>
    public static string? FirstAttributeName(INamedTypeSymbol type)
    {
        AttributeRole first = AttributeRole.None;
        foreach (AttributeData attribute in type.GetAttributes())
        {
            AttributeRole role = RoleOf(attribute);
            if (role != AttributeRole.None && (first == AttributeRole.None || role < first))
            {
                first = role;
            }
        }

        return first switch
        {
            AttributeRole.Network => NetworkAttributeName,
            AttributeRole.Input => InputAttributeName,
            AttributeRole.Dense => DenseAttributeName,
            AttributeRole.Dropout => DropoutAttributeName,
            _ => null,
        };
    }

    public static NetworkParseResult Parse(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var diagnostics = new List<SpecDiagnostic>();
        var layerAttributes = ImmutableArray.CreateBuilder<AttributeData>();
        var inputs = new List<AttributeData>();
        AttributeData? networkAttribute = null;
        bool incomplete = false;
        bool seenInput = false;
        Location? typeLocation = type.Locations.FirstOrDefault();
        string typeName = type.Name;

        foreach (AttributeData attribute in type.GetAttributes())
        {
            switch (RoleOf(attribute))
            {
                case AttributeRole.Network:
                    networkAttribute = attribute;
                    break;
                case AttributeRole.Input:
                    inputs.Add(attribute);
                    seenInput = true;
                    break;
                case AttributeRole.Dense:
                    layerAttributes.Add(attribute);
                    break;
                case AttributeRole.Dropout:
                    if (!seenInput)
                    {
                        diagnostics.Add(Report(DeclarationDiagnostics.DropoutBeforeInput, LocationOf(attribute, cancellationToken), typeName));
                    }

                    layerAttributes.Add(attribute);
                    break;
            }

            if (RoleOf(attribute) != AttributeRole.None && attribute.AttributeConstructor is null)
            {
                // The attribute does not bind yet (being typed, or wrong arguments): the compiler says why.
                incomplete = true;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();

        if (HasMissingName(type))
        {
            // A class being typed without its name yet ("partial class { }"): the compiler reports it.
            return new NetworkParseResult(null, ImmutableArray<SpecDiagnostic>.Empty, networkAttribute, inputs.FirstOrDefault(), layerAttributes.ToImmutable());
        }

        // [Network] settings first: the precision decides which constants are finite (NG0008).
        var settings = ParseNetworkSettings(networkAttribute, diagnostics, cancellationToken);
        if (settings is null)
        {
            incomplete = true;
        }

        Precision precision = settings?.Precision ?? Precision.Single;

        CheckTypeShape(type, typeLocation, diagnostics);
        CheckPartial(type, diagnostics, cancellationToken);
        CheckSingleDeclaration(type, inputs.Concat(layerAttributes), typeLocation, diagnostics, cancellationToken);

        // [Input]: exactly one, before every [Dense].
        int inputSize = 0;
        AttributeData? input = inputs.FirstOrDefault();
        if (input is null)
        {
            diagnostics.Add(Report(DeclarationDiagnostics.InputMissing, typeLocation, typeName));
        }
        else
        {
            foreach (AttributeData extra in inputs.Skip(1))
            {
                diagnostics.Add(Report(DeclarationDiagnostics.InputRepeated, LocationOf(extra, cancellationToken),
                    typeName, inputs.Count.ToString(CultureInfo.InvariantCulture)));
            }

            AttributeData? denseBeforeInput = DenseBefore(type, input);
            if (denseBeforeInput is not null)
            {
                diagnostics.Add(Report(DeclarationDiagnostics.InputAfterLayer, LocationOf(input, cancellationToken), typeName));
            }

            if (TryGetInt(input, 0, out int size))
            {
                inputSize = size;
                if (size <= 0)
                {
                    diagnostics.Add(Report(DeclarationDiagnostics.InputSizeNotPositive, ArgumentLocation(input, 0, null, cancellationToken),
                        size.ToString(CultureInfo.InvariantCulture)));
                }
            }
            else
            {
                incomplete = true;
            }
        }

        // Layers.
        var layers = new List<LayerSpec>(layerAttributes.Count);
        int position = 0; // layers are numbered by position: [Input] is layer 0 (docs/architecture.md)
        foreach (AttributeData attribute in layerAttributes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            position++;
            LayerSpec? layer = RoleOf(attribute) == AttributeRole.Dense
                ? ParseDense(attribute, position, precision, diagnostics, cancellationToken)
                : ParseDropout(attribute, diagnostics, cancellationToken);
            if (layer is null)
            {
                incomplete = true;
            }
            else
            {
                layers.Add(layer);
            }
        }

        if (!incomplete)
        {
            CheckLayerSequence(typeName, layers, layerAttributes, typeLocation, diagnostics, cancellationToken);
        }

        NetworkSpec? spec = null;
        NetworkPlan? plan = null;
        if (!incomplete && !diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error))
        {
            spec = new NetworkSpec(
                Namespace: type.ContainingNamespace is { IsGlobalNamespace: false } ns ? PlainName(ns) : null,
                TypeName: type.Name,
                TypeKeyword: KeywordOf(type),
                ContainingTypes: new EquatableArray<ContainingTypeSpec>(ContainingTypesOf(type)),
                Precision: settings!.Value.Precision,
                Loss: settings.Value.Loss,
                Optimizer: settings.Value.Optimizer,
                LearningRate: settings.Value.LearningRate,
                Momentum: settings.Value.Momentum,
                Nesterov: settings.Value.Nesterov,
                WeightDecay: settings.Value.WeightDecay,
                InputSize: inputSize,
                Layers: new EquatableArray<LayerSpec>(layers),
                Weights: settings.Value.Weights,
                StandardizeInputs: settings.Value.StandardizeInputs,
                WeightPrecision: settings.Value.WeightPrecision);

            plan = NetworkPlanner.Plan(spec, out PlanTooLarge? tooLarge);
            if (plan is null)
            {
                ReportTooLarge(typeName, tooLarge!, layerAttributes, typeLocation, diagnostics, cancellationToken);
            }
            else
            {
                CheckMemberCollisions(type, plan, diagnostics);
            }

            if (diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error))
            {
                spec = null;
                plan = null;
            }
        }

        return new NetworkParseResult(plan, diagnostics.ToImmutableArray(), networkAttribute, input,
            layerAttributes.ToImmutable());
    }

    private static AttributeRole RoleOf(AttributeData attribute)
    {
        INamedTypeSymbol? type = attribute.AttributeClass;
        if (type is null || type.ContainingNamespace is not { Name: Namespace, ContainingNamespace.IsGlobalNamespace: true })
        {
            return AttributeRole.None;
        }

        return type.Name switch
        {
            "NetworkAttribute" => AttributeRole.Network,
            "InputAttribute" => AttributeRole.Input,
            "DenseAttribute" => AttributeRole.Dense,
            "DropoutAttribute" => AttributeRole.Dropout,
            _ => AttributeRole.None,
        };
    }

    private static AttributeData? DenseBefore(INamedTypeSymbol type, AttributeData input)
    {
        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (ReferenceEquals(attribute, input))
            {
                return null;
            }

            if (RoleOf(attribute) == AttributeRole.Dense)
            {
                return attribute;
            }
        }

        return null;
    }

    private static LayerSpec? ParseDense(AttributeData attribute, int index, Precision precision, List<SpecDiagnostic> diagnostics,
        CancellationToken cancellationToken)
    {
        if (!TryGetInt(attribute, 0, out int units))
        {
            return null;
        }

        if (units <= 0)
        {
            diagnostics.Add(Report(DeclarationDiagnostics.UnitCountNotPositive, ArgumentLocation(attribute, 0, null, cancellationToken),
                index.ToString(CultureInfo.InvariantCulture), units.ToString(CultureInfo.InvariantCulture)));
        }

        int activationValue = 0;
        if (attribute.ConstructorArguments.Length > 1)
        {
            if (!TryGetInt(attribute, 1, out activationValue))
            {
                return null;
            }

            CheckEnum<Activation>(activationValue, "activation", index, ArgumentLocation(attribute, 1, null, cancellationToken), diagnostics);
        }

        var activation = (Activation)activationValue;
        Init init = Init.Default;
        double? alpha = null;
        bool hasBias = true;
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Value.Kind == TypedConstantKind.Error || argument.Value.Value is null)
            {
                return null;
            }

            Location? location = ArgumentLocation(attribute, -1, argument.Key, cancellationToken);
            switch (argument.Key)
            {
                case "Init" when argument.Value.Value is int value:
                    CheckEnum<Init>(value, "Init", index, location, diagnostics);
                    init = (Init)value;
                    break;
                case "Alpha" when argument.Value.Value is double value:
                    CheckFinite(value, "Alpha", index, location, diagnostics, precision);
                    alpha = value;
                    break;
                case "Bias" when argument.Value.Value is bool value:
                    hasBias = value;
                    break;
            }
        }

        return LayerSpec.Dense(units, activation, init, alpha, hasBias);
    }

    private static LayerSpec? ParseDropout(AttributeData attribute, List<SpecDiagnostic> diagnostics, CancellationToken cancellationToken)
    {
        if (attribute.ConstructorArguments.Length < 1 || attribute.ConstructorArguments[0].Value is not double rate)
        {
            return null;
        }

        if (double.IsNaN(rate) || double.IsInfinity(rate))
        {
            // Compared in double in the generated code: only NaN and infinities are unusable.
            diagnostics.Add(Report(DeclarationDiagnostics.DropoutRateNotFinite, ArgumentLocation(attribute, 0, null, cancellationToken),
                rate.ToString(CultureInfo.InvariantCulture)));
        }

        return LayerSpec.Dropout(rate);
    }

    private static (Precision Precision, Loss Loss, Optimizer Optimizer, double LearningRate, double Momentum,
        bool Nesterov, double WeightDecay, string? Weights, bool StandardizeInputs, WeightPrecision WeightPrecision)? ParseNetworkSettings(AttributeData? attribute, List<SpecDiagnostic> diagnostics,
        CancellationToken cancellationToken)
    {
        Precision precision = Precision.Single;
        var constants = new List<(double Value, string What, Location? Location)>();
        Loss loss = Loss.None;
        Optimizer optimizer = Optimizer.Sgd;
        double? learningRate = null, weightDecay = null;
        double momentum = 0;
        bool nesterov = false;
        string? weights = null;
        bool standardizeInputs = false;
        WeightPrecision weightPrecision = WeightPrecision.Full;
        Location? weightPrecisionLocation = null;
        if (attribute is not null)
        {
            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                if (argument.Value.Kind != TypedConstantKind.Error && argument.Value.Value is null && argument.Key == "Weights")
                {
                    continue; // Weights = null: no weights file, as when it is not set
                }

                if (argument.Value.Kind == TypedConstantKind.Error || argument.Value.Value is null)
                {
                    return null;
                }

                Location? location = ArgumentLocation(attribute, -1, argument.Key, cancellationToken);
                object value = argument.Value.Value;
                switch (argument.Key)
                {
                    case "Precision" when value is int v:
                        CheckEnum<Precision>(v, "Precision", null, location, diagnostics);
                        precision = (Precision)v;
                        break;
                    case "Loss" when value is int v:
                        CheckEnum<Loss>(v, "Loss", null, location, diagnostics);
                        loss = (Loss)v;
                        break;
                    case "Optimizer" when value is int v:
                        CheckEnum<Optimizer>(v, "Optimizer", null, location, diagnostics);
                        optimizer = (Optimizer)v;
                        break;
                    case "LearningRate" when value is double v:
                        constants.Add((v, "LearningRate", location));
                        learningRate = v;
                        break;
                    case "Momentum" when value is double v:
                        constants.Add((v, "Momentum", location));
                        momentum = v;
                        break;
                    case "WeightDecay" when value is double v:
                        constants.Add((v, "WeightDecay", location));
                        weightDecay = v;
                        break;
                    case "Nesterov" when value is bool v:
                        nesterov = v;
                        break;
                    case "WeightPrecision" when value is int v:
                        CheckEnum<WeightPrecision>(v, "WeightPrecision", null, location, diagnostics);
                        weightPrecision = (WeightPrecision)v;
                        weightPrecisionLocation = location;
                        break;
                    case "Weights" when value is string v:
                        weights = v; // read and checked by the weights pipeline (docs/shipping.md)
                        break;
                    case "StandardizeInputs" when value is bool v:
                        standardizeInputs = v; // PredictRaw and InputStandardizer (docs/shipping.md)
                        break;
                }
            }
        }

        foreach ((double value, string what, Location? location) in constants)
        {
            CheckFinite(value, what, null, location, diagnostics, precision);
        }

        if (precision == Precision.Double && weightPrecision is WeightPrecision.BFloat16 or WeightPrecision.Int8)
        {
            // The reduced kernels compute in float (NetGen.Numerics.PackedDense.ForwardBFloat16/ForwardInt8).
            diagnostics.Add(Report(DeclarationDiagnostics.ReducedWeightsInDouble, weightPrecisionLocation, weightPrecision.ToString()));
        }

        return (precision, loss, optimizer, learningRate ?? OptimizerCatalog.DefaultLearningRate(optimizer), momentum, nesterov,
            weightDecay ?? OptimizerCatalog.DefaultWeightDecay(optimizer), weights, standardizeInputs, weightPrecision);
    }

    private static void CheckLayerSequence(string typeName, List<LayerSpec> layers, IReadOnlyList<AttributeData> attributes,
        Location? typeLocation, List<SpecDiagnostic> diagnostics, CancellationToken cancellationToken)
    {
        if (!layers.Any(l => l.Kind == LayerKind.Dense))
        {
            diagnostics.Add(Report(DeclarationDiagnostics.NoDenseLayer, typeLocation, typeName));
            return;
        }

        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i].Kind != LayerKind.Dropout)
            {
                continue;
            }

            if (i == layers.Count - 1)
            {
                diagnostics.Add(Report(DeclarationDiagnostics.DropoutLast, LocationOf(attributes[i], cancellationToken), typeName));
            }
            else if (layers[i + 1].Kind == LayerKind.Dropout)
            {
                diagnostics.Add(Report(DeclarationDiagnostics.DropoutTwice, LocationOf(attributes[i + 1], cancellationToken), typeName));
            }
        }
    }

    private static void ReportTooLarge(string typeName, PlanTooLarge tooLarge, IReadOnlyList<AttributeData> layerAttributes,
        Location? typeLocation, List<SpecDiagnostic> diagnostics, CancellationToken cancellationToken)
    {
        Location? location = tooLarge.LayerIndex >= 0 && tooLarge.LayerIndex < layerAttributes.Count
            ? LocationOf(layerAttributes[tooLarge.LayerIndex], cancellationToken)
            : typeLocation;
        diagnostics.Add(Report(DeclarationDiagnostics.NetworkTooLarge, location, typeName, tooLarge.Owner,
            tooLarge.Requested.ToString("N0", CultureInfo.InvariantCulture), tooLarge.ArrayName,
            tooLarge.Total.ToString("N0", CultureInfo.InvariantCulture),
            NetworkPlanner.MaxArrayLength.ToString("N0", CultureInfo.InvariantCulture)));
    }

    private static void CheckTypeShape(INamedTypeSymbol type, Location? location, List<SpecDiagnostic> diagnostics)
    {
        (DiagnosticDescriptor Shape, string Other)? problem = type switch
        {
            { TypeKind: TypeKind.Struct, IsRecord: true } => (DeclarationDiagnostics.ShapeRecordStruct, ""),
            { TypeKind: TypeKind.Struct } => (DeclarationDiagnostics.ShapeStruct, ""),
            { TypeKind: TypeKind.Interface } => (DeclarationDiagnostics.ShapeInterface, ""),
            { TypeKind: not TypeKind.Class } => (DeclarationDiagnostics.ShapeNotClass, ""),
            { IsStatic: true } => (DeclarationDiagnostics.ShapeStatic, ""),
            { TypeParameters.Length: > 0 } => (DeclarationDiagnostics.ShapeGeneric, ""),
            { IsFileLocal: true } => (DeclarationDiagnostics.ShapeFileLocal, ""),
            _ => null,
        };

        if (problem is null && type.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is TypeDeclarationSyntax { ParameterList: not null }))
        {
            problem = (DeclarationDiagnostics.ShapePrimaryConstructor, "");
        }

        for (INamedTypeSymbol? baseType = type.BaseType; problem is null && baseType is not null; baseType = baseType.BaseType)
        {
            if (IsNetworkCandidate(baseType) || baseType.AllInterfaces.Any(IsNetworkInterface))
            {
                problem = (DeclarationDiagnostics.ShapeDerivesFromNetwork, baseType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat));
            }
        }

        if (problem is null && GeneratedMemberNames.Contains(type.Name))
        {
            problem = (DeclarationDiagnostics.ShapeNamedLikeMember, "");
        }

        for (INamedTypeSymbol? outer = type.ContainingType; problem is null && outer is not null; outer = outer.ContainingType)
        {
            if (outer.TypeParameters.Length > 0)
            {
                problem = (DeclarationDiagnostics.ShapeInGenericType, outer.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat));
            }
            else if (outer.TypeKind is not (TypeKind.Class or TypeKind.Struct))
            {
                problem = (DeclarationDiagnostics.ShapeInNonClass, outer.Name);
            }
            else if (outer.IsFileLocal)
            {
                problem = (DeclarationDiagnostics.ShapeInFileLocal, outer.Name);
            }
        }

        if (problem is { } found)
        {
            diagnostics.Add(Report(found.Shape, location, type.Name, found.Other));
        }
    }

    private static bool IsNetworkInterface(INamedTypeSymbol type) =>
        type is { Name: "INeuralNetwork" or "ITrainableNetwork", ContainingNamespace: { Name: Namespace, ContainingNamespace.IsGlobalNamespace: true } };

    /// <summary>Every name NetGen may generate on a network (a class cannot carry any of them: CS0542).</summary>
    private static readonly HashSet<string> GeneratedMemberNames = new(NetworkPlanner.AllMemberNames, StringComparer.Ordinal);

    private static void CheckPartial(INamedTypeSymbol type, List<SpecDiagnostic> diagnostics, CancellationToken cancellationToken)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            foreach (SyntaxReference reference in current.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
                    && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    string where = ReferenceEquals(current, type) ? "" : $" to '{current.Name}', which contains '{type.Name}'";
                    diagnostics.Add(Report(DeclarationDiagnostics.NotPartial, declaration.Identifier.GetLocation(),
                        ReferenceEquals(current, type) ? type.Name : current.Name, where));
                    return;
                }
            }
        }
    }

    private static void CheckSingleDeclaration(INamedTypeSymbol type, IEnumerable<AttributeData> layerAttributes, Location? location,
        List<SpecDiagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var declarations = new HashSet<(SyntaxTree, int)>();
        foreach (AttributeData attribute in layerAttributes)
        {
            SyntaxNode? declaration = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).Parent?.Parent;
            if (declaration is not null)
            {
                declarations.Add((declaration.SyntaxTree, declaration.SpanStart));
            }
        }

        if (declarations.Count > 1)
        {
            diagnostics.Add(Report(DeclarationDiagnostics.LayersSpreadOverDeclarations, location, type.Name,
                declarations.Count.ToString(CultureInfo.InvariantCulture)));
        }
    }

    private static void CheckMemberCollisions(INamedTypeSymbol type, NetworkPlan plan, List<SpecDiagnostic> diagnostics)
    {
        foreach (string name in plan.MemberNames)
        {
            ISymbol? member = type.GetMembers(name).FirstOrDefault(m => !m.IsImplicitlyDeclared && IsDeclaredByUser(m));
            if (member is not null)
            {
                diagnostics.Add(Report(DeclarationDiagnostics.MemberNameCollision, member.Locations.FirstOrDefault(), type.Name, name));
                continue;
            }

            // An inherited member of that name would be hidden (CS0108 in the generated file, an error under TreatWarningsAsErrors).
            for (INamedTypeSymbol? baseType = type.BaseType; baseType is not null && baseType.SpecialType != SpecialType.System_Object; baseType = baseType.BaseType)
            {
                if (baseType.GetMembers(name).Any(m => !m.IsImplicitlyDeclared && m.DeclaredAccessibility != Accessibility.Private))
                {
                    diagnostics.Add(Report(DeclarationDiagnostics.MemberNameCollision, type.Locations.FirstOrDefault(), type.Name,
                        $"{name}' (inherited from '{baseType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)}"));
                    break;
                }
            }
        }

        foreach (IMethodSymbol constructor in type.InstanceConstructors)
        {
            if (constructor.IsImplicitlyDeclared || !IsDeclaredByUser(constructor))
            {
                continue;
            }

            bool collides = constructor.Parameters.Length == 0
                || (constructor.Parameters.Length == 1 && constructor.Parameters[0].Type.SpecialType == SpecialType.System_Int32);
            if (collides)
            {
                string signature = constructor.Parameters.Length == 0 ? $"{type.Name}()" : $"{type.Name}(int)";
                diagnostics.Add(Report(DeclarationDiagnostics.MemberNameCollision, constructor.Locations.FirstOrDefault(), type.Name,
                    $"constructor {signature}"));
            }
        }
    }

    /// <summary>The file name every NetGen output ends with (<c>Namespace.Type.NetGen.g.cs</c>).</summary>
    public const string GeneratedFileSuffix = ".NetGen.g.cs";

    /// <summary>The file name the embedded weights of <c>[Network(Weights = ...)]</c> end with (<c>Namespace.Type.NetGen.Weights.g.cs</c>).</summary>
    public const string GeneratedWeightsFileSuffix = ".NetGen.Weights.g.cs";

    /// <summary>The file name the members of <c>[Network(StandardizeInputs = true)]</c> end with (<c>Namespace.Type.NetGen.Standardizer.g.cs</c>).</summary>
    public const string GeneratedStandardizerFileSuffix = ".NetGen.Standardizer.g.cs";

    /// <summary>
    /// Declared in source other than NetGen's own output. The generator never sees its output, so this only matters to
    /// the analyzers, which read the compilation after generation, where the generated members already exist.
    /// </summary>
    private static bool IsDeclaredByUser(ISymbol member) =>
        member.Locations.Any(l => l.IsInSource && l.SourceTree?.FilePath is { } path
            && !path.EndsWith(GeneratedFileSuffix, StringComparison.Ordinal) && !path.EndsWith(GeneratedWeightsFileSuffix, StringComparison.Ordinal)
            && !path.EndsWith(GeneratedStandardizerFileSuffix, StringComparison.Ordinal));

    private static bool TryGetInt(AttributeData attribute, int index, out int value)
    {
        value = 0;
        if (attribute.ConstructorArguments.Length <= index)
        {
            return false;
        }

        TypedConstant argument = attribute.ConstructorArguments[index];
        if (argument.Kind == TypedConstantKind.Error || argument.Value is not int number)
        {
            return false;
        }

        value = number;
        return true;
    }

    /// <summary>NG0008 for an enum value with no member: <paramref name="argument"/> of dense layer <paramref name="layer"/>, or of [Network] (null).</summary>
    private static void CheckEnum<TEnum>(int value, string argument, int? layer, Location? location, List<SpecDiagnostic> diagnostics)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(typeof(TEnum), value))
        {
            string number = value.ToString(CultureInfo.InvariantCulture), members = string.Join(", ", Enum.GetNames(typeof(TEnum)));
            diagnostics.Add(layer is { } n
                ? Report(DeclarationDiagnostics.LayerEnumUndefined, location, argument, n.ToString(CultureInfo.InvariantCulture), typeof(TEnum).Name, number, members)
                : Report(DeclarationDiagnostics.SettingEnumUndefined, location, argument, number, members));
        }
    }

    /// <summary>
    /// NG0008 for a constant that is not finite in the type the code computes it in: NaN and infinities always, and
    /// for <see cref="Precision.Single"/> a double beyond float's range (1e308 would print as float infinity).
    /// </summary>
    private static void CheckFinite(double value, string argument, int? layer, Location? location, List<SpecDiagnostic> diagnostics, Precision precision)
    {
        bool notFinite = double.IsNaN(value) || double.IsInfinity(value);
        if (!notFinite && (precision != Precision.Single || !float.IsInfinity((float)value)))
        {
            return;
        }

        string text = value.ToString(notFinite ? "G" : "R", CultureInfo.InvariantCulture);
        diagnostics.Add(layer is { } n
            ? Report(notFinite ? DeclarationDiagnostics.LayerValueNotFinite : DeclarationDiagnostics.LayerValueBeyondFloat, location,
                argument, n.ToString(CultureInfo.InvariantCulture), text)
            : Report(notFinite ? DeclarationDiagnostics.SettingNotFinite : DeclarationDiagnostics.SettingBeyondFloat, location, argument, text));
    }

    /// <summary>Whether the type, or a type containing it, has no name yet (a declaration being typed).</summary>
    private static bool HasMissingName(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (string.IsNullOrEmpty(current.Name))
            {
                return true;
            }

            foreach (SyntaxReference reference in current.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is BaseTypeDeclarationSyntax { Identifier.IsMissing: true })
                {
                    return true;
                }
            }
        }

        for (INamespaceSymbol? ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            if (string.IsNullOrEmpty(ns.Name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A namespace's dotted name without '@' (printing escapes it again: <see cref="NetworkSpec.NamespaceIdentifier"/>).</summary>
    private static string PlainName(INamespaceSymbol ns)
    {
        var parts = new List<string>();
        for (INamespaceSymbol? current = ns; current is { IsGlobalNamespace: false }; current = current.ContainingNamespace)
        {
            parts.Add(current.Name);
        }

        parts.Reverse();
        return string.Join(".", parts);
    }

    private static string KeywordOf(INamedTypeSymbol type) => (type.IsRecord, type.TypeKind) switch
    {
        (true, TypeKind.Struct) => "record struct",
        (true, _) => "record",
        (false, TypeKind.Struct) => "struct",
        (false, TypeKind.Interface) => "interface",
        _ => "class",
    };

    private static IEnumerable<ContainingTypeSpec> ContainingTypesOf(INamedTypeSymbol type)
    {
        var chain = new List<ContainingTypeSpec>();
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            chain.Add(new ContainingTypeSpec(KeywordOf(outer), outer.Name));
        }

        chain.Reverse();
        return chain;
    }

    /// <summary>Where an attribute is written, or null for one from metadata.</summary>
    public static Location? LocationOf(AttributeData attribute, CancellationToken cancellationToken) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation();

    /// <summary>
    /// The location of one argument of an attribute: the <paramref name="position"/>-th positional argument, or the
    /// named argument <paramref name="name"/>. Falls back to the whole attribute.
    /// </summary>
    public static Location? ArgumentLocation(AttributeData attribute, int position, string? name, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
        {
            return null;
        }

        SeparatedSyntaxList<AttributeArgumentSyntax> arguments = syntax.ArgumentList?.Arguments ?? default;
        if (name is not null)
        {
            AttributeArgumentSyntax? named = arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);
            return (named ?? (SyntaxNode)syntax).GetLocation();
        }

        int positional = 0;
        foreach (AttributeArgumentSyntax argument in arguments)
        {
            if (argument.NameEquals is not null)
            {
                continue;
            }

            if (positional++ == position)
            {
                return argument.GetLocation();
            }
        }

        return syntax.GetLocation();
    }

    private static SpecDiagnostic Report(DiagnosticDescriptor descriptor, Location? location, params string[] arguments) =>
        new(descriptor, location, arguments.ToImmutableArray());
}
