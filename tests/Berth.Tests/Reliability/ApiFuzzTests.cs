using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Berth.Api;
using Berth.Tests.Infrastructure;
using Berth.Tests.Security;
using Berth.Tests.Spec.Fuzz;
using Xunit.Abstractions;

namespace Berth.Tests.Reliability;

/// <summary>
/// Fuzzes the API from its OpenAPI document (GET /api/v1/openapi.json, which must list exactly the endpoint table's
/// bearer API) against a real server with a deployed stack: bodies shaped by each operation's schema with random and
/// boundary values, random JSON (wrong types, huge and deep values), broken JSON, other content types, and random path
/// values, sent with an admin token. No answer may be a 5xx, every refusal is a JSON error, and a refused request changes nothing (stacks,
/// services, releases, replicas' desired state, tokens, registry logins). Seeded: a failure prints the seed and input.
/// The short profile sends 1,500 requests; BERTH_FUZZ_FULL=1 or BERTH_RELIABILITY_FULL=1 (bench/reliability) sends 30,000.
/// </summary>
public sealed class ApiFuzzTests(ITestOutputHelper output)
{
    /// <summary>Endpoints a valid random call may legitimately use to take the test's own ground away (they are covered by their own tests).</summary>
    private static readonly HashSet<string> LeftOut =
    [
        "DELETE /api/v1/stacks/{stack}", "DELETE /api/v1/tokens/{name}", "POST /api/v1/routers/{id}/stop", "POST /api/v1/routers/{id}/restart",
        "POST /api/v1/nodes/{node}/drain", "GET /api/v1/routers/{id}/routes", "GET /api/v1/backup",
    ];

    private static readonly string[] PathValues =
    [
        "fz_web", "fz", "local", "x", "fz_web.1.nope", "..", "%2e%2e%2f", "%00", "a b", "ünïcode", new string('n', 3000), "prod", "1", "-1",
        "sha256:" + new string('0', 64), "registry.example:5000",
    ];

    [Fact]
    public async Task RandomAndBoundaryBodies_NeverAnswer5xx_AndARefusedRequestChangesNothing()
    {
        var profile = FuzzProfile.FromEnvironment();
        var full = profile.Name == "long" || Environment.GetEnvironmentVariable("BERTH_RELIABILITY_FULL") == "1";
        var requests = full ? 30_000 : 1_500;
        using var dir = new TempDirectory();
        var compose = dir.File("compose.yml", """
            services:
              web:
                deploy:
                  replicas: 1
                stop_grace_period: 1s
                x-berth:
                  process:
                    command: ["sleep", "3600"]
            """);
        await using var server = await BerthServerProcess.StartAsync();
        var deploy = await server.CliAsync("deploy", "-c", compose, "fz");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var random = new Random(unchecked((int)profile.Seed));
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.AdminToken);
        var openApi = OpenApiOperations.Parse(await http.GetStringAsync(ApiRoutes.Prefix + "/openapi.json"));
        var table = ApiEndpoints.Api().Where(e => e.Pattern.StartsWith("/api/", StringComparison.Ordinal) && e.Pattern != ApiRoutes.Prefix + "/openapi.json").Select(e => e.ToString()).Order(StringComparer.Ordinal);
        Assert.Equal(table, openApi.Operations.Select(o => o.ToString()).Order(StringComparer.Ordinal));
        foreach (var path in openApi.Document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                // Each operation says the role it takes and the token it needs, and is grouped by its area.
                Assert.StartsWith("Needs the ", operation.Value.GetProperty("description").GetString(), StringComparison.Ordinal);
                Assert.True(operation.Value.TryGetProperty("security", out _), $"{operation.Name} {path.Name} names no security scheme");
                Assert.Equal(path.Name.Split('/')[3], operation.Value.GetProperty("tags")[0].GetString());
            }
        }
        var endpoints = openApi.Operations.Where(o => !LeftOut.Contains(o.ToString())).ToList();

        var state = await StateAsync(http);
        var statuses = new SortedDictionary<int, int>();
        for (var i = 0; i < requests; i++)
        {
            var endpoint = endpoints[random.Next(endpoints.Count)];
            var path = System.Text.RegularExpressions.Regex.Replace(endpoint.Path, "{[^}]+}", _ => Uri.EscapeDataString(PathValues[random.Next(PathValues.Length)]));
            var (body, contentType, description) = endpoint.RequestSchema is { } schema && random.Next(2) == 0
                ? Shaped(openApi, schema, random)
                : Body(random);
            using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), path + Query(random));
            if (endpoint.Method is not ("GET" or "DELETE") || random.Next(8) == 0)
            {
                request.Content = new ByteArrayContent(body);
                if (contentType is not null)
                {
                    request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
                }
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var what = $"request {i} (seed {profile.Seed}): {endpoint.Method} {path[..Math.Min(path.Length, 200)]} with {description}";
            var text = response.Content.Headers.ContentType?.MediaType == "application/x-ndjson" ? "" : await response.Content.ReadAsStringAsync();
            Assert.True(status < 500, $"{what} answered {status}: {text[..Math.Min(text.Length, 500)]}\n{server.Output[^Math.Min(server.Output.Length, 3000)..]}");
            if (status >= 400)
            {
                // 414 and 431 come from Kestrel itself (request line or headers over its limits), before any of Berth's code.
                Assert.True(IsError(text) || status is 414 or 431, $"{what} answered {status} without a JSON error: {text[..Math.Min(text.Length, 300)]}");
                var after = await StateAsync(http);
                Assert.True(after == state, $"{what} was refused ({status}) yet changed the state:\nbefore {state}\nafter  {after}");
            }
            else
            {
                state = await StateAsync(http);
            }
        }

        output.WriteLine($"{requests} requests over {endpoints.Count} endpoints; answers: {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}");
        Assert.True(statuses.Keys.Any(s => s is >= 400 and < 500), "no request was refused: the generator is broken");
    }

    /// <summary>What a refused request must not change, as one comparable string.</summary>
    private static async Task<string> StateAsync(HttpClient http)
    {
        var builder = new StringBuilder();
        foreach (var path in new[] { ApiRoutes.Stacks, ApiRoutes.Services, ApiRoutes.Tokens, ApiRoutes.Registries, ApiRoutes.Secrets })
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync(path));
            foreach (var item in document.RootElement.EnumerateArray())
            {
                builder.Append(Pick(item, "name", "stack", "size", "release", "desiredReplicas", "services", "role", "registry", "username", "revoked")).Append(';');
            }

            builder.Append('|');
        }

        var replicas = await http.GetFromJsonAsync<List<ReplicaInfo>>(ApiRoutes.Replicas, ApiJson.Options) ?? [];
        builder.Append(string.Join(",", replicas.Where(r => r.DesiredState == "running").Select(r => $"{r.Service}/{r.Slot}/{r.Release}").Order(StringComparer.Ordinal)));
        return builder.ToString();
    }

    private static string Pick(JsonElement item, params string[] names) =>
        string.Join(",", names.Select(n => item.TryGetProperty(n, out var v) ? v.ToString() : ""));

    private static bool IsError(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String && error.GetString()!.Length > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Query(Random random) => random.Next(4) switch
    {
        0 => "",
        1 => $"?tail={Boundary(random)}&since={Uri.EscapeDataString(Scalar(random))}&release={Boundary(random)}",
        2 => $"?stack={Uri.EscapeDataString(Scalar(random))}&all={Scalar(random)}&limit={Boundary(random)}&env={Uri.EscapeDataString(Scalar(random))}",
        _ => $"?after={Boundary(random)}&follow=false&service={Uri.EscapeDataString(Scalar(random))}",
    };

    /// <summary>A JSON body of the operation's schema (every field optional), its values random and boundary-biased.</summary>
    private static (byte[] Body, string? ContentType, string Description) Shaped(OpenApiOperations openApi, JsonElement schema, Random random)
    {
        var json = openApi.ValueOf(schema, random, () => Scalar(random), () => Boundary(random));
        var text = json.Length > 300 ? json[..300] + $"… ({json.Length} chars)" : json;
        return (Encoding.UTF8.GetBytes(json), "application/json", $"schema-shaped {text}");
    }

    private static (byte[] Body, string? ContentType, string Description) Body(Random random)
    {
        var contentType = random.Next(10) switch { 0 => null, 1 => "text/plain", 2 => "application/x-www-form-urlencoded", _ => "application/json" };
        switch (random.Next(10))
        {
            case 0:
                var broken = new[] { "{", "}", "[1,", "{\"a\":}", "nul", "\"unterminated", "{\"replicas\": {\"fz_web\": }", "\u0000", "{} {}", "" }[random.Next(10)];
                return (Encoding.UTF8.GetBytes(broken), contentType, $"broken JSON {JsonSerializer.Serialize(broken)} as {contentType ?? "no type"}");
            case 1:
                var bytes = new byte[random.Next(1, 64)];
                random.NextBytes(bytes);
                return (bytes, contentType, $"{bytes.Length} random bytes as {contentType ?? "no type"}");
            default:
                var json = Value(random, depth: 0);
                var text = json.Length > 300 ? json[..300] + $"… ({json.Length} chars)" : json;
                return (Encoding.UTF8.GetBytes(json), contentType, $"{text} as {contentType ?? "no type"}");
        }
    }

    /// <summary>A random JSON value, biased towards the API's own field names and boundary values.</summary>
    private static string Value(Random random, int depth)
    {
        string[] fields = ["replicas", "spec", "prune", "toRelease", "full", "release", "comment", "name", "role", "expiresInSeconds", "token", "username", "password", "services", "environments", "version", "message", "fz_web", "image", "x-berth"];
        return (depth > 6 ? random.Next(4) : random.Next(12)) switch
        {
            0 => "null",
            1 => random.Next(2) == 0 ? "true" : "false",
            2 => Boundary(random),
            3 => JsonSerializer.Serialize(Scalar(random)),
            4 when random.Next(20) == 0 => new string('[', 2000) + new string(']', 2000),
            4 or 5 or 6 => "[" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => Value(random, depth + 1))) + "]",
            _ => "{" + string.Join(",", Enumerable.Range(0, random.Next(1, 5)).Select(_ => $"{JsonSerializer.Serialize(fields[random.Next(fields.Length)])}:{Value(random, depth + 1)}")) + "}",
        };
    }

    private static string Boundary(Random random) => new[]
    {
        "0", "-1", "1", "2", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "1e308", "-0", "0.5", "1e-9", "NaN", "99999999999999999999999",
    }[random.Next(14)];

    private static string Scalar(Random random) => new[]
    {
        "", "fz_web", "fz", "x", "prod", "viewer", "admin", "root", "1", "-1", "2026-12-05T00:00:00Z", "not-a-time", "true", "\u0000", "ünï", "../../etc/passwd",
        new string('s', 5000), "${HOME}", "$(id)", "<script>", "' OR 1=1 --",
    }[random.Next(21)];
}
