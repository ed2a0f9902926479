using System;
using System.IO;
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
}
