using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Tests.Infrastructure;

/// <summary>
/// Emits a compilation with generated networks and loads it into a collectible AssemblyLoadContext; NetGen.Runtime
/// resolves to the copy the tests already loaded, so the networks implement the tests' INeuralNetwork&lt;T&gt;.
/// </summary>
internal sealed class NetworkLoader : IDisposable
{
    private readonly AssemblyLoadContext _context = new("NetGenFunctionalTest", isCollectible: true);
    private readonly Assembly _assembly;

    public NetworkLoader(Compilation compilation)
    {
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult result = compilation.Emit(image);
        if (!result.Success)
        {
            throw new InvalidOperationException("The generated code does not compile:\n" +
                string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        image.Position = 0;
        _assembly = _context.LoadFromStream(image);
    }

    public T Create<T>(string typeName, params object[] arguments) =>
        (T)Activator.CreateInstance(_assembly.GetType(typeName, throwOnError: true)!, arguments)!;

    /// <summary>Calls a public static method of the compiled assembly (for members that take spans, through a wrapper in the source).</summary>
    public object? Call(string typeName, string method, params object?[] arguments) =>
        _assembly.GetType(typeName, throwOnError: true)!.GetMethod(method)!.Invoke(null, arguments);

    public void Dispose() => _context.Unload();
}
