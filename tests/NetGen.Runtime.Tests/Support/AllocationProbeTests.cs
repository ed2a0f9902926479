using System;
using Xunit;

namespace NetGen.Runtime.Tests;

/// <summary>The probe the zero-allocation tests rely on sees an allocation, and sees none where there is none.</summary>
public class AllocationProbeTests
{
    private static object? sink;

    [Fact]
    public void AnArrayAllocatedInsideIsCounted()
    {
        Allocation allocation = AllocationProbe.Measure(() => sink = new byte[1000]);
        Assert.InRange(allocation.Bytes, 1000, 1100); // the array's elements, its header and length
        Assert.Throws<Xunit.Sdk.TrueException>(() => AllocationProbe.AssertNone(() => sink = new byte[16]));
    }

    [Fact]
    public void ArithmeticAllocatesNothing()
    {
        int sum = 0;
        AllocationProbe.AssertNone(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                sum += i;
            }
        });
        Assert.Equal(499_500, sum);
    }
}
