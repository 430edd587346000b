using Berth.Routing;

namespace Berth.Tests.Routing;

public sealed class RouterProcessEnvironmentTests
{
    [Fact]
    public void ARouterGetsTieredCompilationAndDynamicPgo()
    {
        var variables = RouterProcessEnvironment.For(_ => null);

        Assert.Equal("1", variables["DOTNET_TieredCompilation"]);
        Assert.Equal("1", variables["DOTNET_TieredPGO"]);
        Assert.Equal(2, variables.Count);
    }

    [Fact]
    public void AUsersOwnValueWins_OnlyTheUnsetOneIsAdded()
    {
        var variables = RouterProcessEnvironment.For(name => name == "DOTNET_TieredPGO" ? "0" : null);

        Assert.Equal("1", variables["DOTNET_TieredCompilation"]);
        Assert.False(variables.ContainsKey("DOTNET_TieredPGO"));
    }
}
