using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Berth.Images;

/// <summary>
/// A docker credential helper (<c>docker-credential-NAME</c> on PATH, named by config.json's <c>credHelpers</c> or
/// <c>credsStore</c>), spoken to as docker does: <c>get</c>, <c>store</c>, <c>erase</c>, <c>list</c>, JSON on stdin/stdout.
/// </summary>
public sealed class DockerCredentialHelper(string name)
{
    public string Name { get; } = name;

    public string Program => "docker-credential-" + Name;

    /// <summary>The server URL docker stores a registry's login under (Docker Hub's v1 URL, else the host).</summary>
    public static string ServerUrl(string registry) =>
        RegistryName.Normalize(registry) is var name && name == ImageReference.DockerHub ? "https://index.docker.io/v1/" : name;

    /// <summary>The login the helper has for <paramref name="registry"/>, null when it has none.</summary>
    /// <exception cref="InvalidOperationException">The helper is missing or failed otherwise.</exception>
    public async Task<RegistryCredentials?> GetAsync(string registry, CancellationToken cancellationToken)
    {
        var (code, output, errors) = await RunAsync("get", ServerUrl(registry), cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            return (output + errors).Contains("credentials not found", StringComparison.OrdinalIgnoreCase)
                ? null
                : throw new InvalidOperationException($"{Program} get failed (exit {code}): {Trim(errors + output)}");
        }

        using var json = JsonDocument.Parse(output);
        var user = json.RootElement.TryGetProperty("Username", out var u) ? u.GetString() : null;
        var secret = json.RootElement.TryGetProperty("Secret", out var s) ? s.GetString() : null;
        return string.IsNullOrEmpty(user) || string.IsNullOrEmpty(secret) ? null : new RegistryCredentials(user, secret);
    }

    public async Task StoreAsync(string registry, RegistryCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("ServerURL", ServerUrl(registry));
            writer.WriteString("Username", credentials.Username);
            writer.WriteString("Secret", credentials.Password);
            writer.WriteEndObject();
        }

        var (code, output, errors) = await RunAsync("store", Encoding.UTF8.GetString(buffer.ToArray()), cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException($"{Program} store failed (exit {code}): {Trim(errors + output)}");
        }
    }

    /// <summary>False when the helper had no login for <paramref name="registry"/>.</summary>
    public async Task<bool> EraseAsync(string registry, CancellationToken cancellationToken)
    {
        if (await GetAsync(registry, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        var (code, output, errors) = await RunAsync("erase", ServerUrl(registry), cancellationToken).ConfigureAwait(false);
        return code == 0 ? true : throw new InvalidOperationException($"{Program} erase failed (exit {code}): {Trim(errors + output)}");
    }

    /// <summary>Server URL → user name, for every login the helper holds.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ListAsync(CancellationToken cancellationToken)
    {
        var (code, output, errors) = await RunAsync("list", "", cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException($"{Program} list failed (exit {code}): {Trim(errors + output)}");
        }

        using var json = JsonDocument.Parse(output.Length == 0 ? "{}" : output);
        return json.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
    }

    private async Task<(int Code, string Output, string Errors)> RunAsync(string verb, string input, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(verb);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("not started");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"the credential helper {Program} named in docker's config.json cannot run ({e.Message}): install it or remove it from config.json", e);
        }

        using (process)
        {
            await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return (process.ExitCode, (await output.ConfigureAwait(false)).Trim(), (await errors.ConfigureAwait(false)).Trim());
        }
    }

    private static string Trim(string text) => text.Length <= 300 ? text.Trim() : text[..300].Trim() + "…";
}
