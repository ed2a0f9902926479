using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Tests.Infrastructure;

namespace NetGen.Generator.Tests;

/// <summary>Declarations that cannot become code get an NG00xx error on the right span, and no output.</summary>
public class DeclarationErrorTests
{
    private static void AssertError(string body, string id, string spanText, string? messagePart = null)
    {
        string source = "using NetGen;\n\n" + body;
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(spanText, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Equal($"https://github.com/netgen-dev/netgen/blob/main/docs/diagnostics/{id}.md", diagnostic.Descriptor.HelpLinkUri);
        if (messagePart is not null)
        {
            Assert.Contains(messagePart, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Empty(run.Sources);
        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Id == "CS8785");
    }

    [Fact]
    public void NotPartial() =>
        AssertError("[Input(2)] [Dense(1)] public class Net { }", "NG0001", "Net", "add the 'partial' modifier");

    [Fact]
    public void ContainingTypeNotPartial() =>
        AssertError("public class Outer { [Input(2)] [Dense(1)] public partial class Net { } }", "NG0001", "Outer", "'Outer', which contains 'Net'");

    [Fact]
    public void NoInput() =>
        AssertError("[Dense(4)] public partial class Net { }", "NG0002", "Net", "has no [Input(size)]");

    [Fact]
    public void TwoInputs() =>
        AssertError("[Input(2)] [Input(3)] [Dense(1)] public partial class Net { }", "NG0002", "Input(3)", "2 [Input] attributes");

    [Fact]
    public void DenseBeforeInput() =>
        AssertError("[Dense(4)] [Input(2)] [Dense(1)] public partial class Net { }", "NG0002", "Input(2)", "must come before the layers");

    [Fact]
    public void NoDense() =>
        AssertError("[Network] [Input(2)] public partial class Net { }", "NG0003", "Net", "no [Dense] layer");

    [Fact]
    public void ZeroUnits() =>
        AssertError("[Input(2)] [Dense(0)] public partial class Net { }", "NG0004", "0", "The unit count of dense layer 1 is 0");

    [Fact]
    public void NegativeInputSize() =>
        AssertError("[Input(-5)] [Dense(1)] public partial class Net { }", "NG0004", "-5", "The input size is -5");

    [Fact]
    public void LayersOnTwoPartialDeclarations() =>
        AssertError("[Input(2)] [Dense(3)] public partial class Net { }\n[Dense(1)] public partial class Net { }", "NG0005", "Net", "2 partial declarations");

    [Fact]
    public void GenericClass() =>
        AssertError("[Input(2)] [Dense(1)] public partial class Net<T> { }", "NG0006", "Net", "it is generic");

    [Fact]
    public void NestedInGeneric() =>
        AssertError("public partial class Outer<T> { [Input(2)] [Dense(1)] public partial class Net { } }", "NG0006", "Net", "nested in the generic type 'Outer<T>'");

    [Fact]
    public void StaticClass() =>
        AssertError("[Input(2)] [Dense(1)] public static partial class Net { }", "NG0006", "Net", "it is static");

    [Fact]
    public void Struct() =>
        AssertError("[Input(2)] [Dense(1)] public partial struct Net { }", "NG0006", "Net", "it is a struct");

    [Fact]
    public void RecordStruct() =>
        AssertError("[Input(2)] [Dense(1)] public partial record struct Net { }", "NG0006", "Net", "it is a record struct");

    [Fact]
    public void DropoutBeforeInput() =>
        AssertError("[Dropout(0.2)] [Input(2)] [Dense(1)] public partial class Net { }", "NG0007", "Dropout(0.2)", "comes before [Input]");

    [Fact]
    public void DropoutLast() =>
        AssertError("[Input(2)] [Dense(3)] [Dropout(0.2)] public partial class Net { }", "NG0007", "Dropout(0.2)", "is the last layer");

    [Fact]
    public void TwoDropoutsInARow() =>
        AssertError("[Input(2)] [Dense(3)] [Dropout(0.2)] [Dropout(0.3)] [Dense(1)] public partial class Net { }", "NG0007", "Dropout(0.3)", "1 - (1 - p)(1 - q)");

    [Fact]
    public void NaNAlpha() =>
        AssertError("[Input(2)] [Dense(1, Activation.LeakyReLU, Alpha = double.NaN)] public partial class Net { }", "NG0008", "Alpha = double.NaN", "The Alpha of dense layer 1 is NaN");

    [Fact]
    public void ActivationOutOfRange() =>
        AssertError("[Input(2)] [Dense(1, (Activation)99)] public partial class Net { }", "NG0008", "(Activation)99", "use one of Linear, Sigmoid");

    [Fact]
    public void InfiniteLearningRate() =>
        AssertError("[Network(LearningRate = double.PositiveInfinity)] [Input(2)] [Dense(1)] public partial class Net { }", "NG0008", "LearningRate = double.PositiveInfinity", "use a finite number");

    [Fact]
    public void ReducedWeightsInADoubleNetwork() =>
        AssertError("[Network(Precision = Precision.Double, WeightPrecision = WeightPrecision.Int8)] [Input(2)] [Dense(1)] public partial class Net { }",
            "NG0008", "WeightPrecision = WeightPrecision.Int8", "reduced-precision weights serve float networks");

    [Fact]
    public void WeightPrecisionOutOfRange() =>
        AssertError("[Network(WeightPrecision = (WeightPrecision)7)] [Input(2)] [Dense(1)] public partial class Net { }",
            "NG0008", "WeightPrecision = (WeightPrecision)7", "use one of Full, BFloat16, Int8");

    [Fact]
    public void UserDeclaresPredict() =>
        AssertError("[Input(2)] [Dense(1)] public partial class Net { public void Predict() { } }", "NG0009", "Predict", "'Net' declares 'Predict'");

    [Fact]
    public void UserDeclaresAParameterlessConstructor() =>
        AssertError("[Input(2)] [Dense(1)] public partial class Net { public Net() { } }", "NG0009", "Net", "constructor Net()");

    [Fact]
    public void UserDeclaresATrainingMemberOfATrainableNetwork() =>
        AssertError("[Network(Loss = Loss.MeanSquaredError)] [Input(2)] [Dense(1)] public partial class Net { public double LearningRate; }", "NG0009", "LearningRate", "'LearningRate'");

    [Theory]
    [InlineData("[Network(LearningRate = 1e308)] [Input(2)] [Dense(1)] public partial class Net { }", "LearningRate = 1e308", "LearningRate is 1E+308")]
    [InlineData("[Network(Loss = Loss.MeanSquaredError, WeightDecay = 1e308)] [Input(2)] [Dense(1)] public partial class Net { }", "WeightDecay = 1e308", "WeightDecay is 1E+308")]
    [InlineData("[Network(Loss = Loss.MeanSquaredError, Momentum = -1e300)] [Input(2)] [Dense(1)] public partial class Net { }", "Momentum = -1e300", "Momentum is -1E+300")]
    [InlineData("[Input(2)] [Dense(1, Activation.LeakyReLU, Alpha = 1e308)] public partial class Net { }", "Alpha = 1e308", "The Alpha of dense layer 1 is 1E+308")]
    public void FiniteAsDoubleButNotAsFloat(string body, string span, string message) =>
        AssertError(body, "NG0008", span, message);

    /// <summary>
    /// NG0006 and NG0008 have one descriptor per case: the whole message, and the wording sits in the descriptor's
    /// template (only names and numbers are arguments).
    /// </summary>
    [Theory]
    [InlineData("[Input(2)] [Dense(4)] [Dropout(0.5)] [Dense(1, Init = (Init)42)] public partial class Net { }", "NG0008", "Init = (Init)42",
        "The Init of dense layer 3 is (Init)42; use one of ", "The {0} of dense layer {1} is ({2}){3}; use one of {4}")]
    [InlineData("[Input(2)] [Dropout(double.NaN)] [Dense(1)] public partial class Net { }", "NG0008", "double.NaN",
        "The dropout rate is NaN; use a finite number", "The dropout rate is {0}; use a finite number")]
    [InlineData("[Network(Loss = (Loss)9)] [Input(2)] [Dense(1)] public partial class Net { }", "NG0008", "Loss = (Loss)9",
        "Loss is (Loss)9; use one of None, ", "{0} is ({0}){1}; use one of {2}")]
    [InlineData("[Input(2)] [Dense(1, Activation.ELU, Alpha = 1e300)] public partial class Net { }", "NG0008", "Alpha = 1e300",
        "The Alpha of dense layer 1 is 1E+300; the network computes in float, where it is infinite; use a number within ±3.4E+38, or Precision = Precision.Double",
        "The {0} of dense layer {1} is {2}; the network computes in float")]
    [InlineData("[Input(2)] [Dense(1)] public partial interface Net { }", "NG0006", "Net",
        "'Net' cannot be a network: it is an interface; declare it as a class", "'{0}' cannot be a network: it is an interface; declare it as a class")]
    [InlineData("public partial interface IOuter { [Input(2)] [Dense(1)] public partial class Net { } }", "NG0006", "Net",
        "'Net' cannot be a network: it is nested in 'IOuter', which is not a class or struct; move it out", "it is nested in '{1}', which is not a class or struct")]
    public void EachCaseHasItsOwnTemplate(string body, string id, string span, string message, string template)
    {
        AssertError(body, id, span, message);
        Diagnostic diagnostic = Assert.Single(GeneratorHarness.Run("using NetGen;\n\n" + body).GeneratorDiagnostics);
        Assert.Contains(template, diagnostic.Descriptor.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void FiniteAsFloatInADoubleNetworkGenerates()
    {
        GeneratorRun run = GeneratorHarness.Run("using NetGen;\n[Network(Precision = Precision.Double, Loss = Loss.MeanSquaredError, LearningRate = 1e300)] [Input(2)] [Dense(1, Activation.LeakyReLU, Alpha = 1e308)] public partial class Net { }");
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.Sources);
        Assert.Empty(run.Problems);
    }

    [Theory]
    [InlineData("[Input(2)] [Dense(1)] public partial class Net(int size) { }")]
    [InlineData("[Input(2)] [Dense(1)] public partial record Net(int Size);")]
    public void PrimaryConstructor(string body) =>
        AssertError(body, "NG0006", "Net", "it has a primary constructor");

    [Theory]
    [InlineData("Info")]
    [InlineData("Predict")]
    [InlineData("Parameters")]
    [InlineData("PredictClass")]
    [InlineData("NetGenScratch")]
    public void ClassNamedLikeAGeneratedMember(string name) =>
        AssertError($"[Input(2)] [Dense(1)] public partial class {name} {{ }}", "NG0006", name, $"its name is the name of the member '{name}'");

    [Fact]
    public void DerivedFromANetwork()
    {
        // The base network still generates; the derived one gets NG0006 on its name and no code.
        string source = "using NetGen;\n[Input(2)] [Dense(1)] public partial class Base { }\n[Input(2)] [Dense(1)] public partial class Net : Base { }";
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0006", diagnostic.Id);
        Assert.Equal("Net", source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Contains("it derives from the network 'Base'", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("Base.NetGen.g.cs", Assert.Single(run.Sources).Key);
    }

    // Found by the declaration fuzzer: a 'file' class compiled with no error, and the generated members went to a second,
    // non-file class of the same name in the generated file, so the user's class had none of them.
    [Fact]
    public void FileLocalClass() =>
        AssertError("namespace M { [Input(2)] [Dense(1)] file partial class Net { } }", "NG0006", "Net", "it is a file-local ('file') class");

    [Fact]
    public void NestedInAFileLocalClass() =>
        AssertError("namespace M { file partial class Outer { [Input(2)] [Dense(1)] public partial class Net { } } }", "NG0006", "Net",
            "it is nested in the file-local ('file') type 'Outer'");

    [Fact]
    public void InheritsAMemberNamedLikeAGeneratedOne() =>
        AssertError("public class Base { public void Predict() { } }\n[Input(2)] [Dense(1)] public partial class Net : Base { }", "NG0009", "Net",
            "'Net' declares 'Predict' (inherited from 'Base', which NetGen generates");

    [Fact]
    public void DeclaresAPrivateGeneratedField() =>
        AssertError("[Input(2)] [Dense(1)] public partial class Net { private int _netgenParameters; }", "NG0009", "_netgenParameters", "'_netgenParameters'");

    [Theory]
    [InlineData("static partial void NetGenLoadEmbeddedWeights(System.Span<float> parameters) { }", "NetGenLoadEmbeddedWeights")]
    [InlineData("private static void NetGenDecodeEmbeddedWeights() { }", "NetGenDecodeEmbeddedWeights")]
    public void DeclaresAMemberOfTheEmbeddedWeights(string member, string name) =>
        // The weights file's private methods are generated members too: without NG0009 the user would get CS0111 or
        // CS0756 inside the generated weights file.
        AssertError($"[Network(Weights = \"model.safetensors\")] [Input(2)] [Dense(1)] public partial class Net {{ {member} }}", "NG0009", name, $"'{name}'");

    [Fact]
    public void TheEmbeddedWeightsMemberNamesAreFreeWithoutAWeightsFile()
    {
        GeneratorRun run = GeneratorHarness.Run("using NetGen;\n[Input(2)] [Dense(1)] public partial class Net { private static void NetGenDecodeEmbeddedWeights() { } }");
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.Sources);
        Assert.Empty(run.Problems);
    }

    [Theory]
    [InlineData("NetGenLoadEmbeddedWeights")]
    [InlineData("NetGenDecodeEmbeddedWeights")]
    public void ClassNamedLikeAnEmbeddedWeightsMember(string name) =>
        AssertError($"[Input(2)] [Dense(1)] public partial class {name} {{ }}", "NG0006", name, $"its name is the name of the member '{name}'");

    [Fact]
    public void ClassWithoutANameYetGetsNoOutputAndNoGeneratorError()
    {
        GeneratorRun run = GeneratorHarness.Run("using NetGen;\n[Input(2)] [Dense(1)] public partial class { }");
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Sources);
        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Id == "CS8785");
    }

    [Fact]
    public void WeightsPastInt() =>
        AssertError("[Input(65536)] [Dense(65537)] public partial class Net { }", "NG0011", "Dense(65537)",
            "'Net' is too large to address: dense layer 1 (65,536 -> 65,537) needs 4,295,032,832 more parameters, which brings them to 4,295,032,832; one array or Span holds at most 2,147,483,591 values");

    [Fact]
    public void ParametersPastArrayMaxLengthOverSeveralLayers() =>
        // 3 x 30,000 x 30,000 weights: each layer fits in int, their sum does not.
        AssertError("[Input(30000)] [Dense(30000)] [Dense(30000)] [Dense(30000)] public partial class Net { }", "NG0011", "Dense(30000)",
            "dense layer 3 (30,000 -> 30,000) needs 900,000,000 more parameters, which brings them to 2,700,060,000");

    [Fact]
    public void ScratchPastArrayMaxLength() =>
        // Dropout of int.MaxValue inputs: no weights, but the mask and the masked row do not fit in one scratch array.
        AssertError("[Input(int.MaxValue)] [Dropout(0.5)] [Dense(1)] public partial class Net { }", "NG0011", "Dropout(0.5)",
            "dropout layer 1 (2,147,483,647 values) needs 2,147,483,647 more scratch values");

    [Fact]
    public void ProductPastTwoToThe31() =>
        // 46,341^2 just passes 2^31: the weights of one layer.
        AssertError("[Input(46341)] [Dense(46341)] public partial class Net { }", "NG0011", "Dense(46341)", "needs 2,147,488,281 more parameters");

    [Fact]
    public void PackedCopyPastArrayMaxLength() =>
        // 46,340 x 46,340 parameters fit, but the packed inference copy pads 46,340 units to 2,897 panels of 16 and adds a
        // bias row: 2,897 x 46,341 x 16 = 2,147,998,032 values.
        AssertError("[Input(46340)] [Dense(46340)] public partial class Net { }", "NG0011", "Dense(46340)", "needs 2,147,998,032 more packed inference values");

    [Fact]
    public void LargestAddressableNetworkStillGenerates()
    {
        // 46,336 x 46,336 weights + 46,336 biases = 2,147,071,232 parameters, and as many packed values (2,896 panels of
        // 16 units, 46,337 rows each): below Array.MaxLength, so it generates and compiles.
        GeneratorRun run = GeneratorHarness.Run("using NetGen;\n[Input(46336)] [Dense(46336)] public partial class Net { }");
        Assert.Empty(run.GeneratorDiagnostics);
        string source = Assert.Single(run.Sources).Value;
        Assert.Contains("public const int ParameterCount = 2147071232;", source);
        Assert.Contains("public const int PackedLength = 2147071232;", source);
        Assert.Empty(run.Problems);
    }

    [Theory]
    [InlineData("[Network(Loss = Loss.MeanSquaredError)] [Input(2)] [Dense(1)] public partial record Net { }")]
    [InlineData("public partial class Outer { [Input(2)] [Dense(1)] public partial class Net { } }")]
    [InlineData("[Input(5)] [Dropout(0.1)] [Dense(3, Activation.ReLU)] [Dense(1)] public partial class Net { }")]
    [InlineData("[Input(2)] [Dense(1)] public partial class Net { public int Predict2; public Net(string name) : this() { } }")]
    [InlineData("[Input(2)] [Dense(1)] public partial class Net { } public class Unrelated { public void Predict() { } }")]
    [InlineData("[Network(Weights = null, Loss = Loss.MeanSquaredError)] [Input(2)] [Dense(1)] public partial class Net { }")] // null: no weights file (the fuzzer found it silently generated nothing)
    public void ValidEdgeCasesGenerateAndCompile(string body)
    {
        GeneratorRun run = GeneratorHarness.Run("using NetGen;\n\n" + body);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.Sources);
        Assert.Empty(run.Problems);
    }

    [Fact]
    public void IncompleteArgumentsProduceNoOutputAndNoGeneratorError()
    {
        // Still being typed: the compiler reports the missing argument; the generator stays quiet.
        GeneratorRun run = GeneratorHarness.Run("using NetGen;\n[Input(2)] [Dense()] public partial class Net { }");
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Sources);
        Assert.Contains(run.CompilationDiagnostics, d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("CS", System.StringComparison.Ordinal));
        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Id == "CS8785");
    }
}
