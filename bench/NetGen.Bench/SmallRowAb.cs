using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Runtime.Intrinsics;
using System.Text;
using NetGen.Numerics;

namespace NetGen.Bench;

/// <summary>
/// bench --small-row-ab: 13-32-16-3 tanh's three layers for one row through PackedDense's internal Row256 (the general
/// one-row path) and SmallRow256 (layers of at most 2 panels), bound by reflection, in alternating rounds of thread
/// CPU time in one process; the outputs checked equal bit for bit first. Reports each path's median round and the
/// median of the per-round ratios.
/// </summary>
public static class SmallRowAb
{
    private delegate void General<TAct>(ref float packed, int inputs, int units, ref float x, ref float y, TAct activation, bool alternate);

    private delegate void Small<TAct>(ref float packed, int inputs, int units, ref float x, ref float y, TAct activation);

    private readonly struct Tanh : IVectorActivation<float>
    {
        public Vector128<float> Apply(Vector128<float> z) => VectorMath.Tanh(z);

        public Vector256<float> Apply(Vector256<float> z) => VectorMath.Tanh(z);

        public Vector512<float> Apply(Vector512<float> z) => VectorMath.Tanh(z);
    }

    private static T Bind<T>(string name, Type activation)
        where T : Delegate
    {
        MethodInfo method = typeof(PackedDense).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException($"PackedDense.{name} not found.");
        return (T)method.MakeGenericMethod(typeof(float), activation).CreateDelegate(typeof(T));
    }

    /// <summary>Runs the A/B and returns the report (Markdown).</summary>
    public static string Run(int rounds)
    {
        var g1 = Bind<General<Tanh>>("Row256", typeof(Tanh));
        var g3 = Bind<General<IdentityActivation<float>>>("Row256", typeof(IdentityActivation<float>));
        var s1 = Bind<Small<Tanh>>("SmallRow256", typeof(Tanh));
        var s3 = Bind<Small<IdentityActivation<float>>>("SmallRow256", typeof(IdentityActivation<float>));
        var random = new SeededRandom(11);
        (int In, int Out)[] shapes = { (13, 32), (32, 16), (16, 3) };
        var packed = new float[shapes.Length][];
        for (int l = 0; l < shapes.Length; l++)
        {
            (int inputs, int units) = shapes[l];
            float[] w = new float[inputs * units], b = new float[units];
            for (int i = 0; i < w.Length; i++)
            {
                w[i] = (float)(random.NextNormal() * 0.4);
            }

            packed[l] = new float[PackedDense.PackedLength<float>(inputs, units)];
            PackedDense.Pack<float>(w, b, inputs, units, packed[l]);
        }

        float[] x = new float[13], h1 = new float[32], h2 = new float[16], y = new float[3], yOld = new float[3];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)((random.NextDouble() * 4) - 2);
        }

        void Old()
        {
            g1(ref packed[0][0], 13, 32, ref x[0], ref h1[0], default, false);
            g1(ref packed[1][0], 32, 16, ref h1[0], ref h2[0], default, false);
            g3(ref packed[2][0], 16, 3, ref h2[0], ref y[0], default, false);
        }

        void New()
        {
            s1(ref packed[0][0], 13, 32, ref x[0], ref h1[0], default);
            s1(ref packed[1][0], 32, 16, ref h1[0], ref h2[0], default);
            s3(ref packed[2][0], 16, 3, ref h2[0], ref y[0], default);
        }

        Old();
        y.CopyTo(yOld, 0);
        New();
        if (!y.AsSpan().SequenceEqual(yOld))
        {
            throw new InvalidOperationException("SmallRow256 and Row256 disagree.");
        }

        const int Calls = 20_000;
        var old = new List<double>();
        var @new = new List<double>();
        for (int c = 0; c < Calls; c++)
        {
            Old();
            New();
        }

        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < 2; k++)
            {
                bool first = ((round + k) % 2) == 0;
                Action call = first ? Old : New;
                double start = ThreadCpu.Milliseconds();
                for (int c = 0; c < Calls; c++)
                {
                    call();
                }

                (first ? old : @new).Add((ThreadCpu.Milliseconds() - start) * 1e6 / Calls);
            }
        }

        // The generated Predict with PackedDense's switch on (SmallRow256) and off (Row256), alternating rounds.
        FieldInfo small = typeof(PackedDense).GetField("s_smallRows", BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException("PackedDense.s_smallRows not found.");
        TabularNetwork tab = Models.Load(new TabularNetwork(), "tab13");
        float[] output = new float[3], outputOld = new float[3];
        small.SetValue(null, false);
        tab.Predict(x, outputOld);
        small.SetValue(null, true);
        tab.Predict(x, output);
        if (!output.AsSpan().SequenceEqual(outputOld))
        {
            throw new InvalidOperationException("Predict differs with and without SmallRow256.");
        }

        var predictOld = new List<double>();
        var predictNew = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < 2; k++)
            {
                bool first = ((round + k) % 2) == 0;
                small.SetValue(null, !first);
                double start = ThreadCpu.Milliseconds();
                for (int c = 0; c < Calls; c++)
                {
                    tab.Predict(x, output);
                }

                (first ? predictOld : predictNew).Add((ThreadCpu.Milliseconds() - start) * 1e6 / Calls);
            }
        }

        small.SetValue(null, true);

        double Median(IEnumerable<double> values)
        {
            List<double> sorted = values.OrderBy(v => v).ToList();
            return sorted[sorted.Count / 2];
        }

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"13-32-16-3 tanh layers, one row, {rounds} alternating rounds of {Calls:N0} calls (thread CPU), {DateTime.UtcNow:HH:mm} UTC:");
        report.AppendLine(CultureInfo.InvariantCulture, $"Row256: median {Median(old):0.0} ns (fastest {old.Min():0.0}); SmallRow256: median {Median(@new):0.0} ns (fastest {@new.Min():0.0}); median per-round ratio new/old {Median(old.Zip(@new, (o, n) => n / o)):0.000}");
        report.AppendLine(CultureInfo.InvariantCulture, $"13-32-16-3 tanh `Predict` (generated): Row256 median {Median(predictOld):0.0} ns (fastest {predictOld.Min():0.0}); SmallRow256 median {Median(predictNew):0.0} ns (fastest {predictNew.Min():0.0}); median per-round ratio new/old {Median(predictOld.Zip(predictNew, (o, n) => n / o)):0.000}");
        return report.ToString();
    }
}
