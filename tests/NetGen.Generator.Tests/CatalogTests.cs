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
    public void EveryActivationHasItsSharedFactsAtItsValueAndTheCatalogReadsThem()
    {
        G.Activation[] members = Enum.GetValues<G.Activation>();
        Assert.Equal(members.Length, ActivationTable.All.Count);
        foreach (G.Activation member in members)
        {
            Assert.Equal(member, ActivationTable.Of(member).Kind);
            Assert.Same(ActivationTable.Of(member), ActivationCatalog.Of(member).Facts);
        }
    }

    /// <summary>The double-precision formulas at points whose values are known (computed apart, with Python's math module).</summary>
    [Theory]
    [InlineData(NetGen.Activation.Linear, 0, 3.0, 3.0)]
    [InlineData(NetGen.Activation.Sigmoid, 0, 1.0, 0.7310585786300049)]
    [InlineData(NetGen.Activation.Tanh, 0, 0.5, 0.46211715726000974)]
    [InlineData(NetGen.Activation.ReLU, 0, -1.0, 0.0)]
    [InlineData(NetGen.Activation.LeakyReLU, 0.1, -2.0, -0.2)]
    [InlineData(NetGen.Activation.PReLU, 0.25, -2.0, -0.5)]
    [InlineData(NetGen.Activation.ELU, 1.0, -1.0, -0.6321205588285577)]
    [InlineData(NetGen.Activation.SELU, 0, 1.0, 1.0507009873554805)]
    [InlineData(NetGen.Activation.Softplus, 0, 0.0, 0.6931471805599453)]
    [InlineData(NetGen.Activation.Softplus, 0, 30.0, 30.0)]
    [InlineData(NetGen.Activation.GELU, 0, 1.0, 0.8411919906082768)]
    [InlineData(NetGen.Activation.SiLU, 0, 1.0, 0.7310585786300049)]
    [InlineData(NetGen.Activation.PiecewiseLinear, 0, 0.25, 0.75)]
    [InlineData(NetGen.Activation.Step, 0, 0.0, 0.5)]
    [InlineData(NetGen.Activation.Sign, 0, -3.0, -1.0)]
    public void TheSharedReferenceFormulasGiveKnownValues(NetGen.Activation activation, double alpha, double z, double expected) =>
        Assert.Equal(expected, ActivationTable.Of((G.Activation)activation).Reference!(z, alpha), 1e-15);

    [Fact]
    public void OnlyTheRowWiseActivationHasNoReferenceFormulaAndOnlyTheProbabilityPairsFuse()
    {
        foreach (ActivationFacts facts in ActivationTable.All)
        {
            Assert.Equal(facts.NormalisesRow, facts.Reference is null);
        }

        Assert.Equal(G.Activation.Sigmoid, LossCatalog.Of(G.Loss.BinaryCrossEntropy)!.FusesWith);
        Assert.Equal(G.Activation.Softmax, LossCatalog.Of(G.Loss.CrossEntropy)!.FusesWith);
        Assert.Null(LossCatalog.Of(G.Loss.MeanSquaredError)!.FusesWith);
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
