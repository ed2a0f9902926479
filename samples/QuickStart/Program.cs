using System;
using System.Globalization;
using System.Linq;
using NetGen;

// `QuickStart --lanes` prints the SIMD width this build runs with (NativeAOT: 4 float lanes unless IlcInstructionSet is set).
if (args.Contains("--lanes"))
{
    Console.WriteLine($"Vector<float>.Count = {System.Numerics.Vector<float>.Count}");
    return;
}

// A network is declared with attributes; NetGen generates its code at compile time.
var net = new FashionNet(seed: 42);
Console.WriteLine(net.Info);
Console.WriteLine();

// Three synthetic 28x28 "images": all dark, all bright, and a vertical stripe.
float[] dark = new float[FashionNet.InputSize];
float[] bright = new float[FashionNet.InputSize];
Array.Fill(bright, 1f);
float[] stripe = new float[FashionNet.InputSize];
for (int row = 0; row < 28; row++)
{
    for (int col = 12; col < 16; col++)
    {
        stripe[(row * 28) + col] = 1f;
    }
}

Span<float> probabilities = stackalloc float[FashionNet.OutputSize];
foreach ((string name, float[] image) in new[] { ("dark", dark), ("bright", bright), ("stripe", stripe) })
{
    net.Predict(image, probabilities);
    Console.WriteLine($"{name,-7} class {net.PredictClass(image)}  p = [{string.Join(", ", probabilities.ToArray().Select(p => p.ToString("0.000", CultureInfo.InvariantCulture)))}]");
}

Console.WriteLine();
Console.WriteLine("An untrained network guesses; train one with a Loss on [Network] (see samples/Digits).");

/// <summary>A classifier for 28x28 Fashion-MNIST images, as in the README.</summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 1e-3)]
[Input(784)]
[Dense(256, Activation.ReLU, Init = Init.HeNormal)]
[Dropout(0.2)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class FashionNet
{
}
