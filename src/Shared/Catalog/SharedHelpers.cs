namespace NetGen.SourceGeneration;

/// <summary>Helpers that more than one catalog entry calls.</summary>
internal static class SharedHelpers
{
    /// <summary>Softplus and the fused sigmoid + binary cross-entropy use it.</summary>
    public static readonly HelperCode Log1P = HelperCode.Block("Log1P", 150, s => $$"""
        /// <summary>ln(1 + u) without losing the digits of a small u: ln(v) * u / (v - 1) with v = 1 + u cancels the rounding of v.</summary>
        private static {{s.Name}} Log1P({{s.Name}} u)
        {
            {{s.Name}} v = {{s.Literal(1)}} + u;
            return v == {{s.Literal(1)}} ? u : {{s.MathClass}}.Log(v) * (u / (v - {{s.Literal(1)}}));
        }
        """);
}
