using Articles;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

// Exit codes: 0 clean shutdown (SIGTERM/Ctrl+C), 1 crash (ARTICLES_CRASH_ON_START or
// storage failure at start), 2 invalid configuration.
var (options, errors) = ArticlesOptions.FromEnvironment();
if (errors.Count > 0)
{
    foreach (var error in errors)
    {
        await Console.Error.WriteLineAsync($"articles: invalid configuration: {error}");
    }

    return 2;
}

if (options.CrashOnStart)
{
    await Console.Error.WriteLineAsync(
        $"articles v{options.Version} replica {options.ReplicaId}: ARTICLES_CRASH_ON_START is set, crashing on purpose (exit 1)");
    return 1;
}

var store = new ArticleStore(options.DatabasePath);
try
{
    store.Initialize();
}
catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
{
    await Console.Error.WriteLineAsync($"articles: cannot open database '{store.DatabasePath}': {ex.Message}");
    return 1;
}

var builder = WebApplication.CreateBuilder(args);
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
// One line per event; per-request framework chatter only from Warning up.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

if (options.Port is { } port)
{
    // Process runtime: one loopback port per replica.
    builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
}
else if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_URLS"))
         && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS"))
         && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_HTTPS_PORTS")))
{
    // Container default: port 8080 on all interfaces.
    builder.WebHost.UseUrls("http://+:8080");
}

builder.Services.AddSingleton(options);
builder.Services.AddSingleton(store);

var app = builder.Build();
app.UseMiddleware<FaultInjectionMiddleware>();
app.MapArticles();

app.Lifetime.ApplicationStarted.Register(() =>
{
    var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
    var url = addresses is { Count: > 0 } ? string.Join(", ", addresses) : "(unknown)";
    app.Logger.LogInformation("articles v{Version} replica {Replica} listening on {Url} (pid {Pid}, db {Db}, fail rate {FailRate}, latency {LatencyMs}ms)",
        options.Version, options.ReplicaId, url, options.ProcessId, store.DatabasePath, options.FailRate, options.LatencyMs);
});
app.Lifetime.ApplicationStopping.Register(() =>
    app.Logger.LogInformation("articles v{Version} replica {Replica} shutting down", options.Version, options.ReplicaId));

await app.RunAsync();
return 0;
