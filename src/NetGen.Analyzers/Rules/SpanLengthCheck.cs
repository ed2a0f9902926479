using System;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace NetGen.SourceGeneration;

/// <summary>NG2002: span arguments whose constant length cannot fit InputSize / OutputSize.</summary>
internal static class SpanLengthCheck
{
    public static void Run(IInvocationOperation invocation, NetworkShape shape, Action<Diagnostic> report, CancellationToken cancellationToken)
    {
        IArgumentOperation? first = null, second = null;
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            switch (argument.Parameter?.Name)
            {
                case "input" or "inputs":
                    first = argument;
                    break;
                case "output" or "outputs" or "targets" or "labels":
                    second = argument;
                    break;
            }
        }

        string method = invocation.TargetMethod.Name;
        int? inputLength = ConstantSpanLength.Of(first?.Value, cancellationToken);
        int? secondLength = ConstantSpanLength.Of(second?.Value, cancellationToken);
        if (method is "Predict" or "PredictClass")
        {
            if (inputLength is { } length && length != shape.InputSize)
            {
                Mismatch(report, first!, shape, method, length, $"InputSize is {Numbers.Int(shape.InputSize)}");
            }

            if (secondLength is { } outputLength && outputLength != shape.OutputSize)
            {
                Mismatch(report, second!, shape, method, outputLength, $"OutputSize is {Numbers.Int(shape.OutputSize)}");
            }

            return;
        }

        bool training = method == "TrainBatch";
        int? rows = null;
        if (inputLength is { } batchLength)
        {
            if (batchLength % shape.InputSize != 0)
            {
                Mismatch(report, first!, shape, method, batchLength, $"it must hold whole rows: a multiple of InputSize {Numbers.Int(shape.InputSize)}");
            }
            else if (training && batchLength == 0)
            {
                Mismatch(report, first!, shape, method, batchLength, "a training batch needs at least one row");
            }
            else
            {
                rows = batchLength / shape.InputSize;
            }
        }

        if (second is null || secondLength is not { } length2)
        {
            return;
        }

        bool labels = second.Parameter?.Name == "labels";
        int rowSize = labels ? 1 : shape.OutputSize;
        string rowName = labels ? "one label per row" : $"OutputSize {Numbers.Int(shape.OutputSize)}";
        if (length2 % rowSize != 0)
        {
            Mismatch(report, second, shape, method, length2, $"it must hold whole rows: a multiple of {rowName}");
        }
        else if (rows is { } inputRows && length2 != inputRows * rowSize)
        {
            string need = labels ? $"{Numbers.Int(inputRows)} input rows need {Numbers.Int(inputRows)} labels"
                : $"{Numbers.Int(inputRows)} input rows need {Numbers.Int(inputRows)} x OutputSize {Numbers.Int(shape.OutputSize)} = {Numbers.Int(inputRows * rowSize)}";
            Mismatch(report, second, shape, method, length2, need);
        }
    }

    private static void Mismatch(Action<Diagnostic> report, IArgumentOperation argument, NetworkShape shape, string method, int length, string expectation) =>
        report(Diagnostic.Create(UsageDescriptors.SpanLengthMismatch, argument.Syntax.GetLocation(),
            argument.Parameter?.Name ?? "argument", shape.TypeName, method, Numbers.Int(length), expectation));
}
