using System.Text;
using Berth.Spec;

namespace Berth.Tests.Spec;

/// <summary>A temp folder holding compose and env files for one test, deleted afterwards.</summary>
internal sealed class SpecTestDirectory : IDisposable
{
    public SpecTestDirectory()
    {
        Root = Path.Combine(Path.GetTempPath(), "berth-spec-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>Writes a file (UTF-8, no BOM, LF) and returns its full path.</summary>
    public string Write(string name, string content)
    {
        var path = PathOf(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content.Replace("\r\n", "\n", StringComparison.Ordinal), new UTF8Encoding(false));
        return path;
    }

    public string WriteBytes(string name, byte[] content)
    {
        var path = PathOf(name);
        File.WriteAllBytes(path, content);
        return path;
    }

    public Task<ComposeLoadResult> LoadAsync(string yaml, IReadOnlyDictionary<string, string>? env = null) =>
        LoadFilesAsync([Write("compose.yaml", yaml)], env);

    public Task<ComposeLoadResult> LoadFilesAsync(
        IReadOnlyList<string> files, IReadOnlyDictionary<string, string>? env = null, IReadOnlyList<string>? envFiles = null) =>
        new ComposeLoader().LoadAsync(
            new ComposeLoadRequest { Files = files, Environment = env ?? new Dictionary<string, string>(), EnvFiles = envFiles ?? [] },
            CancellationToken.None);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Assertions on load results that print every diagnostic when they fail.</summary>
internal static class SpecAssert
{
    public static ComposeSpec Succeeds(ComposeLoadResult result)
    {
        Assert.True(result.Succeeded, "expected success, got:\n" + string.Join("\n", result.Diagnostics));
        return result.Spec!;
    }

    public static SpecDiagnostic SingleError(ComposeLoadResult result, string path)
    {
        Assert.Null(result.Spec);
        var matches = result.Errors.Where(e => e.Path == path).ToList();
        Assert.True(matches.Count == 1, $"expected one error at {path}, got:\n" + string.Join("\n", result.Diagnostics));
        return matches[0];
    }

    public static void At(SpecDiagnostic diagnostic, int line, int column)
    {
        Assert.True(diagnostic.Line == line && diagnostic.Column == column, $"expected {line}:{column}, got {diagnostic}");
    }

    public static SpecDiagnostic Warning(ComposeLoadResult result, string path)
    {
        var matches = result.Warnings.Where(e => e.Path == path).ToList();
        Assert.True(matches.Count == 1, $"expected one warning at {path}, got:\n" + string.Join("\n", result.Diagnostics));
        return matches[0];
    }
}
