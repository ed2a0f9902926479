using System.IO;

namespace NetGen;

/// <summary>
/// How many values an import may still read. Loading into a network allows its parameter count, so that a file which
/// declares more values than the network could take fails before anything is allocated for them.
/// </summary>
internal sealed class ImportBudget
{
    private readonly long _limit;
    private readonly long _standardizer;
    private readonly string? _networkName;

    private ImportBudget(long limit, string? networkName, long standardizer = 0)
    {
        _limit = limit;
        _standardizer = standardizer;
        _networkName = networkName;
        Remaining = limit + standardizer;
    }

    /// <summary>No limit but the input's own length (the <c>Read*</c> methods, which know no network).</summary>
    public static ImportBudget Unlimited => new(long.MaxValue, null);

    public long Remaining { get; private set; }

    public bool IsLimited => _networkName is not null;

    /// <summary>Where the limit comes from, for messages.</summary>
    public string Describe() => _networkName is null ? "the input allows" : $"'{_networkName}' with {_limit} parameters{Room} ({Remaining} not yet filled) can use";

    /// <summary>
    /// The values a file for a network of <paramref name="parameterCount"/> parameters may hold: those, and the means and
    /// deviations of a standardizer for its <paramref name="inputSize"/> inputs (tensors <c>netgen.standardizer.*</c>).
    /// </summary>
    public static ImportBudget For(string networkName, int parameterCount, int inputSize) => new(parameterCount, networkName, 2L * inputSize);

    private string Room => _standardizer == 0 ? "" : $" and room for a standardizer of {_standardizer / 2} features";

    /// <summary>Takes <paramref name="values"/> for tensor <paramref name="tensor"/> of <paramref name="source"/>, or throws.</summary>
    public void Take(long values, string tensor, string source)
    {
        if (values > Remaining)
        {
            throw new InvalidDataException(
                $"{source}: tensor '{tensor}' holds {values} values, but '{_networkName}' has {_limit} parameters{Room}, and " +
                $"{_limit + _standardizer - Remaining} values are taken by earlier tensors; the file does not fit this network.");
        }

        Remaining -= values;
    }
}
