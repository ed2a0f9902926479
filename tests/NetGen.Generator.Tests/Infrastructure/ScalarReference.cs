using System;

namespace NetGen.Generator.Tests.Infrastructure;

/// <summary>
/// The functional networks computed the plain way, in double, straight from the layer formulas (docs/numerics.md): for each layer, loops
/// over W[out, in] row-major, the bias, the activation. Independent of the generator's code.
/// </summary>
internal static class ScalarReference
{
    public static double[] Forward(string activation, double[] parameters, double[] input)
    {
        int[] sizes = GeneratedNetworks.Sizes;
        double[] x = input;
        int offset = 0;
        for (int layer = 1; layer < sizes.Length; layer++)
        {
            int inputs = sizes[layer - 1], units = sizes[layer];
            bool tested = layer % 2 == 1;
            string f = tested ? activation : "Tanh";
            var z = new double[units];
            for (int u = 0; u < units; u++)
            {
                for (int i = 0; i < inputs; i++)
                {
                    z[u] += parameters[offset + (u * inputs) + i] * x[i];
                }
            }

            offset += units * inputs;
            if (tested)
            {
                for (int u = 0; u < units; u++)
                {
                    z[u] += parameters[offset + u];
                }

                offset += units;
            }

            double slope = 0.3;
            if (tested && f == "PReLU")
            {
                slope = parameters[offset++];
            }

            x = Apply(f, z, slope);
        }

        return x;
    }

    private static double[] Apply(string f, double[] z, double slope)
    {
        if (f == "Softmax")
        {
            double max = double.NegativeInfinity, sum = 0;
            foreach (double v in z)
            {
                max = Math.Max(max, v);
            }

            var e = Array.ConvertAll(z, v => Math.Exp(v - max));
            foreach (double v in e)
            {
                sum += v;
            }

            return Array.ConvertAll(e, v => v / sum);
        }

        return Array.ConvertAll(z, v => f switch
        {
            "Linear" => v,
            "Sigmoid" => 1 / (1 + Math.Exp(-v)),
            "Tanh" => Math.Tanh(v),
            "ReLU" => Math.Max(0, v),
            "LeakyReLU" or "PReLU" => v > 0 ? v : slope * v,
            "ELU" => v > 0 ? v : 0.3 * (Math.Exp(v) - 1),
            "SELU" => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * (Math.Exp(v) - 1)),
            "Softplus" => v > 20 ? v : Math.Log(1 + Math.Exp(v)),
            "GELU" => 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + (0.044715 * v * v * v)))),
            "SiLU" => v / (1 + Math.Exp(-v)),
            "PiecewiseLinear" => v <= -0.5 ? 0 : v >= 0.5 ? 1 : v + 0.5,
            "Step" => v > 0 ? 1 : v < 0 ? 0 : 0.5,
            "Sign" => Math.Sign(v),
            _ => throw new ArgumentException(f),
        });
    }
}
