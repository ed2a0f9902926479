using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using NetGen;

namespace NetGen.Runtime.Tests.ModelFiles;

[Input(5)]
[Dense(4, Activation.PReLU)]
[Dense(3, Activation.Softmax)]
public partial class SavedNet { }

[Input(5)]
[Dense(4, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class OtherActivationNet { }

[Network(Precision = Precision.Double)]
[Input(5)]
[Dense(4, Activation.PReLU)]
[Dense(3, Activation.Softmax)]
public partial class SavedNetDouble { }

// 10,100 parameters: 40 kB per file, so two copies do not fit the 64 kB file system of the full-disk test.
[Input(100)]
[Dense(100, Activation.Linear)]
public partial class WideNet { }

public sealed class ModelFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netgen-model-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void SavedParametersLoadBackExactlyThroughFilesAndStreams()
    {
        var source = new SavedNet(seed: 1);
        var doubleSource = new SavedNetDouble(seed: 2);
        string path = Path.Combine(_directory, "net.ngm");
        ModelFile.Save(source, path);
        var stream = new MemoryStream();
        ModelFile.Save(doubleSource, stream);

        var target = new SavedNet(seed: 99);
        Assert.NotEqual(source.Parameters.ToArray(), target.Parameters.ToArray());
        ModelFile.Load(target, path);
        Assert.Equal(source.Parameters.ToArray(), target.Parameters.ToArray());

        var doubleTarget = new SavedNetDouble(seed: 98);
        stream.Position = 0;
        ModelFile.Load(doubleTarget, stream);
        Assert.Equal(doubleSource.Parameters.ToArray(), doubleTarget.Parameters.ToArray());
    }

    [Fact]
    public void SavingReplacesTheFileAtomicallyAndLeavesNoTemporaryFile()
    {
        string path = Path.Combine(_directory, "net.ngm");
        ModelFile.Save(new SavedNet(seed: 1), path);
        var second = new SavedNet(seed: 2);
        ModelFile.Save(second, path);
        Assert.Equal(new[] { "net.ngm" }, Array.ConvertAll(Directory.GetFiles(_directory), Path.GetFileName));

        var loaded = new SavedNet(seed: 3);
        ModelFile.Load(loaded, path);
        Assert.Equal(second.Parameters.ToArray(), loaded.Parameters.ToArray());

        Assert.ThrowsAny<IOException>(() => ModelFile.Save(second, Path.Combine(_directory, "missing", "net.ngm")));
        Assert.False(Directory.Exists(Path.Combine(_directory, "missing")));
    }

    [Fact]
    public void AnotherArchitectureIsRefusedAndTheNetworkKeepsItsParameters()
    {
        string path = Path.Combine(_directory, "net.ngm");
        ModelFile.Save(new SavedNet(seed: 1), path);
        var other = new OtherActivationNet(seed: 5);
        float[] before = other.Parameters.ToArray();

        var error = Assert.Throws<InvalidDataException>(() => ModelFile.Load(other, path));
        Assert.Contains("in5|dense4:PReLU:b|dense3:Softmax:b|single", error.Message, StringComparison.Ordinal);
        Assert.Contains("in5|dense4:ReLU:b|dense3:Softmax:b|single", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, other.Parameters.ToArray());
    }

    [Fact]
    public void AnotherPrecisionIsRefused()
    {
        var stream = new MemoryStream();
        ModelFile.Save(new SavedNetDouble(), stream);
        stream.Position = 0;
        var error = Assert.Throws<InvalidDataException>(() => ModelFile.Load(new SavedNet(), stream));
        Assert.Contains("double", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryFlippedByteIsDetected()
    {
        var stream = new MemoryStream();
        ModelFile.Save(new SavedNet(seed: 1), stream);
        byte[] good = stream.ToArray();
        for (int i = 0; i < good.Length; i++)
        {
            byte[] damaged = (byte[])good.Clone();
            damaged[i] ^= 0x10;
            var target = new SavedNet(seed: 7);
            float[] before = target.Parameters.ToArray();
            Assert.Throws<InvalidDataException>(() => ModelFile.Load(target, new MemoryStream(damaged)));
            Assert.Equal(before, target.Parameters.ToArray());
        }
    }

    [Fact]
    public void TruncatedFilesSayWhereTheyEnd()
    {
        var stream = new MemoryStream();
        ModelFile.Save(new SavedNet(seed: 1), stream);
        byte[] good = stream.ToArray();
        foreach (int length in new[] { 0, 3, 11, 20, good.Length - 5, good.Length - 1 })
        {
            var error = Assert.Throws<InvalidDataException>(() => ModelFile.Load(new SavedNet(), new MemoryStream(good[..length])));
            Assert.True(error.Message.Contains("truncated", StringComparison.Ordinal) || error.Message.Contains("Not a NetGen", StringComparison.Ordinal), error.Message);
        }
    }

    [Fact]
    public void AFileWithDataAfterItsChecksumIsRefusedButStreamsReadOneModelAtATime()
    {
        string path = Path.Combine(_directory, "net.ngm");
        ModelFile.Save(new SavedNet(seed: 1), path);
        using (var file = new FileStream(path, FileMode.Append))
        {
            file.Write(new byte[1 << 20]);
        }

        var target = new SavedNet(seed: 7);
        float[] before = target.Parameters.ToArray();
        var error = Assert.Throws<InvalidDataException>(() => ModelFile.Load(target, path));
        Assert.Contains("1048576 byte(s) after its checksum", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, target.Parameters.ToArray());

        // Two models saved one after the other into a stream load one after the other.
        var first = new SavedNet(seed: 2);
        var second = new SavedNet(seed: 3);
        var stream = new MemoryStream();
        ModelFile.Save(first, stream);
        ModelFile.Save(second, stream);
        stream.Position = 0;
        var a = new SavedNet();
        var b = new SavedNet();
        ModelFile.Load(a, stream);
        ModelFile.Load(b, stream);
        Assert.Equal(first.Parameters.ToArray(), a.Parameters.ToArray());
        Assert.Equal(second.Parameters.ToArray(), b.Parameters.ToArray());
        Assert.Equal(stream.Length, stream.Position);
    }

    [Fact]
    public void ANonZeroReservedByteIsRefusedEvenWithAMatchingChecksum()
    {
        var stream = new MemoryStream();
        ModelFile.Save(new SavedNet(seed: 1), stream);
        byte[] bytes = stream.ToArray();
        bytes[7] = 1;
        FixChecksum(bytes);
        var error = Assert.Throws<InvalidDataException>(() => ModelFile.Load(new SavedNet(), new MemoryStream(bytes)));
        Assert.Contains("reserved byte is 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHugeArchitectureLengthFailsBeforeAllocating()
    {
        var stream = new MemoryStream();
        ModelFile.Save(new SavedNet(seed: 1), stream);
        byte[] bytes = stream.ToArray();
        BitConverter.GetBytes(60_000).CopyTo(bytes, 8);
        FixChecksum(bytes);
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidDataException>(() => ModelFile.Load(new SavedNet(), new MemoryStream(bytes)));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - allocated, 0, 20_000);
        Assert.Contains("claims 60000 bytes where", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SavingThroughASymbolicLinkReplacesItsTargetAndKeepsTheLink()
    {
        string real = Path.Combine(_directory, "real.ngm");
        string link = Path.Combine(_directory, "link.ngm");
        ModelFile.Save(new SavedNet(seed: 1), real);
        File.CreateSymbolicLink(link, "real.ngm"); // relative, as `ln -s real.ngm link.ngm` makes it

        var saved = new SavedNet(seed: 2);
        ModelFile.Save(saved, link);

        Assert.Equal("real.ngm", new FileInfo(link).LinkTarget);
        var loaded = new SavedNet();
        ModelFile.Load(loaded, real);
        Assert.Equal(saved.Parameters.ToArray(), loaded.Parameters.ToArray());
        Assert.Equal(new[] { "link.ngm", "real.ngm" }, Directory.GetFiles(_directory).Select(Path.GetFileName).Order().ToArray());
    }

    [Fact]
    public void SavingKeepsTheFilesPermissions()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix permission bits; Windows ACLs stay with the renamed file's directory defaults.
        }

        string path = Path.Combine(_directory, "private.ngm");
        ModelFile.Save(new SavedNet(seed: 1), path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        ModelFile.Save(new SavedNet(seed: 2), path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.UserExecute);
        ModelFile.Save(new SavedNet(seed: 3), path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.UserExecute, File.GetUnixFileMode(path));
    }

    [Fact]
    public void AReadOnlyFileIsNotOverwritten()
    {
        string path = Path.Combine(_directory, "frozen.ngm");
        var original = new SavedNet(seed: 1);
        ModelFile.Save(original, path);
        File.SetAttributes(path, FileAttributes.ReadOnly);
        try
        {
            var error = Assert.Throws<UnauthorizedAccessException>(() => ModelFile.Save(new SavedNet(seed: 2), path));
            Assert.Contains("read-only", error.Message, StringComparison.Ordinal);
            var loaded = new SavedNet();
            ModelFile.Load(loaded, path);
            Assert.Equal(original.Parameters.ToArray(), loaded.Parameters.ToArray());
            Assert.Single(Directory.GetFiles(_directory));
        }
        finally
        {
            File.SetAttributes(path, FileAttributes.Normal);
        }
    }

    [Fact]
    public void AFullDiskSurfacesAsIOExceptionAndKeepsTheOldFile()
    {
        // A real 64 kB tmpfs where the machine allows mounting one (Linux, root), else a writer that fails like a full
        // disk after some bytes: the same code path from the first failing Write on.
        string? mount = TryMountTinyFileSystem();
        string directory = mount ?? _directory;
        try
        {
            string path = Path.Combine(directory, "wide.ngm");
            var original = new WideNet(seed: 1);
            ModelFile.Save(original, path);

            if (mount is not null)
            {
                Assert.Throws<IOException>(() => ModelFile.Save(new WideNet(seed: 2), path)); // no room for a second copy
            }
            else
            {
                Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
                {
                    stream.Write(new byte[30_000]);
                    throw new IOException("No space left on device (simulated)");
                }));
            }

            Assert.Equal(new[] { "wide.ngm" }, Directory.GetFiles(directory).Select(Path.GetFileName).ToArray());
            var loaded = new WideNet();
            ModelFile.Load(loaded, path);
            Assert.Equal(original.Parameters.ToArray(), loaded.Parameters.ToArray());
        }
        finally
        {
            if (mount is not null)
            {
                Run("umount", mount);
                Directory.Delete(mount);
            }
        }
    }

    [Fact]
    public void TemporaryFilesOfKilledSavesAreDeletedByTheNextSave()
    {
        string path = Path.Combine(_directory, "net.ngm");
        string stale = Path.Combine(_directory, ".net.ngm.netgen-2147483646-0123.tmp"); // no such process
        string live = Path.Combine(_directory, $".net.ngm.netgen-{Environment.ProcessId}-4567.tmp"); // a save in progress here
        string other = Path.Combine(_directory, ".other.ngm.netgen-2147483646-89ab.tmp"); // another file's
        foreach (string file in new[] { stale, live, other })
        {
            File.WriteAllBytes(file, new byte[10]);
        }

        ModelFile.Save(new SavedNet(seed: 1), path);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(other));
    }

    private static string? TryMountTinyFileSystem()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            return null;
        }

        string directory = Directory.CreateTempSubdirectory("netgen-fulldisk-").FullName;
        if (Run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", directory) == 0)
        {
            return directory;
        }

        Directory.Delete(directory);
        return null;
    }

    private static int Run(string program, params string[] arguments)
    {
        try
        {
            var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (string argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(info)!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }

    /// <summary>Rewrites the trailing CRC-32 (IEEE, as zip computes it; bitwise here, independent of the runtime's table).</summary>
    internal static void FixChecksum(byte[] bytes)
    {
        uint crc = 0xFFFFFFFFu;
        for (int i = 0; i < bytes.Length - 4; i++)
        {
            crc ^= bytes[i];
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        BitConverter.GetBytes(~crc).CopyTo(bytes, bytes.Length - 4);
    }
}
