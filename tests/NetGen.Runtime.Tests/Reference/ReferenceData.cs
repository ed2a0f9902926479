using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen;

namespace NetGen.Runtime.Tests.Reference;

/// <summary>One dense layer of a reference network, as tests/reference/*.json describes it.</summary>
/// <param name="Units">The layer's width.</param>
/// <param name="Activation">The activation, by its NetGen name.</param>
/// <param name="Alpha">The slope of LeakyReLU / PReLU (initial) / ELU; null for activations without one.</param>
/// <param name="Bias">Whether the layer has a bias vector.</param>
/// <param name="WeightOffset">Offset of the [units, inputs] weight in the parameter layout.</param>
/// <param name="BiasOffset">Offset of the bias, or -1.</param>
/// <param name="SlopeOffset">Offset of the PReLU slope, or -1.</param>
/// <param name="ParameterCount">The number of parameters the layer owns.</param>
public sealed record ReferenceLayer(
    int Units,
    Activation Activation,
    double? Alpha,
    bool Bias,
    int WeightOffset,
    int BiasOffset,
    int SlopeOffset,
    int ParameterCount);

/// <summary>
/// One optimizer configuration of a case's <c>after_steps</c>: the hyper-parameters PyTorch used, the losses returned
/// by its steps (each computed before its update), the loss after the last step and the parameters after the steps.
/// </summary>
public sealed record ReferenceSteps(
    string Name,
    Optimizer Optimizer,
    double LearningRate,
    double Momentum,
    bool Nesterov,
    double WeightDecay,
    double? Beta1,
    double? Beta2,
    double? Epsilon,
    double? Alpha,
    int Steps,
    double[] Losses,
    double LossAfter,
    double[] Parameters);

/// <summary>
/// One network with PyTorch's numbers for it: parameters in NetGen's layout, a batch, the eval-mode outputs, the mean
/// loss, its gradient and the parameters after optimizer steps. All arrays are flat and row-major.
/// </summary>
public sealed class ReferenceCase
{
    internal ReferenceCase(string file, JsonElement json)
    {
        File = file;
        Name = json.GetProperty("name").GetString()!;
        Description = json.GetProperty("description").GetString()!;
        InputSize = json.GetProperty("input_size").GetInt32();
        OutputSize = json.GetProperty("output_size").GetInt32();
        Rows = json.GetProperty("rows").GetInt32();
        ParameterCount = json.GetProperty("parameter_count").GetInt32();
        LossFunction = Enum.Parse<Loss>(json.GetProperty("loss_function").GetString()!);
        TorchLoss = json.GetProperty("torch_loss").GetString()!;
        Layers = json.GetProperty("layers").EnumerateArray().Select(ReadLayer).ToArray();
        Parameters = Doubles(json, "parameters");
        Inputs = Doubles(json, "inputs");
        Targets = Doubles(json, "targets");
        Labels = json.TryGetProperty("labels", out JsonElement labels)
            ? labels.EnumerateArray().Select(label => label.GetInt32()).ToArray()
            : null;
        Outputs = Doubles(json, "outputs");
        Loss = json.GetProperty("loss").GetDouble();
        Gradients = Doubles(json, "gradients");
        var steps = new Dictionary<string, ReferenceSteps>(StringComparer.Ordinal);
        foreach (JsonProperty entry in json.GetProperty("after_steps").EnumerateObject())
        {
            steps.Add(entry.Name, ReadSteps(entry.Name, entry.Value));
        }

        AfterSteps = steps;
        Validate();
    }

    /// <summary>The file the case came from (e.g. <c>activations.json</c>).</summary>
    public string File { get; }

    /// <summary>The case's unique name, e.g. <c>tanh_mse</c>.</summary>
    public string Name { get; }

    /// <summary>A one-line summary, e.g. <c>5 -&gt; 7 Tanh -&gt; 3 Tanh, MeanSquaredError</c>.</summary>
    public string Description { get; }

    /// <summary>The number of input features.</summary>
    public int InputSize { get; }

    /// <summary>The width of the last layer.</summary>
    public int OutputSize { get; }

    /// <summary>The number of rows in the batch.</summary>
    public int Rows { get; }

    /// <summary>The length of <see cref="Parameters"/>, <see cref="Gradients"/> and every after-steps parameter array.</summary>
    public int ParameterCount { get; }

    /// <summary>The dense layers in order.</summary>
    public IReadOnlyList<ReferenceLayer> Layers { get; }

    /// <summary>The loss the network is declared with.</summary>
    public Loss LossFunction { get; }

    /// <summary>How PyTorch computed the loss (e.g. <c>BCEWithLogitsLoss()</c> on the Sigmoid layer's pre-activation).</summary>
    public string TorchLoss { get; }

    /// <summary>The starting parameters in NetGen's layout. Every value is exactly representable as a float.</summary>
    public double[] Parameters { get; }

    /// <summary><see cref="Rows"/> x <see cref="InputSize"/> inputs. Every value is exactly representable as a float.</summary>
    public double[] Inputs { get; }

    /// <summary><see cref="Rows"/> x <see cref="OutputSize"/> targets (one-hot rows for cross-entropy with labels).</summary>
    public double[] Targets { get; }

    /// <summary>Class indices, one per row: for cross-entropy with one-hot targets and for a single-Sigmoid BCE output; else null.</summary>
    public int[]? Labels { get; }

    /// <summary><see cref="Rows"/> x <see cref="OutputSize"/> outputs of the forward pass in eval mode.</summary>
    public double[] Outputs { get; }

    /// <summary>The mean loss of <see cref="Outputs"/> against <see cref="Targets"/> at <see cref="Parameters"/>.</summary>
    public double Loss { get; }

    /// <summary>d <see cref="Loss"/> / d <see cref="Parameters"/>, in the parameter layout.</summary>
    public double[] Gradients { get; }

    /// <summary>The optimizer runs, by configuration name (see <see cref="ReferenceData.OptimizerNames"/>).</summary>
    public IReadOnlyDictionary<string, ReferenceSteps> AfterSteps { get; }

    /// <summary>The run of one optimizer configuration, e.g. <c>Steps("adamw")</c>.</summary>
    public ReferenceSteps Steps(string optimizerName) =>
        AfterSteps.TryGetValue(optimizerName, out ReferenceSteps? steps)
            ? steps
            : throw new KeyNotFoundException(
                $"Reference case '{Name}' has no optimizer run '{optimizerName}'; it has: {string.Join(", ", AfterSteps.Keys)}.");

    /// <summary>The values as floats, for the single-precision twins.</summary>
    public static float[] ToSingle(double[] values) => Array.ConvertAll(values, value => (float)value);

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Description})";

    private static double[] Doubles(JsonElement json, string property) =>
        json.GetProperty(property).EnumerateArray().Select(value => value.GetDouble()).ToArray();

    private static ReferenceLayer ReadLayer(JsonElement json)
    {
        JsonElement alpha = json.GetProperty("alpha");
        return new ReferenceLayer(
            json.GetProperty("units").GetInt32(),
            Enum.Parse<Activation>(json.GetProperty("activation").GetString()!),
            alpha.ValueKind == JsonValueKind.Null ? null : alpha.GetDouble(),
            json.GetProperty("bias").GetBoolean(),
            json.GetProperty("weight_offset").GetInt32(),
            json.GetProperty("bias_offset").GetInt32(),
            json.GetProperty("slope_offset").GetInt32(),
            json.GetProperty("parameter_count").GetInt32());
    }

    private static ReferenceSteps ReadSteps(string name, JsonElement json)
    {
        double? Optional(string property) =>
            json.TryGetProperty(property, out JsonElement value) ? value.GetDouble() : null;

        return new ReferenceSteps(
            name,
            Enum.Parse<Optimizer>(json.GetProperty("optimizer").GetString()!),
            json.GetProperty("learning_rate").GetDouble(),
            Optional("momentum") ?? 0,
            json.TryGetProperty("nesterov", out JsonElement nesterov) && nesterov.GetBoolean(),
            json.GetProperty("weight_decay").GetDouble(),
            Optional("beta1"),
            Optional("beta2"),
            Optional("eps"),
            Optional("alpha"),
            json.GetProperty("steps").GetInt32(),
            Doubles(json, "losses"),
            json.GetProperty("loss_after").GetDouble(),
            Doubles(json, "parameters"));
    }

    /// <summary>Refuses a file whose arrays do not fit the description, so a broken regeneration fails loudly.</summary>
    private void Validate()
    {
        void Expect(int expected, int actual, string what)
        {
            if (expected != actual)
            {
                throw new InvalidDataException(
                    $"{File}, case '{Name}': {what} has {actual.ToString(CultureInfo.InvariantCulture)} values, expected {expected.ToString(CultureInfo.InvariantCulture)}.");
            }
        }

        Expect(ParameterCount, Layers.Sum(layer => layer.ParameterCount), "the layers' parameter counts");
        Expect(OutputSize, Layers[^1].Units, "the last layer");
        Expect(ParameterCount, Parameters.Length, "parameters");
        Expect(ParameterCount, Gradients.Length, "gradients");
        Expect(Rows * InputSize, Inputs.Length, "inputs");
        Expect(Rows * OutputSize, Targets.Length, "targets");
        Expect(Rows * OutputSize, Outputs.Length, "outputs");
        if (Labels is not null)
        {
            Expect(Rows, Labels.Length, "labels");
        }

        foreach (ReferenceSteps steps in AfterSteps.Values)
        {
            Expect(ParameterCount, steps.Parameters.Length, $"after_steps.{steps.Name}.parameters");
            Expect(steps.Steps, steps.Losses.Length, $"after_steps.{steps.Name}.losses");
        }
    }
}

/// <summary>The lecture numbers, as PyTorch computes them (tests/reference/lecture.json).</summary>
public sealed class ReferenceLecture
{
    internal ReferenceLecture(JsonElement json)
    {
        JsonElement softmax = json.GetProperty("softmax");
        SoftmaxInputs = softmax.GetProperty("inputs").EnumerateArray().Select(value => value.GetDouble()).ToArray();
        SoftmaxOutputs = softmax.GetProperty("outputs").EnumerateArray().Select(value => value.GetDouble()).ToArray();
        SigmoidDerivativeAtZero = json.GetProperty("sigmoid_derivative_at_zero").GetDouble();
        TanhDerivativeAtZero = json.GetProperty("tanh_derivative_at_zero").GetDouble();
        JsonElement crossEntropy = json.GetProperty("cross_entropy");
        CrossEntropyP = crossEntropy.GetProperty("p").EnumerateArray().Select(value => value.GetDouble()).ToArray();
        CrossEntropyQ = crossEntropy.GetProperty("q").EnumerateArray().Select(value => value.GetDouble()).ToArray();
        CrossEntropyNats = crossEntropy.GetProperty("nats").GetDouble();
        CrossEntropyBits = crossEntropy.GetProperty("bits").GetDouble();
    }

    /// <summary>The logits {1.1, 2.2, 0.2, -1.7}.</summary>
    public double[] SoftmaxInputs { get; }

    /// <summary>torch.softmax of <see cref="SoftmaxInputs"/>.</summary>
    public double[] SoftmaxOutputs { get; }

    /// <summary>sigmoid'(0) by autograd.</summary>
    public double SigmoidDerivativeAtZero { get; }

    /// <summary>tanh'(0) by autograd.</summary>
    public double TanhDerivativeAtZero { get; }

    /// <summary>The predicted distribution p = {0.9, 0.1}.</summary>
    public double[] CrossEntropyP { get; }

    /// <summary>The true distribution q = {0.6, 0.4}.</summary>
    public double[] CrossEntropyQ { get; }

    /// <summary>H(q, p) = -Σ q ln p in nats (torch cross_entropy of logits ln p against probabilities q).</summary>
    public double CrossEntropyNats { get; }

    /// <summary>The same in bits.</summary>
    public double CrossEntropyBits { get; }
}

/// <summary>Loads tests/reference/*.json (copied to the test output under <c>reference/</c>) once per test run.</summary>
public static class ReferenceData
{
    /// <summary>The optimizer configurations every case has in <c>after_steps</c>.</summary>
    public static readonly IReadOnlyList<string> OptimizerNames =
        new[] { "sgd", "sgd_momentum", "sgd_nesterov", "sgd_weight_decay", "adam", "adamw", "rmsprop" };

    private static readonly Lazy<IReadOnlyList<ReferenceCase>> LoadedCases = new(LoadCases);
    private static readonly Lazy<ReferenceLecture> LoadedLecture = new(LoadLecture);
    private static readonly Lazy<IReadOnlyDictionary<string, ReferenceCase>> ByName =
        new(() => LoadedCases.Value.ToDictionary(c => c.Name, StringComparer.Ordinal));

    /// <summary>The folder holding the JSON files.</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "reference");

    /// <summary>The files with cases, in name order.</summary>
    public static readonly IReadOnlyList<string> CaseFiles = new[] { "activations.json", "deep.json", "outputs.json" };

    /// <summary>Every case of every file.</summary>
    public static IReadOnlyList<ReferenceCase> Cases => LoadedCases.Value;

    /// <summary>The lecture numbers.</summary>
    public static ReferenceLecture Lecture => LoadedLecture.Value;

    /// <summary>The case with this name.</summary>
    public static ReferenceCase Case(string name) =>
        ByName.Value.TryGetValue(name, out ReferenceCase? found)
            ? found
            : throw new KeyNotFoundException($"No reference case '{name}' in {Folder}.");

    /// <summary>The version of PyTorch a file was written with.</summary>
    public static string TorchVersion(string file)
    {
        using JsonDocument document = Open(file);
        return document.RootElement.GetProperty("torch_version").GetString()!;
    }

    private static JsonDocument Open(string file)
    {
        string path = Path.Combine(Folder, file);
        JsonDocument document = JsonDocument.Parse(System.IO.File.ReadAllBytes(path));
        JsonElement root = document.RootElement;
        if (root.GetProperty("format").GetString() != "netgen-reference" || root.GetProperty("version").GetInt32() != 1)
        {
            document.Dispose();
            throw new InvalidDataException($"{path} is not a version 1 netgen-reference file.");
        }

        return document;
    }

    private static IReadOnlyList<ReferenceCase> LoadCases()
    {
        var cases = new List<ReferenceCase>();
        foreach (string file in CaseFiles)
        {
            using JsonDocument document = Open(file);
            foreach (JsonElement json in document.RootElement.GetProperty("cases").EnumerateArray())
            {
                cases.Add(new ReferenceCase(file, json));
            }
        }

        return cases;
    }

    private static ReferenceLecture LoadLecture()
    {
        using JsonDocument document = Open("lecture.json");
        return new ReferenceLecture(document.RootElement);
    }
}
