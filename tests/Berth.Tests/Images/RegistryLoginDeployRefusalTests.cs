using System.Net;
using System.Net.Http.Json;
using Berth.Api;
using Berth.Spec;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Images;

/// <summary>
/// A deploy with registry logins (--with-registry-auth) that the server refuses keeps none of them: the logins are put
/// back as they were (found by the API fuzzer: a refused deploy had saved its logins).
/// </summary>
public sealed class RegistryLoginDeployRefusalTests
{
    [Fact]
    public async Task DeployRefused_ItsRegistryLoginsAreNotKept()
    {
        await using var server = await BerthServerProcess.StartAsync();
        // No x-berth.process.command: the process runtime refuses it (400) after the logins were checked.
        var request = new DeployRequest(new ComposeSpec { Services = new Dictionary<string, ServiceSpec> { ["web"] = new() { Name = "web", Image = "registry.example:5000/web:1" } } })
        {
            RegistryLogins = [new RegistryLoginRequest("registry.example:5000", "ci", "pw-" + Guid.NewGuid().ToString("N"))],
        };

        using var deploy = await server.Http.PostAsJsonAsync(ApiRoutes.Deploy("refused"), request, ApiJson.Options);
        var logins = await server.Http.GetFromJsonAsync<List<RegistryLoginInfo>>(ApiRoutes.Registries, ApiJson.Options);

        Assert.Equal(HttpStatusCode.BadRequest, deploy.StatusCode);
        Assert.Empty(logins!);
        Assert.False(File.Exists(Path.Combine(server.DataDirectory, Berth.Images.RegistryLoginStore.FileName)), "the refused deploy left a login file");
    }
}
