using Berth.Routing;

namespace Berth.Tests.Routing;

public sealed class RouterProcessEnvironmentTests
{
    [Fact]
    public void ARouterGetsTieredCompilationAndDynamicPgo_AndYarpWithoutItsReadyToRunCode()
    {
        var variables = RouterProcessEnvironment.For(_ => null);

        Assert.Equal("1", variables["DOTNET_TieredCompilation"]);
        Assert.Equal("1", variables["DOTNET_TieredPGO"]);
        Assert.Equal("Yarp.ReverseProxy", variables["DOTNET_ReadyToRunExcludeList"]);
        Assert.Equal(3, variables.Count);
    }

    [Fact]
    public void AUsersOwnValueWins_OnlyTheUnsetOneIsAdded()
    {
        var variables = RouterProcessEnvironment.For(name => name is "DOTNET_TieredPGO" or "DOTNET_ReadyToRunExcludeList" ? "0" : null);

        Assert.Equal("1", variables["DOTNET_TieredCompilation"]);
        Assert.False(variables.ContainsKey("DOTNET_TieredPGO"));
        Assert.False(variables.ContainsKey("DOTNET_ReadyToRunExcludeList"));
    }
}
