using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Numerics.Tensors;
using System.Text;
using NetGen.Numerics;

namespace NetGen.Bench;

/// <summary>
/// VectorMath's span functions (widest accelerated vectors) against scalar MathF loops (the formulas generated code
/// evaluated one value at a time before 101102b; it now calls VectorMath) and TensorPrimitives where it has the
/// function, over 4,096 floats in [-8, 8] (L1-resident). Alternating rounds; ns per value, median (range).
/// </summary>
public static class ActivationSpeed
{
    private sealed record Candidate(string Function, string Kind, Action Call)
    {
        public List<double> Times { get; } = new();
    }

    public static string Run()
    {
        const int n = 4096;
        var random = new SeededRandom(3);
        float[] x = Enumerable.Range(0, n).Select(_ => (float)random.NextUniform(-8, 8)).ToArray();
        var y = new float[n];
        var candidates = new List<Candidate>();
        void Add(string function, Action vector, Func<float, float> scalar, Action? tensorPrimitives = null)
        {
            candidates.Add(new(function, "VectorMath", vector));
            candidates.Add(new(function, "MathF loop", () =>
            {
                for (int i = 0; i < x.Length; i++)
                {
                    y[i] = scalar(x[i]);
                }
            }));
            if (tensorPrimitives is not null)
            {
                candidates.Add(new(function, "TensorPrimitives", tensorPrimitives));
            }
        }

        Add("exp", () => VectorMath.Exp(x, y), MathF.Exp, () => TensorPrimitives.Exp(x, y));
        Add("tanh", () => VectorMath.Tanh(x, y), MathF.Tanh, () => TensorPrimitives.Tanh(x, y));
        Add("sigmoid", () => VectorMath.Sigmoid(x, y), z => 1f / (1f + MathF.Exp(-z)), () => TensorPrimitives.Sigmoid(x, y));
        Add("softplus", () => VectorMath.Softplus(x, y), z => z > 20f ? z : Log1P(MathF.Exp(z)));
        Add("elu", () => VectorMath.Elu(x, y, 1f), z => z > 0f ? z : MathF.Exp(z) - 1f);
        Add("selu", () => VectorMath.Selu(x, y), z => z > 0f ? 1.0507009873554805f * z : 1.7580993408473766f * (MathF.Exp(z) - 1f));
        Add("gelu", () => VectorMath.Gelu(x, y), z => 0.5f * z * (1f + MathF.Tanh(0.7978845608028654f * (z + (0.044715f * z * z * z)))));
        Add("silu", () => VectorMath.Silu(x, y), z => z / (1f + MathF.Exp(-z)));

        QuickTable.WarmUp(candidates.Select(c => c.Call));

        for (int round = 0; round < 15; round++)
        {
            foreach (Candidate c in candidates)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < 20; i++)
                {
                    c.Call();
                }

                c.Times.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / 20 / n);
            }
        }

        var report = new StringBuilder();
        report.AppendLine("| function | VectorMath, ns/value | MathF loop (generated code before 101102b) | TensorPrimitives | MathF / VectorMath |");
        report.AppendLine("|---|---|---|---|---|");
        foreach (IGrouping<string, Candidate> group in candidates.GroupBy(c => c.Function))
        {
            string Cell(string kind)
            {
                Candidate? c = group.FirstOrDefault(c => c.Kind == kind);
                if (c is null)
                {
                    return "";
                }

                List<double> t = c.Times.OrderBy(v => v).ToList();
                return string.Create(CultureInfo.InvariantCulture, $"{t[t.Count / 2]:0.00} ({t[0]:0.00}-{t[^1]:0.00})");
            }

            double Median(string kind) => group.First(c => c.Kind == kind).Times.OrderBy(v => v).ElementAt(7);
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {group.Key} | {Cell("VectorMath")} | {Cell("MathF loop")} | {Cell("TensorPrimitives")} | {Median("MathF loop") / Median("VectorMath"):0.0}x |");
        }

        return report.ToString();
    }

    private static float Log1P(float u)
    {
        float v = 1f + u;
        return v == 1f ? u : MathF.Log(v) * (u / (v - 1f));
    }
}

