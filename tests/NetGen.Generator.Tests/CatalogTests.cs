using System;
using System.Linq;
using NetGen.SourceGeneration;
using G = NetGen.SourceGeneration;

namespace NetGen.Generator.Tests;

/// <summary>The catalog covers every enum member, and the generator's enums are the runtime's.</summary>
public class CatalogTests
{
    [Fact]
    public void EveryActivationHasItsEntryAtItsValue()
    {
        G.Activation[] members = Enum.GetValues<G.Activation>();
        Assert.Equal(members.Length, ActivationCatalog.All.Count);
        foreach (G.Activation member in members)
        {
            Assert.Equal(member, ActivationCatalog.Of(member).Kind);
            Assert.Same(ActivationCatalog.All[(int)member], ActivationCatalog.Of(member));
        }
    }

    [Fact]
    public void EveryLossButNoneHasAnEntryAndEveryEntryThatFusesHasAFusedForm()
    {
        foreach (G.Loss member in Enum.GetValues<G.Loss>())
        {
            LossEntry? entry = LossCatalog.Of(member);
            Assert.Equal(member == G.Loss.None, entry is null);
            if (entry is not null)
            {
                Assert.Equal(member, entry.Kind);
                Assert.Equal(entry.FusesWith is not null, entry.Fused is not null);
            }
        }
    }

    [Fact]
    public void TheGeneratorsEnumsAreTheRuntimesByNameAndValue()
    {
        AssertSame<NetGen.Activation, G.Activation>();
        AssertSame<NetGen.Init, G.Init>();
        AssertSame<NetGen.Loss, G.Loss>();
        AssertSame<NetGen.Optimizer, G.Optimizer>();
        AssertSame<NetGen.Precision, G.Precision>();
        AssertSame<NetGen.LayerKind, G.LayerKind>();
    }

    [Fact]
    public void ElementwiseDerivativesHaveATemplateAndEveryEntryThatReadsZSaysSo()
    {
        foreach (ActivationEntry entry in ActivationCatalog.All)
        {
            Assert.Equal(entry.Backward == BackwardForm.Elementwise, entry.Derivative is not null);
            Assert.Equal(entry.IsIdentity || entry.NormalisesRow, entry.Forward is null);
            if (entry.Derivative is { } derivative)
            {
                string code = derivative(new Operands(ScalarType.Single, "ZZ", "YY", "AA"));
                Assert.Equal(code.Contains("ZZ", StringComparison.Ordinal), (entry.DerivativeReads & Reads.Z) != 0);
                Assert.Equal(code.Contains("YY", StringComparison.Ordinal), (entry.DerivativeReads & Reads.Y) != 0);
            }
        }
    }

    private static void AssertSame<TRuntime, TGenerator>()
        where TRuntime : struct, Enum
        where TGenerator : struct, Enum
    {
        Assert.Equal(
            Enum.GetNames<TRuntime>().Select(n => (n, Convert.ToInt32(Enum.Parse<TRuntime>(n)))),
            Enum.GetNames<TGenerator>().Select(n => (n, Convert.ToInt32(Enum.Parse<TGenerator>(n)))));
        Assert.NotEqual(typeof(TRuntime).Assembly, typeof(TGenerator).Assembly);
    }
}
