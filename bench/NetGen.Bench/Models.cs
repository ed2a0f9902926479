using System;
using System.IO;
using System.Text.Json;
using NetGen;

namespace NetGen.Bench;

/// <summary>The weights and ONNX graphs that bench/peer/pytorch_peer.py exported (committed in bench/peer/models).</summary>
public static class Models
{
    /// <summary>The folder the build copies bench/peer/models to.</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "models");

    /// <summary>The ONNX graph of network <paramref name="name"/> (mnist, tab13, sc4).</summary>
    public static string Onnx(string name) => Path.Combine(Folder, name + ".onnx");

    /// <summary>
    /// Loads PyTorch's weights for <paramref name="name"/> into <paramref name="network"/> and checks the network's
    /// output for PyTorch's probe row against PyTorch's own output (1e-5 relative, the float tolerance of the tests).
    /// </summary>
    public static T Load<T>(T network, string name) where T : INeuralNetwork<float>
    {
        WeightImport.LoadSafeTensors(network, Path.Combine(Folder, name + ".safetensors"));
        using JsonDocument probe = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, name + ".probe.json")));
        float[] input = Floats(probe.RootElement.GetProperty("input"));
        float[] expected = Floats(probe.RootElement.GetProperty("output"));
        var actual = new float[expected.Length];
        network.Predict(input, actual);
        Check($"NetGen {name}", actual, expected);
        return network;
    }

    /// <summary>Throws unless every value is within 1e-5 relative (plus 1e-6 absolute near zero) of the reference.</summary>
    public static void Check(string what, ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        if (actual.Length != expected.Length)
        {
            throw new InvalidOperationException($"{what}: {actual.Length} values, the reference has {expected.Length}.");
        }

        for (int i = 0; i < actual.Length; i++)
        {
            double error = Math.Abs(actual[i] - (double)expected[i]);
            if (!(error <= (1e-5 * Math.Abs(expected[i])) + 1e-6))
            {
                throw new InvalidOperationException($"{what}: value {i} is {actual[i]:R}, the reference {expected[i]:R}.");
            }
        }
    }

    /// <summary>Reads PyTorch's probe row for <paramref name="name"/>.</summary>
    public static (float[] Input, float[] Output) Probe(string name)
    {
        using JsonDocument probe = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, name + ".probe.json")));
        return (Floats(probe.RootElement.GetProperty("input")), Floats(probe.RootElement.GetProperty("output")));
    }

    private static float[] Floats(JsonElement array)
    {
        var values = new float[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement e in array.EnumerateArray())
        {
            values[i++] = e.GetSingle();
        }

        return values;
    }
}
