using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Berth.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Berth.Tests.Cli;

/// <summary>A tiny stand-in for the Berth server: Kestrel on 127.0.0.1:0, canned answers per route, every request recorded.</summary>
internal sealed class FakeBerthApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private FakeBerthApi(WebApplication app)
    {
        _app = app;
    }

    public Uri Address { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    public static async Task<FakeBerthApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeBerthApi(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.Address = new Uri(app.Urls.First());
        return fake;
    }

    /// <summary>Answers METHOD PATH (no query) with <paramref name="handler"/>.</summary>
    public void On(string method, string path, Func<HttpContext, Task> handler) => _routes[$"{method} {path}"] = handler;

    /// <summary>Answers METHOD PATH with <paramref name="body"/>() serialized with ApiJson, computed per request.</summary>
    public void OnJson<T>(string method, string path, Func<T> body, int status = 200) =>
        On(method, path, context => WriteJsonAsync(context, body(), status));

    /// <summary>Answers with an ErrorResponse and a non-2xx status.</summary>
    public void OnError(string method, string path, int status, string error, params string[] details) =>
        OnJson(method, path, () => new ErrorResponse(error, details), status);

    /// <summary>Answers with NDJSON lines, one per item, then ends the stream.</summary>
    public void OnNdjson<T>(string method, string path, IEnumerable<T> items) =>
        On(method, path, async context =>
        {
            context.Response.ContentType = "application/x-ndjson";
            foreach (var item in items)
            {
                await context.Response.WriteAsync(JsonSerializer.Serialize(item, ApiJson.Options) + "\n");
                await context.Response.Body.FlushAsync();
            }
        });

    public static async Task WriteJsonAsync<T>(HttpContext context, T body, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(body, ApiJson.Options));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync();
        }

        var request = context.Request;
        if (request.Path == ApiRoutes.Health && !_routes.ContainsKey($"GET {ApiRoutes.Health}"))
        {
            // The CLI's look for a local credential: infrastructure, not a request the tests count.
            await WriteJsonAsync(context, new HealthInfo("ok", null));
            return;
        }

        _requests.Enqueue(new RecordedRequest(request.Method, request.Path.Value ?? string.Empty, request.QueryString.Value ?? string.Empty, body)
        {
            Authorization = request.Headers.Authorization.ToString() is { Length: > 0 } authorization ? authorization : null,
        });
        if (_routes.TryGetValue($"{request.Method} {request.Path.Value}", out var handler))
        {
            await handler(context);
            return;
        }

        await WriteJsonAsync(context, new ErrorResponse($"fake: no route for {request.Method} {request.Path}"), 404);
    }
}

/// <summary>One request the fake received.</summary>
internal sealed record RecordedRequest(string Method, string Path, string Query, string Body)
{
    /// <summary>The Authorization header the CLI sent, if any.</summary>
    public string? Authorization { get; init; }
}
