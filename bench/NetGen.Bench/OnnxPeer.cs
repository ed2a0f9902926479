using System;
using Microsoft.ML.OnnxRuntime;

namespace NetGen.Bench;

/// <summary>
/// ONNX Runtime run the way a C# user who cares about speed runs it: one thread (intra- and inter-op), sequential
/// execution, every graph optimisation on, and input and output tensors allocated once and bound with an
/// <see cref="OrtIoBinding"/>, so a call copies nothing and allocates no tensors.
/// </summary>
public sealed class OnnxPeer : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtValue _input;
    private readonly OrtValue _output;
    private readonly OrtIoBinding _binding;

    /// <param name="path">An ONNX file with input "x" [rows, inputs] and output "y" [rows, outputs].</param>
    public OnnxPeer(string path, int rows, int inputs, int outputs, string inputName = "x", string outputName = "y")
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(path, options);
        Input = new float[rows * inputs];
        Output = new float[rows * outputs];
        _input = OrtValue.CreateTensorValueFromMemory(Input, new long[] { rows, inputs });
        _output = OrtValue.CreateTensorValueFromMemory(Output, new long[] { rows, outputs });
        _binding = _session.CreateIoBinding();
        _binding.BindInput(inputName, _input);
        _binding.BindOutput(outputName, _output);
    }

    /// <summary>The bound input rows: write features here before <see cref="Run"/>.</summary>
    public float[] Input { get; }

    /// <summary>The bound output rows, written by <see cref="Run"/>.</summary>
    public float[] Output { get; }

    /// <summary>One inference over the bound rows.</summary>
    public void Run() => _session.RunWithBinding(_runOptions, _binding);

    public void Dispose()
    {
        _binding.Dispose();
        _input.Dispose();
        _output.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
