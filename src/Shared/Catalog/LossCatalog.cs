namespace NetGen.SourceGeneration;

/// <summary>One <see cref="LossEntry"/> per trainable <see cref="Loss"/> member, with PyTorch's formulas.</summary>
internal static class LossCatalog
{
    private static readonly LossEntry MeanSquaredError = new(Loss.MeanSquaredError, new LossForm(
        "Squared error: loss = Σ (y - t)², gradient 2 (y - t).", Reads.Y,
        s => Elementwise(s, "d * d", $"{s.Literal(2)} * d")))
    {
        IsRegression = true,
    };

    private static readonly LossEntry MeanAbsoluteError = new(Loss.MeanAbsoluteError, new LossForm(
        "Absolute error: loss = Σ |y - t|, gradient sign(y - t) (0 where y = t, as PyTorch).", Reads.Y,
        s => Elementwise(s, $"{s.MathClass}.Abs(d)", $"d > {s.Literal(0)} ? {s.Literal(1)} : d < {s.Literal(0)} ? {s.Literal(-1)} : {s.Literal(0)}")))
    {
        IsRegression = true,
    };

    private static readonly LossEntry Huber = new(Loss.Huber, new LossForm(
        "Huber loss with δ = 1: ½ d² where |d| ≤ 1, |d| - ½ beyond; gradient d clamped to [-1, 1].", Reads.Y,
        s => Elementwise(s, $"{s.MathClass}.Abs(d) <= {s.Literal(1)} ? {s.Literal(0.5)} * d * d : {s.MathClass}.Abs(d) - {s.Literal(0.5)}",
            $"{s.MathClass}.Min({s.MathClass}.Max(d, {s.Literal(-1)}), {s.Literal(1)})")))
    {
        IsRegression = true,
    };

    private static readonly LossEntry BinaryCrossEntropy = new(Loss.BinaryCrossEntropy, new LossForm(
        "Binary cross-entropy on outputs that are not a sigmoid's (NG1012): -(t ln y + (1 - t) ln(1 - y)) with each log clamped at -100 as PyTorch's BCELoss.",
        Reads.Y, s => $$"""
            {{s.Name}} loss = {{s.Literal(0)}};
            for (int k = 0; k < Units; k++)
            {
                {{s.Name}} yk = Unsafe.Add(ref y, k), tk = Unsafe.Add(ref t, k);
                loss -= (tk * {{s.MathClass}}.Max({{s.MathClass}}.Log(yk), {{s.Literal(-100)}})) + (({{s.Literal(1)}} - tk) * {{s.MathClass}}.Max({{s.MathClass}}.Log({{s.Literal(1)}} - yk), {{s.Literal(-100)}}));
                Unsafe.Add(ref g, k) = (yk - tk) / {{s.MathClass}}.Max(yk * ({{s.Literal(1)}} - yk), {{s.Literal(1e-12)}}) * scale;
            }

            return loss;
            """))
    {
        Fused = new LossForm(
            "Binary cross-entropy fused with the sigmoid, from the logit z: loss = max(z, 0) - z t + ln(1 + e^-|z|), stable for any z; the gradient at z is sigmoid(z) - t.",
            Reads.Z | Reads.Y, s => $$"""
                {{s.Name}} loss = {{s.Literal(0)}};
                for (int k = 0; k < Units; k++)
                {
                    {{s.Name}} zk = Unsafe.Add(ref z, k), tk = Unsafe.Add(ref t, k);
                    loss += {{s.MathClass}}.Max(zk, {{s.Literal(0)}}) - (zk * tk) + Log1P({{s.MathClass}}.Exp(-{{s.MathClass}}.Abs(zk)));
                    Unsafe.Add(ref g, k) = (Unsafe.Add(ref y, k) - tk) * scale;
                }

                return loss;
                """, SharedHelpers.Log1P),
    };

    private static readonly LossEntry CrossEntropy = new(Loss.CrossEntropy, new LossForm(
        "Cross-entropy on outputs that are not a softmax's (NG1011): -Σ t ln y, each log clamped at -100.",
        Reads.Y, s => $$"""
            {{s.Name}} loss = {{s.Literal(0)}};
            for (int k = 0; k < Units; k++)
            {
                {{s.Name}} yk = Unsafe.Add(ref y, k), tk = Unsafe.Add(ref t, k);
                loss -= tk == {{s.Literal(0)}} ? {{s.Literal(0)}} : tk * {{s.MathClass}}.Max({{s.MathClass}}.Log(yk), {{s.Literal(-100)}});
                Unsafe.Add(ref g, k) = tk == {{s.Literal(0)}} ? {{s.Literal(0)}} : -tk / {{s.MathClass}}.Max(yk, {{s.Literal(1e-12)}}) * scale;
            }

            return loss;
            """))
    {
        AveragesOverRows = true,
        Fused = new LossForm(
            "Cross-entropy fused with softmax: loss = -Σ t_k log p_k with log p_k = z_k - log Σ e^z (no log of a rounded 0), and the gradient at the logits is (p Σt - t), which is p - t for one-hot targets.",
            Reads.Z | Reads.Y, s => $$"""
                {{s.Name}} max = z;
                for (int k = 1; k < Units; k++)
                {
                    max = {{s.MathClass}}.Max(max, Unsafe.Add(ref z, k));
                }

                {{s.Name}} sumExp = {{s.Literal(0)}};
                for (int k = 0; k < Units; k++)
                {
                    sumExp += {{s.MathClass}}.Exp(Unsafe.Add(ref z, k) - max);
                }

                {{s.Name}} logSumExp = max + {{s.MathClass}}.Log(sumExp);
                {{s.Name}} loss = {{s.Literal(0)}}, targetSum = {{s.Literal(0)}};
                for (int k = 0; k < Units; k++)
                {
                    {{s.Name}} tk = Unsafe.Add(ref t, k);
                    if (tk != {{s.Literal(0)}})
                    {
                        loss -= tk * (Unsafe.Add(ref z, k) - logSumExp);
                    }

                    targetSum += tk;
                }

                for (int k = 0; k < Units; k++)
                {
                    Unsafe.Add(ref g, k) = ((Unsafe.Add(ref y, k) * targetSum) - Unsafe.Add(ref t, k)) * scale;
                }

                return loss;
                """),
    };

    /// <summary>The entry of a trainable loss; null for <see cref="Loss.None"/> and values that are no member.</summary>
    public static LossEntry? Of(Loss loss) => loss switch
    {
        Loss.MeanSquaredError => MeanSquaredError,
        Loss.MeanAbsoluteError => MeanAbsoluteError,
        Loss.Huber => Huber,
        Loss.BinaryCrossEntropy => BinaryCrossEntropy,
        Loss.CrossEntropy => CrossEntropy,
        _ => null,
    };

    /// <summary>An element-wise loss over d = y - t.</summary>
    private static string Elementwise(ScalarType s, string lossTerm, string gradient) => $$"""
        {{s.Name}} loss = {{s.Literal(0)}};
        for (int k = 0; k < Units; k++)
        {
            {{s.Name}} d = Unsafe.Add(ref y, k) - Unsafe.Add(ref t, k);
            loss += {{lossTerm}};
            Unsafe.Add(ref g, k) = ({{gradient}}) * scale;
        }

        return loss;
        """;
}
