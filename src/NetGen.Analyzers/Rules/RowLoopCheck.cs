using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace NetGen.SourceGeneration;

/// <summary>
/// NG2003: <c>Predict(buffer.Slice(row * n, n), ...)</c> (or <c>AsSpan</c>, or a range) inside a loop whose variable picks the
/// row of a buffer that does not change in the loop.
/// </summary>
internal static class RowLoopCheck
{
    public static void Run(IInvocationOperation invocation, Action<Diagnostic> report)
    {
        IOperation? input = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "input")?.Value;
        while (input is IConversionOperation conversion)
        {
            input = conversion.Operand;
        }

        if (input is null || !TrySplitSlice(input, out IOperation? buffer, out IReadOnlyList<IOperation> offsets))
        {
            return;
        }

        HashSet<ILocalSymbol> loopVariables = LoopVariables(invocation);
        if (loopVariables.Count == 0 || References(buffer, loopVariables) || !offsets.Any(o => References(o, loopVariables)))
        {
            return;
        }

        string network = invocation.Instance?.Syntax.ToString() ?? invocation.TargetMethod.ContainingType.Name;
        report(Diagnostic.Create(UsageDescriptors.PredictInRowLoop, invocation.Syntax.GetLocation(), network, buffer.Syntax.ToString()));
    }

    /// <summary>Recognises <c>b.Slice(o, n)</c>, <c>b.AsSpan(o, n)</c> (instance or extension) and <c>b[o..e]</c>.</summary>
    private static bool TrySplitSlice(IOperation input, out IOperation buffer, out IReadOnlyList<IOperation> offsets)
    {
        buffer = input;
        offsets = Array.Empty<IOperation>();
        if (input is IInvocationOperation { TargetMethod.Name: "Slice" or "AsSpan" } slice)
        {
            IOperation? receiver = slice.Instance ?? slice.Arguments.FirstOrDefault()?.Value;
            if (receiver is null)
            {
                return false;
            }

            buffer = receiver;
            offsets = slice.Arguments.Where(a => a.Value != receiver).Select(a => a.Value).ToList();
            return offsets.Count > 0;
        }

        if (input.Syntax is ElementAccessExpressionSyntax { ArgumentList.Arguments.Count: 1 } access
            && access.ArgumentList.Arguments[0].Expression is RangeExpressionSyntax
            && input.ChildOperations.Count >= 2)
        {
            buffer = input.ChildOperations.First();
            offsets = input.ChildOperations.Skip(1).ToList();
            return true;
        }

        return false;
    }

    /// <summary>Variables of the loops around the call (for and foreach), up to the enclosing function.</summary>
    private static HashSet<ILocalSymbol> LoopVariables(IOperation operation)
    {
        var variables = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        for (IOperation? current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                break;
            }

            if (current is IForLoopOperation forLoop)
            {
                variables.UnionWith(forLoop.Locals);
            }
            else if (current is IForEachLoopOperation forEach)
            {
                variables.UnionWith(forEach.Locals);
            }
        }

        return variables;
    }

    private static bool References(IOperation operation, HashSet<ILocalSymbol> locals) =>
        operation.DescendantsAndSelf().Any(o => o is ILocalReferenceOperation reference && locals.Contains(reference.Local));
}
