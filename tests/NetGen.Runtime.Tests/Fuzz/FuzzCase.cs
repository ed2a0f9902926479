using System;
using System.IO;
using NetGen;

namespace NetGen.Runtime.Tests.Fuzz;

/// <summary>Runs one hostile input and checks the promises of docs/reliability.md.</summary>
internal static class FuzzCase
{
    /// <summary>The allocation bound every fuzz test states: 64 bytes per input byte, 8 per parameter, and 1 MB.</summary>
    public static long Bound(long inputLength, long parameters) => (64 * inputLength) + (8 * parameters) + (1 << 20);

    /// <summary>
    /// Runs <paramref name="load"/> on <paramref name="network"/>: only <paramref name="documented"/> may escape, the
    /// call may allocate at most <see cref="Bound"/>, a failure leaves the parameters bit for bit as they were, and a
    /// success gives <paramref name="expected"/> when it is known (null: any values).
    /// </summary>
    public static void Run<T>(FuzzLedger ledger, string label, long inputLength, INeuralNetwork<T>? network, Action load, T[]? expected, Type documented)
        where T : unmanaged
    {
        T[] before = network is null ? Array.Empty<T>() : network.Parameters.ToArray();
        long bound = Bound(inputLength, network?.ParameterCount ?? 0);
        Exception? error = null;
        long start = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            load();
        }
        catch (Exception e)
        {
            error = e;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - start;
        ledger.Allocated(allocated, bound);
        if (allocated > bound)
        {
            ledger.Fail($"{label}: allocated {allocated} bytes, bound {bound} ({error?.GetType().Name ?? "success"})");
        }

        if (error is null)
        {
            T[] after = network is null ? Array.Empty<T>() : network.Parameters.ToArray();
            if (expected is null)
            {
                ledger.Record(network is null || !FuzzLedger.Same(after, before) ? "loaded" : "loaded (parameters as before)");
            }
            else if (FuzzLedger.Same(after, expected))
            {
                ledger.Record("loaded the original weights");
            }
            else
            {
                ledger.Record("loaded different weights");
                ledger.Fail($"{label}: loaded weights that differ from the file's");
            }

            return;
        }

        ledger.Record(error.GetType().Name);
        if (error.GetType() != documented)
        {
            ledger.Fail($"{label}: {error.GetType().FullName}: {error.Message}");
        }

        if (network is not null && !FuzzLedger.Same(network.Parameters.ToArray(), before))
        {
            ledger.Fail($"{label}: the failed load changed the parameters ({error.Message})");
        }
    }

    public static Stream Open(byte[] bytes, bool forwardOnly) =>
        forwardOnly ? new NetGen.Runtime.Tests.ModelFiles.ForwardOnlyStream(bytes) : new MemoryStream(bytes, writable: false);
}
