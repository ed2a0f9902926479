using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.SourceGeneration.Weights;

/// <summary>A network that names a weights file: where the file should be (normalised) and the plan it must fit.</summary>
internal sealed record WeightsRequest(string Key, string HintName, string DeclaredPath, string ResolvedPath, NetworkPlan Plan);

/// <summary>
/// One weights file read from disk, compared by path and content hash only, so the steps after it stay cached while the
/// file is unchanged and comparing two loads does not walk megabytes of values.
/// </summary>
internal sealed class LoadedWeightsFile : IEquatable<LoadedWeightsFile>
{
    public LoadedWeightsFile(string path, string contentHash, WeightFileContents? contents, string? error)
    {
        Path = path;
        ContentHash = contentHash;
        Contents = contents;
        Error = error;
    }

    public string Path { get; }

    /// <summary>SHA-256 of the file's bytes, in hex.</summary>
    public string ContentHash { get; }

    public WeightFileContents? Contents { get; }

    /// <summary>Why the file cannot be used, as the end of a sentence that starts "The weights file 'x' of 'Net' ...".</summary>
    public string? Error { get; }

    public bool Equals(LoadedWeightsFile? other) =>
        other is not null && Path == other.Path && ContentHash == other.ContentHash && Error == other.Error;

    public override bool Equals(object? obj) => Equals(obj as LoadedWeightsFile);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Path) ^ StringComparer.Ordinal.GetHashCode(ContentHash);
}

/// <summary>
/// A file some network names, and how many bytes reading it may take: what the largest network naming it can use
/// (<see cref="WeightsPipeline.Budget"/>). The file may not be longer, nor an <c>.npz</c> decompress to more.
/// </summary>
internal readonly record struct WantedFile(string Path, long Budget);

/// <summary>A request and the AdditionalFiles item it names (null: none matched).</summary>
internal sealed record WeightsMatch(WeightsRequest Request, LoadedWeightsFile? File);

/// <summary>
/// What one network's weights produce: the weights file's source, or the NG0010/NG0013 that says why not. The
/// diagnostic's location is the file; <see cref="WeightsArgument"/> moves it onto the declaration when it is reported.
/// </summary>
internal sealed record WeightsOutput(string Key, string HintName, string? Source, DiagnosticInfo? Diagnostic);

/// <summary>
/// Where a network's <c>Weights = "..."</c> argument is written. Kept out of <see cref="WeightsRequest"/>: it moves with
/// every edit above the attribute, and only reporting a diagnostic needs it, so reading and placing the weights stay cached.
/// </summary>
internal sealed record WeightsArgument(string Key, LocationInfo Location)
{
    public static WeightsArgument? Of(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type)
        {
            return null;
        }

        foreach (AttributeData attribute in context.Attributes)
        {
            if (attribute.NamedArguments.Any(static argument => argument.Key == "Weights")
                && LocationInfo.From(NetworkParser.ArgumentLocation(attribute, -1, "Weights", cancellationToken)) is { } location)
            {
                return new WeightsArgument(NetworkModelBuilder.KeyOf(type), location);
            }
        }

        return null;
    }
}

/// <summary>
/// The weights pipeline (docs/shipping.md): networks with <c>[Network(Weights = ...)]</c>, the AdditionalFiles items they
/// name (read once per content change), and a weights file per network. An edit that touches neither the network nor its
/// file leaves every step cached; a changed file regenerates only the networks that name it.
/// </summary>
internal static class WeightsPipeline
{
    /// <summary>The MSBuild property (made compiler-visible by the package's build props) that relative paths start from.</summary>
    public const string ProjectDirectoryProperty = "build_property.MSBuildProjectDirectory";

    private const string RelativePrefix = "relative:";

    public static class Steps
    {
        public const string Requests = "NetGen.WeightsRequests";
        public const string Files = "NetGen.WeightsFiles";
        public const string Matches = "NetGen.WeightsMatches";
        public const string Outputs = "NetGen.Weights";
        public const string Arguments = "NetGen.WeightsArguments";
    }

    public static void Register(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<NetworkModel> networks)
    {
        IncrementalValueProvider<string?> projectDirectory = context.AnalyzerConfigOptionsProvider.Select(static (options, _) =>
            options.GlobalOptions.TryGetValue(ProjectDirectoryProperty, out string? directory) && !string.IsNullOrWhiteSpace(directory) ? directory : null);

        IncrementalValuesProvider<WeightsRequest> requests = networks
            .Where(static model => model.Plan?.Spec.Weights is not null)
            .Combine(projectDirectory)
            .Select(static (pair, _) =>
            {
                NetworkModel model = pair.Left;
                string declared = model.Plan!.Spec.Weights!;
                return new WeightsRequest(model.Key, WeightsHintName(model.HintName), declared, Resolve(pair.Right, declared), model.Plan);
            })
            .WithTrackingName(Steps.Requests);

        IncrementalValueProvider<EquatableArray<WantedFile>> wanted = requests
            .Select(static (request, _) => new WantedFile(request.ResolvedPath, Budget(request.Plan)))
            .Collect()
            .Select(static (files, _) => new EquatableArray<WantedFile>(files
                .GroupBy(f => f.Path, StringComparer.Ordinal)
                .Select(g => new WantedFile(g.Key, g.Max(f => f.Budget)))
                .OrderBy(f => f.Path, StringComparer.Ordinal)));

        // Only AdditionalFiles items that some network names are read; each is read again only when it changes.
        IncrementalValuesProvider<LoadedWeightsFile> files = context.AdditionalTextsProvider
            .Combine(wanted)
            .Select(static (pair, cancellationToken) =>
            {
                WantedFile? wantedFile = pair.Right.Select(f => (WantedFile?)f).FirstOrDefault(f => Matches(pair.Left.Path, f!.Value.Path));
                return wantedFile is not { } file ? null : Load(pair.Left.Path, file.Path, file.Budget, cancellationToken);
            })
            .Where(static file => file is not null)
            .Select(static (file, _) => file!)
            .WithTrackingName(Steps.Files);

        IncrementalValuesProvider<WeightsMatch> matches = requests
            .Combine(files.Collect())
            .Select(static (pair, _) => new WeightsMatch(pair.Left, pair.Right.FirstOrDefault(file => file.Path == pair.Left.ResolvedPath)))
            .WithTrackingName(Steps.Matches);

        IncrementalValuesProvider<WeightsOutput> outputs = matches
            .Select(static (match, cancellationToken) => Build(match, cancellationToken))
            .WithTrackingName(Steps.Outputs);

        context.RegisterSourceOutput(outputs.Where(static result => result.Source is not null),
            static (output, result) => output.AddSource(result.HintName, result.Source!));

        // A file that cannot be compiled in is reported at the Weights argument that names it, where the user fixes it;
        // only this step runs again when the argument moves.
        IncrementalValuesProvider<WeightsArgument> arguments = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.NetworkAttributeName,
                predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax,
                transform: static (attributeContext, cancellationToken) => WeightsArgument.Of(attributeContext, cancellationToken))
            .Where(static argument => argument is not null)
            .Select(static (argument, _) => argument!)
            .WithTrackingName(Steps.Arguments);

        context.RegisterSourceOutput(outputs.Where(static result => result.Diagnostic is not null).Combine(arguments.Collect()), static (output, pair) =>
        {
            DiagnosticInfo diagnostic = pair.Left.Diagnostic!;
            LocationInfo? argument = pair.Right.FirstOrDefault(a => a.Key == pair.Left.Key)?.Location;
            output.ReportDiagnostic((argument is null ? diagnostic : diagnostic with { Location = argument }).ToDiagnostic());
        });
    }

    /// <summary>
    /// <c>Namespace.Type.NetGen.Weights.g.cs</c>, beside the network's <c>Namespace.Type.NetGen.g.cs</c>; unique ignoring
    /// case because the networks' hint names are (<see cref="HintNames.MakeUnique"/>).
    /// </summary>
    public static string WeightsHintName(string networkHintName) =>
        networkHintName.EndsWith(NetworkParser.GeneratedFileSuffix, StringComparison.Ordinal)
            ? networkHintName.Substring(0, networkHintName.Length - ".g.cs".Length) + ".Weights.g.cs"
            : networkHintName + ".Weights.g.cs";

    private static WeightsOutput Build(WeightsMatch match, CancellationToken cancellationToken)
    {
        WeightsRequest request = match.Request;
        string network = request.Plan.Spec.FullName;
        if (match.File is null)
        {
            string listed = $"add <AdditionalFiles Include=\"{request.DeclaredPath}\" /> to the project";
            return Fail(WeightsDiagnostics.FileUnavailable, request.DeclaredPath, network,
                Exists(request.ResolvedPath)
                    ? $"is not an AdditionalFiles item of the project; {listed}"
                    : $"does not exist ({Shown(request.ResolvedPath)}); the path is relative to the project file, and the file must be an AdditionalFiles item ({listed})");
        }

        if (match.File.Error is not null || match.File.Contents is null)
        {
            return Fail(WeightsDiagnostics.FileUnavailable, request.DeclaredPath, network, match.File.Error ?? "cannot be read");
        }

        double[]? values;
        string? problem;
        List<(string Tensor, string Shape, int Offset, string Where)> placed;
        try
        {
            values = WeightsEmitter.Place(request.Plan, match.File.Contents, out problem, out placed);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Fail(WeightsDiagnostics.FileUnavailable, request.DeclaredPath, network, UnexpectedFailure(e));
        }

        if (values is null)
        {
            return Fail(WeightsDiagnostics.DoesNotFit, request.DeclaredPath, network, problem!);
        }

        (double[] Means, double[] Deviations)? standardizer = null;
        if (request.Plan.Spec.StandardizeInputs)
        {
            standardizer = WeightsEmitter.Standardizer(request.Plan, match.File.Contents, out problem);
            if (problem is not null)
            {
                return Fail(WeightsDiagnostics.DoesNotFit, request.DeclaredPath, network, problem);
            }

            if (standardizer is null)
            {
                return Fail(WeightsDiagnostics.StandardizerMissing, request.DeclaredPath, network, WeightsDiagnostics.NoStandardizerIn(match.File.Contents));
            }
        }

        string source = WeightsEmitter.Emit(request.Plan, Path.GetFileName(request.DeclaredPath), match.File.Contents.Format,
            match.File.ContentHash, values, placed, cancellationToken, standardizer);
        return new WeightsOutput(request.Key, request.HintName, source, null);

        WeightsOutput Fail(DiagnosticDescriptor descriptor, params string[] arguments)
        {
            // The file: where the diagnostic is reported only if the Weights argument cannot be found (see Register).
            string where = request.ResolvedPath.StartsWith(RelativePrefix, StringComparison.Ordinal) ? request.DeclaredPath : request.ResolvedPath;
            var location = new LocationInfo(where, default(TextSpan), default(LinePositionSpan));
            return new WeightsOutput(request.Key, request.HintName, null, new DiagnosticInfo(descriptor, location, new EquatableArray<string>(arguments)));
        }
    }

    private static string Shown(string resolved) =>
        resolved.StartsWith(RelativePrefix, StringComparison.Ordinal) ? "no AdditionalFiles item ends with " + resolved.Substring(RelativePrefix.Length) : "looked for " + resolved;

#pragma warning disable RS1035 // Banned analyzer APIs: the bytes of a binary AdditionalFiles item are read from its path, because
    // AdditionalText offers only decoded text. The compiler tracks the item as an input, and the read is keyed by its content hash.
    private static LoadedWeightsFile Load(string path, string resolved, long budget, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            long length = new FileInfo(path).Length;
            if (length > budget)
            {
                return new LoadedWeightsFile(resolved, "", null,
                    $"is {length} bytes long, more than a weights file for the networks that name it can be ({budget} bytes: 8 per parameter and 16 MiB for headers)");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return new LoadedWeightsFile(resolved, "", null, $"cannot be read: {e.Message}");
        }

        cancellationToken.ThrowIfCancellationRequested();
        string hash;
        using (var sha = SHA256.Create())
        {
            hash = string.Concat(sha.ComputeHash(bytes).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        }

        try
        {
            return new LoadedWeightsFile(resolved, hash, WeightFileReader.Read(bytes, path, budget), null);
        }
        catch (InvalidDataException e)
        {
            return new LoadedWeightsFile(resolved, hash, null, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The readers report every defect as InvalidDataException (the fuzz tests check it); anything else is a bug in
            // them, reported as NG0010 rather than as a generator crash (CS8785) that would drop every network's code.
            return new LoadedWeightsFile(resolved, hash, null, UnexpectedFailure(e));
        }
    }

    /// <summary>
    /// The most bytes a weights file for <paramref name="plan"/> may have, or an <c>.npz</c> may decompress to: 8 per
    /// parameter (doubles) and 16 MiB for headers, names and graph structure.
    /// </summary>
    internal static long Budget(NetworkPlan plan) => (8L * plan.ParameterCount) + (16L << 20);

    /// <summary>The end of an NG0010 message for an exception that no reader should throw.</summary>
    internal static string UnexpectedFailure(Exception e) =>
        $"could not be read: NetGen's reader failed with {e.GetType().Name} ({e.Message}); this is a NetGen bug, please report it with the file";

    private static bool Exists(string resolved) => !resolved.StartsWith(RelativePrefix, StringComparison.Ordinal) && File.Exists(resolved);
#pragma warning restore RS1035

    private static string Resolve(string? projectDirectory, string declared)
    {
        string path = declared.Replace('\\', '/');
        if (Path.IsPathRooted(path))
        {
            return Normalise(path);
        }

        return projectDirectory is null ? RelativePrefix + Normalise(path) : Normalise(projectDirectory.Replace('\\', '/').TrimEnd('/') + "/" + path);
    }

    private static bool Matches(string additionalFilePath, string resolved)
    {
        string path = Normalise(additionalFilePath.Replace('\\', '/'));
        return resolved.StartsWith(RelativePrefix, StringComparison.Ordinal)
            ? path.EndsWith("/" + resolved.Substring(RelativePrefix.Length), StringComparison.Ordinal)
            : string.Equals(path, resolved, StringComparison.Ordinal);
    }

    /// <summary>Removes <c>.</c> and <c>..</c> segments and doubled separators, without touching the file system.</summary>
    private static string Normalise(string path)
    {
        bool rooted = path.StartsWith("/", StringComparison.Ordinal);
        var parts = new List<string>();
        foreach (string part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == ".." && parts.Count > 0 && parts[parts.Count - 1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        return (rooted ? "/" : "") + string.Join("/", parts);
    }
}
