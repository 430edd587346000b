using System.Text.Json;
using Berth.Api;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Cli;

/// <summary>`berth context create|use|ls|rm` and which server and token a command then uses (flags &gt; environment &gt; context &gt; local).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ContextCommandTests : IAsyncLifetime, IDisposable
{
    private const string ProdToken = "berth_aaaaaaaaaaaa_ProdProdProdProdProdProdProdProdProd1234";
    private const string EnvToken = "berth_bbbbbbbbbbbb_EnvEnvEnvEnvEnvEnvEnvEnvEnvEnvEnvEnvEnv1";
    private const string FlagToken = "berth_cccccccccccc_FlagFlagFlagFlagFlagFlagFlagFlagFlagFl12";
    private readonly TempDirectory _home = new("berth-cli-home");
    private FakeBerthApi _prod = null!;
    private FakeBerthApi _other = null!;

    private string ConfigFolder => Path.Combine(_home.Path, "config");

    public async Task InitializeAsync()
    {
        _prod = await FakeBerthApi.StartAsync();
        _other = await FakeBerthApi.StartAsync();
        foreach (var api in new[] { _prod, _other })
        {
            api.OnJson("GET", ApiRoutes.Services, () => new List<ServiceInfo>());
        }
    }

    public async Task DisposeAsync()
    {
        await _prod.DisposeAsync();
        await _other.DisposeAsync();
    }

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task ContextCreateUse_LaterCommandsSendItsTokenToItsHost()
    {
        var tokenFile = OwnerOnlyFile("prod.token", ProdToken);

        var create = await Run([], "context", "create", "prod", "--host", _prod.Address.ToString(), "--token-file", tokenFile, "--use");
        var ls = await Run([], "service", "ls");

        Assert.True(create.ExitCode == 0, create.Error);
        Assert.Contains("it is the current context", create.Out);
        Assert.Equal(0, ls.ExitCode);
        Assert.Equal("Bearer " + ProdToken, _prod.Requests.Single().Authorization);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(ConfigFolder, "config.json")));
    }

    [Fact]
    public async Task Precedence_FlagOverEnvironmentOverContext()
    {
        await Run([], "context", "create", "prod", "--host", _prod.Address.ToString(), "--token-file", OwnerOnlyFile("prod.token", ProdToken), "--use");
        var flagFile = OwnerOnlyFile("flag.token", FlagToken);

        await Run(new() { ["BERTH_TOKEN"] = EnvToken }, "service", "ls");
        await Run(new() { ["BERTH_TOKEN"] = EnvToken }, "service", "ls", "--token-file", flagFile);

        Assert.Equal(["Bearer " + EnvToken, "Bearer " + FlagToken], _prod.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task AnotherHost_NeverGetsTheContextsToken()
    {
        await Run([], "context", "create", "prod", "--host", _prod.Address.ToString(), "--token-file", OwnerOnlyFile("prod.token", ProdToken), "--use");

        var viaVariable = await Run(new() { ["BERTH_HOST"] = _other.Address.ToString() }, "service", "ls");
        var viaFlag = await Run([], "service", "ls", "--host", _other.Address.ToString());

        Assert.Equal(0, viaVariable.ExitCode);
        Assert.Equal(0, viaFlag.ExitCode);
        Assert.Equal(2, _other.Requests.Count);
        Assert.All(_other.Requests, r => Assert.Null(r.Authorization));
        Assert.Empty(_prod.Requests);
    }

    [Fact]
    public async Task ContextFlag_PicksANonCurrentContext_AndBerthContextVariableToo()
    {
        await Run([], "context", "create", "prod", "--host", _prod.Address.ToString(), "--token-file", OwnerOnlyFile("prod.token", ProdToken));
        await Run([], "context", "create", "other", "--host", _other.Address.ToString(), "--use");

        await Run([], "service", "ls", "--context", "prod");
        await Run(new() { ["BERTH_CONTEXT"] = "prod" }, "service", "ls");
        await Run([], "service", "ls");

        Assert.Equal(2, _prod.Requests.Count);
        Assert.Single(_other.Requests);
    }

    [Fact]
    public async Task TokenStdin_IsKeptInTheConfig_AndLsNeverShowsIt()
    {
        var create = await Run([], new CliRunOptions { Input = ProdToken + "\n" }, "context", "create", "prod", "--host", _prod.Address.ToString(), "--token-stdin", "--use");
        var ls = await Run([], "context", "ls", "--json");
        var table = await Run([], "context", "ls");
        await Run([], "service", "ls");

        Assert.True(create.ExitCode == 0, create.Error);
        Assert.DoesNotContain(ProdToken, ls.Out + table.Out);
        using var json = JsonDocument.Parse(ls.Out);
        var prod = json.RootElement.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "prod");
        Assert.True(prod.GetProperty("current").GetBoolean());
        Assert.Equal("kept in the CLI config", prod.GetProperty("token").GetString());
        Assert.Contains("prod *", table.Out);
        Assert.Equal("Bearer " + ProdToken, _prod.Requests.Single().Authorization);
    }

    [Fact]
    public async Task ContextRm_OfTheCurrentOne_FallsBackToDefault()
    {
        await Run([], "context", "create", "prod", "--host", _prod.Address.ToString(), "--use");

        var rm = await Run([], "context", "rm", "prod");
        var ls = await Run([], "context", "ls", "--json");

        Assert.Equal(0, rm.ExitCode);
        Assert.Contains("the current context is now default", rm.Out);
        using var json = JsonDocument.Parse(ls.Out);
        Assert.Equal("default", json.RootElement.EnumerateArray().Single().GetProperty("name").GetString());
    }

    [Fact]
    public async Task ContextUseDefault_ThenNoContext()
    {
        await Run([], "context", "create", "prod", "--host", _prod.Address.ToString(), "--use");

        await Run([], "context", "use", "default");
        var ls = await Run(new() { ["BERTH_HOST"] = _other.Address.ToString() }, "service", "ls");

        Assert.Equal(0, ls.ExitCode);
        Assert.Single(_other.Requests);
    }

    [Fact]
    public async Task ConfigReadableByOthers_WarnsButWorks()
    {
        await Run([], "context", "create", "prod", "--host", _prod.Address.ToString(), "--use");
        File.SetUnixFileMode(Path.Combine(ConfigFolder, "config.json"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var ls = await Run([], "service", "ls");

        Assert.Equal(0, ls.ExitCode);
        Assert.Contains("can be read by other users (mode 0644)", ls.Error);
        Assert.Contains("chmod 600", ls.Error);
    }

    [Fact]
    public async Task TokenFileReadableByOthers_Warns()
    {
        var tokenFile = _home.File("loose.token", ProdToken);
        File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var ls = await Run([], "service", "ls", "--host", _prod.Address.ToString(), "--token-file", tokenFile);

        Assert.Equal(0, ls.ExitCode);
        Assert.Contains($"token file {tokenFile} can be read by other users", ls.Error);
    }

    [Theory]
    [InlineData(new[] { "service", "ls", "--context", "nope" }, "context 'nope' does not exist")]
    [InlineData(new[] { "service", "ls", "--token-file", "/no/such.token" }, "/no/such.token does not exist")]
    [InlineData(new[] { "service", "ls", "--tls-ca", "/no/such/ca.pem" }, "/no/such/ca.pem does not exist")]
    [InlineData(new[] { "context", "create", "default", "--host", "http://127.0.0.1:1" }, "reserved")]
    [InlineData(new[] { "context", "create", "x" }, "--host is required")]
    [InlineData(new[] { "context", "use", "nope" }, "context 'nope' does not exist")]
    public async Task BadInput_Exit2WithAClearMessage(string[] args, string message)
    {
        var run = await Run([], args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error + run.Out);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public async Task ContextCreate_ExistingName_Refused()
    {
        await Run([], "context", "create", "prod", "--host", _prod.Address.ToString());

        var again = await Run([], "context", "create", "prod", "--host", _other.Address.ToString());

        Assert.Equal(2, again.ExitCode);
        Assert.Contains("exists", again.Error);
    }

    private Task<CliRun> Run(Dictionary<string, string> variables, params string[] args) => Run(variables, new CliRunOptions(), args);

    private Task<CliRun> Run(Dictionary<string, string> variables, CliRunOptions options, params string[] args)
    {
        variables["BERTH_CONFIG"] = ConfigFolder;
        return CliRun.RunAsync(new CliRunOptions { Variables = variables, Input = options.Input }, args);
    }

    private string OwnerOnlyFile(string name, string content)
    {
        var path = _home.File(name, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }
}
