// A user program that references only the NetGen package and compiles a safetensors file into itself
// ([Network(Weights = ...)]): it predicts the rows of expected.json and compares with the outputs NumPy computed from
// the same file (make_fixture.py). The file also carries an input standardizer, which StandardizedClassifier embeds
// (StandardizeInputs = true) and applies in PredictRaw to raw rows; Classifier embeds the same file and ignores it.
// .ci/run runs the program, deletes model.safetensors, and runs the built program again.
using System;
using System.IO;
using System.Text.Json;
using NetGen;

using JsonDocument expected = JsonDocument.Parse(File.ReadAllText(args[0]));
JsonElement root = expected.RootElement;
var net = new Classifier(); // the embedded weights; nothing is read at run time
var standardized = new StandardizedClassifier(); // the same weights and the file's standardizer
double worst = Compare("row", root.GetProperty("inputs"), root.GetProperty("outputs"), net.Predict);
double worstRaw = Compare("raw row", root.GetProperty("raw_inputs"), root.GetProperty("raw_outputs"), standardized.PredictRaw);

// float32 arithmetic against NumPy's float64 forward pass on the same float32 weights.
bool matches = worst <= 1e-5 && worstRaw <= 1e-5;
Console.WriteLine($"{(matches ? "matches NumPy" : "DIFFERS from NumPy")}: worst relative difference {worst:E1} (Predict), {worstRaw:E1} (PredictRaw)");
return matches ? 0 : 1;

static double Compare(string label, JsonElement inputs, JsonElement outputs, PredictFunction predict)
{
    var x = new float[Classifier.InputSize];
    var y = new float[Classifier.OutputSize];
    double worst = 0;
    for (int r = 0; r < inputs.GetArrayLength(); r++)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)inputs[r][i].GetDouble();
        }

        predict(x, y);
        Console.WriteLine($"{label} {r}: {string.Join(" ", Array.ConvertAll(y, v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}");
        for (int o = 0; o < y.Length; o++)
        {
            double want = outputs[r][o].GetDouble();
            worst = Math.Max(worst, Math.Abs(y[o] - want) / (Math.Abs(want) + 1e-6));
        }
    }

    return worst;
}

internal delegate void PredictFunction(ReadOnlySpan<float> input, Span<float> output);

[Network(Weights = "model.safetensors")]
[Input(5)]
[Dense(16, Activation.ReLU)]
[Dense(8, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class Classifier { }

[Network(Weights = "model.safetensors", StandardizeInputs = true)]
[Input(5)]
[Dense(16, Activation.ReLU)]
[Dense(8, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class StandardizedClassifier { }
