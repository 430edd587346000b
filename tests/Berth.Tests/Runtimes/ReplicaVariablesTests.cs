using Berth.Runtimes;

namespace Berth.Tests.Runtimes;

public sealed class ReplicaVariablesTests
{
    private static readonly ReplicaVariables Variables = ReplicaVariables.For(
        new ReplicaLaunch { ReplicaId = "web-3-1", Service = "web", Release = 3, Slot = 1, Command = ["x"] }, 8123);

    [Theory]
    [InlineData("${PORT}", "8123")]
    [InlineData("$PORT", "8123")]
    [InlineData("--port=$PORT/x", "--port=8123/x")]
    [InlineData("$PORTX", "$PORTX")]
    [InlineData("$$PORT", "$$PORT")]
    [InlineData("${HOME}", "${HOME}")]
    [InlineData("${BERTH_SERVICE}-$BERTH_RELEASE-$BERTH_SLOT:${BERTH_REPLICA_ID}", "web-3-1:web-3-1")]
    public void Substitute_Reference_ReplacedOnlyForBerthVariables(string text, string expected)
    {
        Assert.Equal(expected, Variables.Substitute(text));
    }
}
