using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.Analyzers.Tests.Harness;

/// <summary>
/// Applies code fixes the way the IDE does, without the Roslyn testing packages: an AdhocWorkspace document, a
/// <see cref="CodeFixContext"/>, the action's operations, then the changed solution is compiled and analysed again.
/// </summary>
public static class CodeFixHarness
{
    public static Document CreateDocument(string source)
    {
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        Solution solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(projectId, VersionStamp.Create(), "Test", "Test",
            LanguageNames.CSharp, compilationOptions: NetGenAnalysis.CompilationOptions, parseOptions: NetGenAnalysis.ParseOptions,
            metadataReferences: TestReferences.All));
        var documentId = DocumentId.CreateNewId(projectId);
        return solution.AddDocument(documentId, "Test0.cs", SourceText.From(source), filePath: "Test0.cs").GetDocument(documentId)!;
    }

    /// <summary>Fixes the first <paramref name="id"/> diagnostic with the action whose equivalence key is <paramref name="key"/> (or the first).</summary>
    public static async Task<FixOutcome> FixOneAsync(string source, CodeFixProvider provider, string id, string? key = null)
    {
        Document document = CreateDocument(source);
        AnalysisResult before = (await NetGenAnalysis.RunAsync(document)).AssertNoCrash();
        Diagnostic diagnostic = before.WithId(id).First();
        var actions = new List<CodeAction>();
        await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        Assert.NotEmpty(actions);
        Assert.All(actions, a => Assert.False(string.IsNullOrEmpty(a.EquivalenceKey)));
        CodeAction chosen = key is null ? actions[0] : Assert.Single(actions, a => a.EquivalenceKey == key);
        return await OutcomeAsync(document, before, chosen);
    }

    /// <summary>Fix All in the document through the provider's own <see cref="FixAllProvider"/>.</summary>
    public static async Task<FixOutcome> FixAllAsync(string source, CodeFixProvider provider, string id, string key, FixAllScope scope = FixAllScope.Document)
    {
        Document document = CreateDocument(source);
        AnalysisResult before = (await NetGenAnalysis.RunAsync(document)).AssertNoCrash();
        Assert.True(before.WithId(id).Count() > 1, "Fix All needs several instances:\n" + before.Describe());
        FixAllProvider fixAll = provider.GetFixAllProvider()!;
        Assert.Contains(scope, fixAll.GetSupportedFixAllScopes());
        var context = new FixAllContext(document, provider, scope, key, new[] { id }, new AnalysisDiagnosticProvider(), CancellationToken.None);
        CodeAction? action = await fixAll.GetFixAsync(context);
        Assert.NotNull(action);
        return await OutcomeAsync(document, before, action!);
    }

    private static async Task<FixOutcome> OutcomeAsync(Document document, AnalysisResult before, CodeAction action)
    {
        ImmutableArray<CodeActionOperation> operations = await action.GetOperationsAsync(CancellationToken.None);
        ApplyChangesOperation apply = Assert.Single(operations.OfType<ApplyChangesOperation>());
        Document fixedDocument = apply.ChangedSolution.GetDocument(document.Id)!;
        string text = (await fixedDocument.GetTextAsync()).ToString();
        AnalysisResult after = (await NetGenAnalysis.RunAsync(fixedDocument)).AssertNoCrash();
        return new FixOutcome(before, after, text);
    }

    /// <summary>Feeds Fix All with what the generator and analyzers report for each document.</summary>
    private sealed class AnalysisDiagnosticProvider : FixAllContext.DiagnosticProvider
    {
        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            (await NetGenAnalysis.RunAsync(document)).NetGen;

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());

        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
        {
            var all = new List<Diagnostic>();
            foreach (Document document in project.Documents)
            {
                all.AddRange(await GetDocumentDiagnosticsAsync(document, cancellationToken));
            }

            return all;
        }
    }
}
