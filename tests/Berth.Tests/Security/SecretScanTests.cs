using System.Net.Http.Json;
using System.Text;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Security;

/// <summary>
/// Runs a server through token, deploy, secret, scale, rollback, failed-login and remove flows, then scans everything
/// they produced — server output, every CLI output, every GET answer of the API (audit and events included), replica
/// log files, the store's files — for the tokens and the secret values. Only `token create` may show its token, once.
/// </summary>
public sealed class SecretScanTests
{
    [Fact]
    public async Task NoTokenOrSecretValue_AppearsInAnythingARunProduced()
    {
        using var dir = new TempDirectory();
        var secretValue = "sv-" + Guid.NewGuid().ToString("N");
        var fileSecret = "fs-" + Guid.NewGuid().ToString("N");
        var secondValue = "sv2-" + Guid.NewGuid().ToString("N");
        var forgedMarker = Guid.NewGuid().ToString("N")[..12];
        dir.File("token.txt", fileSecret);
        var file = dir.File("docker-compose.yml", """
            services:
              job:
                deploy:
                  replicas: 1
                stop_grace_period: 1s
                secrets: [api_key, file_token]
                x-berth:
                  process:
                    command: "sleep 300"
            secrets:
              api_key:
                environment: API_KEY
              file_token:
                file: ./token.txt
            """);
        await using var server = await BerthServerProcess.StartAsync();
        var produced = new StringBuilder();
        async Task<CliRun.Result> Run(IReadOnlyDictionary<string, string> environment, params string[] args)
        {
            var result = await server.CliAsync(environment, args);
            produced.AppendLine(result.Stdout).AppendLine(result.Stderr);
            return result;
        }

        var none = new Dictionary<string, string>();
        var deployer = (await server.CliAsync("token", "create", "ci", "--role", "deployer")).Stdout.Trim();
        var viewer = (await server.CliAsync("token", "create", "reader", "--role", "viewer", "--json")).Stdout;
        viewer = System.Text.Json.JsonDocument.Parse(viewer).RootElement.GetProperty("token").GetString()!;
        var asDeployer = new Dictionary<string, string> { ["BERTH_TOKEN"] = deployer, ["API_KEY"] = secretValue };
        var forged = $"berth_{deployer.Split('_')[1]}_{forgedMarker}AAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        var malformed = $"berth_{forgedMarker}";

        Assert.Equal(0, (await Run(asDeployer, "deploy", "-c", file, "scan")).ExitCode);
        Assert.Equal(0, (await Run(asDeployer, "scale", "scan_job=2")).ExitCode);
        Assert.Equal(0, (await Run(new Dictionary<string, string>(asDeployer) { ["API_KEY"] = secondValue }, "deploy", "-c", file, "scan")).ExitCode);
        await Run(asDeployer, "rollback", "scan_job", "--to", "1");
        await Run(new Dictionary<string, string> { ["BERTH_TOKEN"] = viewer }, "scale", "scan_job=3");
        await Run(new Dictionary<string, string> { ["BERTH_TOKEN"] = forged }, "service", "ls");
        await Run(new Dictionary<string, string> { ["BERTH_TOKEN"] = malformed }, "rm", "scan");
        foreach (var args in new[]
                 {
                     new[] { "service", "ls", "--json" }, ["service", "inspect", "scan_job", "--json"], ["ps", "scan", "--json"], ["releases", "scan_job", "--json"],
                     ["events"], ["audit", "--json"], ["token", "ls", "--all", "--json"], ["logs", "scan_job"], ["whoami", "--json"], ["version"],
                 })
        {
            await Run(none, args);
        }

        // A registry login the server keeps (process runtime: no registry to ask): its password is write-only.
        var registryPassword = "rp-" + Guid.NewGuid().ToString("N");
        using (var login = await server.Http.PutAsJsonAsync(
                   Berth.Api.ApiRoutes.Registry("registry.scan.test:5000"), new Berth.Api.RegistryLoginRequest("ignored", "scanner", registryPassword), Berth.Api.ApiJson.Options))
        {
            var answer = await login.Content.ReadAsStringAsync();
            produced.AppendLine(answer);
            Assert.True(login.IsSuccessStatusCode, answer);
        }

        // Left out: GET /backup, the store itself (admin only, documented as holding secret values, written 0600).
        foreach (var endpoint in ApiEndpoints.All().Where(e => e.Method == "GET" && e.Pattern != Berth.Api.ApiRoutes.Backup))
        {
            var path = endpoint.Pattern.Replace("{service}", "scan_job", StringComparison.Ordinal).Replace("{id}", "scan", StringComparison.Ordinal);
            using var response = await server.Http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            using var enough = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                // A stream (the route stream a router follows) never ends: what it sent in 2 s is scanned.
                await using var body = await response.Content.ReadAsStreamAsync(enough.Token);
                using var reader = new StreamReader(body);
                while (await reader.ReadLineAsync(enough.Token) is { } line)
                {
                    produced.AppendLine(line);
                }
            }
            catch (OperationCanceledException) when (enough.IsCancellationRequested)
            {
            }
        }

        Assert.Equal(0, (await Run(asDeployer, "rm", "scan")).ExitCode);
        produced.AppendLine(server.Output);
        foreach (var log in Directory.EnumerateFiles(server.DataDirectory, "*.log*", SearchOption.AllDirectories))
        {
            produced.AppendLine(await File.ReadAllTextAsync(log));
        }

        var text = produced.ToString();
        var store = await ReadStoreAsync(server.DataDirectory);
        foreach (var (name, value) in new[] { ("deployer token", deployer), ("viewer token", viewer), ("local admin token", server.AdminToken) })
        {
            var secretPart = value.Split('_')[2];
            Assert.False(text.Contains(secretPart, StringComparison.Ordinal), $"the {name} appears in what the run produced");
            Assert.False(store.Contains(secretPart, StringComparison.Ordinal), $"the {name} appears in the store's files");
        }

        Assert.False(text.Contains(forgedMarker, StringComparison.Ordinal), "a presented (forged or malformed) token was echoed");
        Assert.Contains("registry.scan.test:5000", text);
        Assert.False(text.Contains(registryPassword, StringComparison.Ordinal), "the registry password appears in what the run produced");
        Assert.False((await ReadAllFilesAsync(server.DataDirectory)).Contains(registryPassword, StringComparison.Ordinal), "the registry password is stored in clear in the data folder");
        foreach (var (name, value) in new[] { ("environment secret", secretValue), ("file secret", fileSecret), ("changed secret", secondValue) })
        {
            Assert.False(text.Contains(value, StringComparison.Ordinal), $"the {name}'s value appears in what the run produced");
        }

        Assert.Contains("scan_job", text);
        Assert.Contains("unauthenticated", text);
    }

    private static async Task<string> ReadAllFilesAsync(string dataDirectory)
    {
        var text = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories))
        {
            try
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream, Encoding.Latin1);
                text.Append(await reader.ReadToEndAsync());
            }
            catch (IOException)
            {
                // A socket or a file removed meanwhile.
            }
        }

        return text.ToString();
    }

    private static async Task<string> ReadStoreAsync(string dataDirectory)
    {
        var text = new StringBuilder();
        foreach (var file in Directory.GetFiles(dataDirectory, "berth.db*"))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            text.Append(await reader.ReadToEndAsync());
        }

        return text.ToString();
    }
}
