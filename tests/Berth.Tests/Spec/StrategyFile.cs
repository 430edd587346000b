using Berth.Spec;

namespace Berth.Tests.Spec;

/// <summary>A compose file whose service <c>app</c> (image x, port 8080) has the given <c>x-berth</c> body, for strategy tests.</summary>
internal sealed class StrategyFile : IDisposable
{
    /// <summary>The x-berth body starts on this line of the file, at column 7.</summary>
    public const int FirstBodyLine = 6;

    public SpecTestDirectory Dir { get; } = new();

    public Task<ComposeLoadResult> LoadAsync(string body) =>
        Dir.LoadAsync("services:\n  app:\n    image: x\n    ports: [\"8080:8080\"]\n    x-berth:\n"
            + string.Join("\n", body.Split('\n').Select(l => "      " + l)) + "\n");

    public static StrategySpec StrategyOf(ComposeLoadResult result) => SpecAssert.Succeeds(result).Services["app"].Berth.Strategy;

    /// <summary>The one error at <paramref name="path"/> (under services.app.x-berth), on body line <paramref name="bodyLine"/>, containing <paramref name="text"/>.</summary>
    public static SpecDiagnostic Error(ComposeLoadResult result, string path, int bodyLine, string text)
    {
        var error = SpecAssert.SingleError(result, "services.app.x-berth." + path);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
        Assert.True(error.Line == FirstBodyLine + bodyLine - 1, $"expected body line {bodyLine} (file line {FirstBodyLine + bodyLine - 1}), got {error}");
        return error;
    }

    public void Dispose() => Dir.Dispose();
}
