using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using NetGen;
using NetGen.Numerics;

namespace NetGen.Bench;

/// <summary>
/// bench --sparse-row: 784-256-128-10's one-row `Predict` with PackedDense's zero-input skipping on and off (its
/// internal switch, set by reflection), in alternating rounds of thread CPU time in one process, on random rows (no
/// zero inputs: only layer 2's ReLU inputs have zeros) and on Fashion-MNIST test images (pixels / 255, the network's
/// input); ONNX Runtime on the same image beside them. The outputs are checked equal bit for bit first.
/// </summary>
public static class SparseRowAb
{
    /// <summary>Debian's dataset-fashion-mnist.</summary>
    internal const string FashionMnist = "/usr/share/datasets/fashion-mnist";

    /// <summary>
    /// The Fashion-MNIST test image whose share of zero pixels is the median of the first 101 test images, as 784
    /// floats (pixels / 255), and that share; null when the data set is not installed.
    /// </summary>
    internal static (float[] Image, double ZeroShare)? MedianTestImage()
    {
        string images = Path.Combine(FashionMnist, "t10k-images-idx3-ubyte.gz"), labels = Path.Combine(FashionMnist, "t10k-labels-idx1-ubyte.gz");
        if (!File.Exists(images) || !File.Exists(labels))
        {
            return null;
        }

        float[] features = Idx.LoadDataset<float>(images, labels).Features.ToArray();
        const int Candidates = 101;
        var shares = new (double Share, int Index)[Candidates];
        for (int r = 0; r < Candidates; r++)
        {
            shares[r] = (features.AsSpan(r * 784, 784).ToArray().Count(v => v == 0) / 784.0, r);
        }

        (double share, int index) = shares.OrderBy(s => s.Share).ThenBy(s => s.Index).ElementAt(Candidates / 2);
        return (features.AsSpan(index * 784, 784).ToArray(), share);
    }

    /// <summary>Runs the A/B and returns the report (Markdown).</summary>
    public static string Run(int rounds)
    {
        FieldInfo sparse = typeof(PackedDense).GetField("s_sparseRows", BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException("PackedDense.s_sparseRows not found.");
        BenchNetwork mnist = Models.Load(new BenchNetwork(), "mnist");
        var random = new SeededRandom(5);
        float[] randomRow = new float[784];
        for (int i = 0; i < randomRow.Length; i++)
        {
            randomRow[i] = (float)random.NextDouble();
        }

        var inputs = new List<(string Name, float[] Row)> { ("random row (uniform 0-1, no zero pixel)", randomRow) };
        foreach (double share in new[] { 0.1, 0.25, 0.4 })
        {
            // The random row with a share of its values set to zero, at random places: where skipping starts to pay.
            float[] row = (float[])randomRow.Clone();
            var places = new SeededRandom(7);
            for (int i = 0; i < row.Length; i++)
            {
                row[i] = places.NextDouble() < share ? 0f : row[i];
            }

            inputs.Add(($"random row, {row.Count(v => v == 0) / 784.0:P0} of it zero", row));
        }

        (float[] Image, double ZeroShare)? image = MedianTestImage();
        if (image is { } found)
        {
            inputs.Add(($"Fashion-MNIST test image, median zero share of the first 101 ({found.ZeroShare:P0} of the pixels 0)", found.Image));
        }

        var report = new StringBuilder();
        report.AppendLine("| input | skipping on: median µs (fastest) | off: median µs (fastest) | on / off per round (median) | ONNX Runtime: median µs (fastest) |");
        report.AppendLine("|---|---|---|---|---|");
        const int Calls = 2_000;
        float[] output = new float[10], dense = new float[10];
        foreach ((string name, float[] row) in inputs)
        {
            using var ort = new OnnxPeer(Models.Onnx("mnist"), 1, 784, 10);
            row.CopyTo(ort.Input, 0);
            sparse.SetValue(null, false);
            mnist.Predict(row, dense);
            sparse.SetValue(null, true);
            mnist.Predict(row, output);
            if (!output.AsSpan().SequenceEqual(dense))
            {
                throw new InvalidOperationException($"Predict differs with and without zero skipping ({name}).");
            }

            var on = new List<double>();
            var off = new List<double>();
            var onnx = new List<double>();
            var ratios = new List<double>();
            for (int c = 0; c < Calls; c++)
            {
                mnist.Predict(row, output);
                ort.Run();
            }

            for (int round = 0; round < rounds; round++)
            {
                double onTime = 0, offTime = 0;
                for (int k = 0; k < 2; k++)
                {
                    bool skipping = ((round + k) % 2) == 0;
                    sparse.SetValue(null, skipping);
                    double start = ThreadCpu.Milliseconds();
                    for (int c = 0; c < Calls; c++)
                    {
                        mnist.Predict(row, output);
                    }

                    double time = (ThreadCpu.Milliseconds() - start) * 1e3 / Calls;
                    (skipping ? on : off).Add(time);
                    if (skipping)
                    {
                        onTime = time;
                    }
                    else
                    {
                        offTime = time;
                    }
                }

                ratios.Add(onTime / offTime);
                double ortStart = ThreadCpu.Milliseconds();
                for (int c = 0; c < Calls; c++)
                {
                    ort.Run();
                }

                onnx.Add((ThreadCpu.Milliseconds() - ortStart) * 1e3 / Calls);
            }

            sparse.SetValue(null, true);
            static double Median(List<double> v) => v.OrderBy(t => t).ElementAt(v.Count / 2);
            report.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Median(on):F2} ({on.Min():F2}) | {Median(off):F2} ({off.Min():F2}) | {Median(ratios):F3} | {Median(onnx):F2} ({onnx.Min():F2}) |"));
        }

        report.AppendLine();
        report.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"{rounds} alternating rounds of {Calls} calls each, thread CPU time; the outputs equal bit for bit with and without skipping."));
        return report.ToString();
    }
}
