// A user program that references only the NetGen package and compiles a safetensors file into itself
// ([Network(Weights = ...)]): it predicts the rows of expected.json and compares with the outputs NumPy computed from
// the same file (make_fixture.py). .ci/run runs it, deletes model.safetensors, and runs the built program again.
using System;
using System.IO;
using System.Text.Json;
using NetGen;

using JsonDocument expected = JsonDocument.Parse(File.ReadAllText(args[0]));
JsonElement inputs = expected.RootElement.GetProperty("inputs"), outputs = expected.RootElement.GetProperty("outputs");
var net = new Classifier(); // the embedded weights; nothing is read at run time
var x = new float[Classifier.InputSize];
var y = new float[Classifier.OutputSize];
double worst = 0;
for (int r = 0; r < inputs.GetArrayLength(); r++)
{
    for (int i = 0; i < x.Length; i++)
    {
        x[i] = (float)inputs[r][i].GetDouble();
    }

    net.Predict(x, y);
    Console.WriteLine($"row {r}: {string.Join(" ", Array.ConvertAll(y, v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}");
    for (int o = 0; o < y.Length; o++)
    {
        double want = outputs[r][o].GetDouble();
        worst = Math.Max(worst, Math.Abs(y[o] - want) / (Math.Abs(want) + 1e-6));
    }
}

// float32 arithmetic against NumPy's float64 forward pass on the same float32 weights.
Console.WriteLine(worst <= 1e-5 ? $"matches NumPy: worst relative difference {worst:E1}" : $"DIFFERS from NumPy: worst relative difference {worst:E1}");
return worst <= 1e-5 ? 0 : 1;

[Network(Weights = "model.safetensors")]
[Input(5)]
[Dense(16, Activation.ReLU)]
[Dense(8, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class Classifier { }
