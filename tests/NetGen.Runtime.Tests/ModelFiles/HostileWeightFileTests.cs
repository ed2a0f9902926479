using System;
using System.IO;
using System.Linq;
using NetGen;

namespace NetGen.Runtime.Tests.ModelFiles;

/// <summary>The hostile weight files of issue 8, one by one: each fails with InvalidDataException, allocates little and leaves the network as it was.</summary>
public class HostileWeightFileTests
{
    private static readonly float[] Expected = Enumerable.Range(0, SavedNet.ParameterCount).Select(WeightFiles.Value).ToArray();

    [Fact]
    public void TheValidFilesTheseTestsDamageLoad()
    {
        var net = new SavedNet();
        WeightImport.LoadSafeTensors(net, new MemoryStream(WeightFiles.SavedNetSafeTensors()));
        Assert.Equal(Expected, net.Parameters.ToArray());
        foreach (bool compressed in new[] { false, true })
        {
            net = new SavedNet();
            WeightImport.LoadNpz(net, new MemoryStream(WeightFiles.Npz(WeightFiles.SavedNetArrays(), compressed)));
            Assert.Equal(Expected, net.Parameters.ToArray());
            net = new SavedNet();
            WeightImport.LoadNpz(net, new ForwardOnlyStream(WeightFiles.Npz(WeightFiles.SavedNetArrays(), compressed)));
            Assert.Equal(Expected, net.Parameters.ToArray());
        }
    }

    [Fact]
    public void ASmallNpyClaimingHalfABillionFloatsFailsWithoutAllocatingThem()
    {
        byte[] file = WeightFiles.Npy("<f4", "(500000000,)", new byte[512]);
        Assert.InRange(file.Length, 600, 700);
        foreach (Stream stream in new Stream[] { new MemoryStream(file), new ForwardOnlyStream(file) })
        {
            var error = Fails(() => WeightImport.ReadNpy(stream, "0.weight"), maxBytes: 2_200_000);
            Assert.Contains("'0.weight'", error.Message, StringComparison.Ordinal);
            Assert.Contains("2000000000 bytes", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ADeflateBombInAnNpzStopsAtTheNetworksSize()
    {
        byte[] bomb = WeightFiles.DeflateBomb(100_000_000); // 400 MB of zeros, which the old reader held three times over (1.2 GB)
        Assert.InRange(bomb.Length, 100_000, 1_300_000);
        var net = new SavedNet(seed: 3);
        float[] before = net.Parameters.ToArray();
        var error = Fails(() => WeightImport.LoadNpz(net, new MemoryStream(bomb)), maxBytes: (8L * bomb.Length) + 1_000_000);
        Assert.Contains("'0.weight.npy' declares 400000128 uncompressed bytes, more than the", error.Message, StringComparison.Ordinal);
        Assert.Contains("SavedNet' with 40 parameters", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, net.Parameters.ToArray());
    }

    [Fact]
    public void ASafeTensorsHeaderLengthOfAHundredMillionFailsWithoutAllocatingIt()
    {
        byte[] file = WeightFiles.SafeTensors("{}" + new string(' ', 1000), Array.Empty<byte>(), declaredLength: 100_000_000);
        foreach (Stream stream in new Stream[] { new MemoryStream(file), new ForwardOnlyStream(file) })
        {
            var error = Fails(() => WeightImport.ReadSafeTensors(stream), maxBytes: 2_200_000);
            Assert.Contains("100000000", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AnOverflowingShapeIsReportedAsSuch()
    {
        // 65536^4 = 2^64 wraps to 0 in 64-bit arithmetic; the old message read "needs 0 values, got 128".
        byte[] file = WeightFiles.SafeTensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[65536,65536,65536,65536],\"data_offsets\":[0,128]}}", new byte[128]);
        var error = Fails(() => WeightImport.ReadSafeTensors(new MemoryStream(file)), maxBytes: 100_000);
        Assert.Contains("[65536, 65536, 65536, 65536]", error.Message, StringComparison.Ordinal);
        Assert.Contains("overflows", error.Message, StringComparison.Ordinal);

        Assert.Contains("overflows", Fails(() => WeightImport.ReadNpy(new MemoryStream(WeightFiles.Npy("<f4", "(65536, 65536, 65536, 65536)", new byte[128])), "w"), 100_000).Message, StringComparison.Ordinal);
        var argument = Assert.Throws<ArgumentException>(() => new NamedTensor("w", new[] { 65536, 65536, 65536, 65536 }, Array.Empty<double>()));
        Assert.Contains("overflows", argument.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]", "not valid JSON")] // JsonReaderException before
    [InlineData("{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", "no string 'dtype'")] // KeyNotFoundException before
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":\"2\",\"data_offsets\":[0,8]}}", "no 'shape' array")] // InvalidOperationException before
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", "'2.5' in 'shape'")] // FormatException before
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[3000000000],\"data_offsets\":[0,8]}}", "dimension 3000000000")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,16]}}", "3 'data_offsets' values")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", "needs 12 bytes, but its data_offsets [0, 8] span 8")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", "starts at data offset 8")]
    [InlineData("{\"w\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "dtype I32")]
    [InlineData("[1,2]", "JSON Array, not an object")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "lists 'w' twice")]
    public void MalformedSafeTensorsHeadersAreInvalidData(string header, string message)
    {
        var error = Fails(() => WeightImport.ReadSafeTensors(new MemoryStream(WeightFiles.SafeTensors(header, new byte[8]))), maxBytes: 200_000);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SafeTensorsDataMustEndWhereTheHeaderSays()
    {
        byte[] good = WeightFiles.SavedNetSafeTensors();
        Assert.Contains("truncated", Fails(() => WeightImport.ReadSafeTensors(new MemoryStream(good[..^4])), 200_000).Message, StringComparison.Ordinal);
        Assert.Contains("appended", Fails(() => WeightImport.ReadSafeTensors(new MemoryStream(good.Concat(new byte[10]).ToArray())), 200_000).Message, StringComparison.Ordinal);
        Assert.Contains("appended", Fails(() => WeightImport.ReadSafeTensors(new ForwardOnlyStream(good.Concat(new byte[10]).ToArray())), 200_000).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (a,), }", "not a non-negative integer")] // FormatException before
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999,), }", "dimension 99999999999")] // OverflowException before
    [InlineData("{'descr': '<f4', 'fortran_order': False, }", "has no 'shape'")]
    [InlineData("{'descr': '<f4', 'fortran_order': maybe, 'shape': (2,), }", "neither True nor False")]
    [InlineData("{'descr': '<f4', 'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", "repeated key 'descr'")]
    [InlineData("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", "dtype '>f4'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } x", "text after its closing brace")]
    public void MalformedNpyHeadersAreInvalidData(string dict, string message)
    {
        byte[] header = System.Text.Encoding.ASCII.GetBytes(dict + "\n");
        byte[] file = new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0 }.Concat(header).Concat(new byte[8]).ToArray();
        var error = Fails(() => WeightImport.ReadNpy(new MemoryStream(file), "a"), maxBytes: 100_000);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryByteOfAnNpzIsCoveredByItsChecks()
    {
        // Each single-byte change of a stored and of a compressed archive either fails with InvalidDataException or
        // (in fields that do not decide the content, such as timestamps) loads exactly the original weights. Before,
        // about half of random mutations loaded different weights: the entries' CRC-32 was never checked.
        foreach (bool compressed in new[] { false, true })
        {
            byte[] good = WeightFiles.Npz(WeightFiles.SavedNetArrays(), compressed);
            int failed = 0;
            for (int i = 0; i < good.Length; i++)
            {
                byte[] damaged = (byte[])good.Clone();
                damaged[i] ^= 0x5A;
                var net = new SavedNet(seed: 9);
                float[] before = net.Parameters.ToArray();
                try
                {
                    WeightImport.LoadNpz(net, new MemoryStream(damaged));
                    Assert.Equal(Expected, net.Parameters.ToArray());
                }
                catch (InvalidDataException)
                {
                    Assert.Equal(before, net.Parameters.ToArray());
                    failed++;
                }
            }

            Assert.InRange(failed, good.Length / 2, good.Length);
        }
    }

    [Fact]
    public void ACrcMismatchNamesTheEntry()
    {
        byte[] npz = WeightFiles.Npz(WeightFiles.SavedNetArrays(), compressed: false);
        int name = IndexOf(npz, System.Text.Encoding.ASCII.GetBytes("0.bias.npy")); // in the first (local) header
        int data = name + 10 + BitConverter.ToUInt16(npz, name - 30 + 28);
        Assert.Equal(0x93, npz[data]);
        npz[data + 128 + 2] ^= 1; // a value byte, after the 128-byte .npy header

        var error = Fails(() => WeightImport.LoadNpz(new SavedNet(), new MemoryStream(npz)), maxBytes: 200_000);
        Assert.Contains("'0.bias.npy' is damaged: its CRC-32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FilesThatDoNotFitTheNetworkFailBeforeTheirDataIsRead()
    {
        // A valid safetensors file with one 1,000,000-float tensor: more values than SavedNet's 43 parameters.
        byte[] big = WeightFiles.SafeTensors("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[1000,1000],\"data_offsets\":[0,4000000]}}", new byte[4_000_000]);
        var net = new SavedNet(seed: 2);
        float[] before = net.Parameters.ToArray();
        var error = Fails(() => WeightImport.LoadSafeTensors(net, new MemoryStream(big)), maxBytes: 100_000);
        Assert.Contains("'0.weight' holds 1000000 values, but '", error.Message, StringComparison.Ordinal);
        Assert.Contains("SavedNet' has 40 parameters", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, net.Parameters.ToArray());
    }

    [Fact]
    public void MissingFilesAreFileNotFound()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"netgen-missing-{Guid.NewGuid():N}");
        Assert.Throws<FileNotFoundException>(() => WeightImport.LoadNpz(new SavedNet(), missing + ".npz"));
        Assert.Throws<FileNotFoundException>(() => WeightImport.LoadSafeTensors(new SavedNet(), missing + ".safetensors"));
        Assert.Throws<FileNotFoundException>(() => ModelFile.Load(new SavedNet(), missing + ".ngm"));
    }

    /// <summary>Asserts <paramref name="action"/> throws InvalidDataException (exactly) having allocated at most <paramref name="maxBytes"/>.</summary>
    private static InvalidDataException Fails(Action action, long maxBytes)
    {
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        InvalidDataException error = Assert.Throws<InvalidDataException>(action);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - allocated, 0, maxBytes);
        return error;
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return i;
            }
        }

        throw new InvalidOperationException("not found");
    }
}
