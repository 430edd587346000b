using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Tests.Infrastructure;

/// <summary>
/// A registry that answers its version check but denies every repository, as GHCR and Docker Hub answer a push to a
/// repository the login may not write to (403, DENIED: "requested access to the resource is denied"). On loopback.
/// </summary>
internal sealed class DenyingRegistry : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DenyingRegistry(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>host:port, as an image name starts.</summary>
    public string Address { get; }

    public static async Task<DenyingRegistry> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/v2/", () => Results.Json(new { }));
        app.Map("/v2/{**rest}", (HttpContext context) =>
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return context.Response.WriteAsJsonAsync(new { errors = new[] { new { code = "DENIED", message = "requested access to the resource is denied" } } });
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new DenyingRegistry(app, $"127.0.0.1:{address.Port}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
