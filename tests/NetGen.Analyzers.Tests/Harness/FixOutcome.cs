using System.Linq;

namespace NetGen.Analyzers.Tests.Harness;

/// <summary>A document before and after a code fix, both analysed.</summary>
public sealed record FixOutcome(AnalysisResult Before, AnalysisResult After, string FixedSource)
{
    /// <summary>
    /// The fixed source is <paramref name="expected"/>, it compiles, no <paramref name="id"/> is left, and no diagnostic appears
    /// that was not there before (no ID is reported more often than before).
    /// </summary>
    public void AssertFixed(string expected, string id)
    {
        Assert.Equal(expected.ReplaceLineEndings("\n"), FixedSource.ReplaceLineEndings("\n"));
        After.AssertCompiles();
        Assert.True(!After.WithId(id).Any(), $"{id} is still reported:\n{After.Describe()}");
        foreach (var group in After.NetGen.GroupBy(d => d.Id))
        {
            int before = Before.WithId(group.Key).Count();
            Assert.True(group.Count() <= before, $"The fix introduced {group.Key}:\n{After.Describe()}");
        }
    }
}
