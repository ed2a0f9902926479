using System.Collections.Generic;

namespace NetGen.SourceGeneration;

/// <summary>
/// The helpers the kernels of one network call, collected while the emitter writes them and printed once each at the
/// end of the kernels class, in the catalog's order (as the Regex generator collects its RequiredHelpers).
/// </summary>
internal sealed class RequiredHelpers
{
    private readonly SortedDictionary<int, HelperCode> _helpers = new();

    public void Add(HelperCode helper) => _helpers[helper.Order] = helper;

    public void Add(IEnumerable<HelperCode> helpers)
    {
        foreach (HelperCode helper in helpers)
        {
            Add(helper);
        }
    }

    public void Write(SourceWriter w, ScalarType scalar)
    {
        foreach (HelperCode helper in _helpers.Values)
        {
            w.Line();
            w.Lines(helper.Code(scalar));
        }
    }
}
