using System.Text;
using System.Text.Json;
using Berth.Images;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Images;

/// <summary>
/// `berth registry login/logout/ls` against a real local registry with an htpasswd user (no engine needed): a login is
/// checked before it is kept (0600, or through docker's credential helper), a wrong one is refused with nothing saved,
/// `build --push` then uses it, and no password ever appears in any output.
/// </summary>
public sealed class RegistryLoginCommandTests : IDisposable
{
    private const string Password = "reg-pw-7f3a91";
    private readonly TempDirectory _dir = new("berth-registry-login");
    private readonly StringBuilder _outputs = new();

    [Fact]
    public async Task Login_RightPassword_Kept0600_ListedWithItsSource_LogoutForgets()
    {
        await using var registry = await StartRegistryAsync();

        var login = await RunAsync(["registry", "login", registry.Address, "-u", "ci", "--password-stdin"], Password + "\n");

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains($"Login Succeeded: ci at {registry.Address}", login.Stdout, StringComparison.Ordinal);
        var file = Path.Combine(_dir.Path, "berth-config", RegistryLoginFile.FileName);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        var listed = await RunAsync(["registry", "ls", "--json"]);
        using (var json = JsonDocument.Parse(listed.Stdout))
        {
            var row = Assert.Single(json.RootElement.EnumerateArray());
            Assert.Equal(registry.Address, row.GetProperty("registry").GetString());
            Assert.Equal("ci", row.GetProperty("username").GetString());
            Assert.StartsWith("berth (", row.GetProperty("source").GetString(), StringComparison.Ordinal);
        }

        var logout = await RunAsync(["registry", "logout", registry.Address]);
        Assert.True(logout.ExitCode == 0, logout.ToString());
        Assert.Equal("[]", (await RunAsync(["registry", "ls", "--json"])).Stdout.Trim());
        Assert.Contains("No login", (await RunAsync(["registry", "logout", registry.Address])).Stdout, StringComparison.Ordinal);
        AssertNoPassword();
    }

    [Fact]
    public async Task Login_WrongPassword_RefusedNamingRegistryAndUser_NothingSaved()
    {
        await using var registry = await StartRegistryAsync();

        var login = await RunAsync(["registry", "login", registry.Address, "-u", "ci", "--password-stdin"], "not-" + Password);

        Assert.True(login.ExitCode == 1, login.ToString());
        Assert.Contains($"registry {registry.Address} refused the credentials for user ci (401", login.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir.Path, "berth-config", RegistryLoginFile.FileName)));
        Assert.DoesNotContain("not-" + Password, login.Stdout + login.Stderr, StringComparison.Ordinal);
        AssertNoPassword();
    }

    [Fact]
    public async Task Login_NoRegistryAnswers_ClearError_EmptyStdin_BadInput()
    {
        var port = LoopbackPort.Free();

        var unreachable = await RunAsync(["registry", "login", $"127.0.0.1:{port}", "-u", "ci", "--password-stdin"], Password);
        var empty = await RunAsync(["registry", "login", $"127.0.0.1:{port}", "-u", "ci", "--password-stdin"], "");
        var noStdinFlag = await RunAsync(["registry", "login", $"127.0.0.1:{port}", "-u", "ci"]);

        Assert.True(unreachable.ExitCode == 1, unreachable.ToString());
        Assert.Contains($"registry 127.0.0.1:{port} cannot be reached at http://127.0.0.1:{port}/v2/", unreachable.Stderr, StringComparison.Ordinal);
        Assert.True(empty.ExitCode == 2, empty.ToString());
        Assert.True(noStdinFlag.ExitCode == 2, noStdinFlag.ToString());
        Assert.Contains("--password-stdin is required", noStdinFlag.Stderr, StringComparison.Ordinal);
        AssertNoPassword();
    }

    [Fact]
    public async Task CredentialHelper_NamedByDockerConfig_StoresListsAndErases()
    {
        await using var registry = await StartRegistryAsync();
        var helperStore = Path.Combine(_dir.Path, "helper-store");
        Directory.CreateDirectory(helperStore);
        var bin = Directory.CreateDirectory(Path.Combine(_dir.Path, "bin")).FullName;
        var helper = Path.Combine(bin, "docker-credential-fake");
        // A credential helper as docker specifies them: one file per server URL holding the JSON it was given.
        await File.WriteAllTextAsync(helper, $$"""
            #!/bin/sh
            store='{{helperStore}}'
            key() { printf %s "$1" | tr '/:' '__'; }
            case "$1" in
              store) input=$(cat); url=$(printf %s "$input" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ServerURL"])'); printf %s "$input" > "$store/$(key "$url")" ;;
              get) url=$(cat); f="$store/$(key "$url")"; if [ -f "$f" ]; then cat "$f"; else echo "credentials not found in native keychain"; exit 1; fi ;;
              erase) url=$(cat); rm -f "$store/$(key "$url")" ;;
              list) python3 -c 'import json,os,sys; d=sys.argv[1]; print(json.dumps({json.load(open(os.path.join(d,f)))["ServerURL"]: json.load(open(os.path.join(d,f)))["Username"] for f in os.listdir(d)}))' "$store" ;;
            esac
            """.Replace("\r", "", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(helper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        await File.WriteAllTextAsync(Path.Combine(DockerConfig, "config.json"), "{\"credsStore\": \"fake\"}");
        var path = bin + ":" + System.Environment.GetEnvironmentVariable("PATH");

        var login = await RunAsync(["registry", "login", registry.Address, "-u", "ci", "--password-stdin"], Password, new() { ["PATH"] = path });
        var listed = await RunAsync(["registry", "ls"], environment: new() { ["PATH"] = path });
        var logout = await RunAsync(["registry", "logout", registry.Address], environment: new() { ["PATH"] = path });

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("kept by the credential helper docker-credential-fake", login.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir.Path, "berth-config", RegistryLoginFile.FileName)));
        Assert.Contains("credential helper fake", listed.Stdout, StringComparison.Ordinal);
        Assert.True(logout.ExitCode == 0, logout.ToString());
        Assert.Empty(Directory.GetFiles(helperStore));
    }

    [Fact]
    public async Task Chain_EnvironmentFirst_ThenCrPatForGhcr_ThenBerthFile_ThenDockerAuths()
    {
        var environment = Variables();
        var berth = new RegistryLoginFile(Path.Combine(_dir.Path, "berth-config"));
        berth.Save("ghcr.io", new RegistryCredentials("from-file", "f"));
        await File.WriteAllTextAsync(
            Path.Combine(DockerConfig, "config.json"),
            $"{{\"auths\": {{\"https://index.docker.io/v1/\": {{\"auth\": \"{Convert.ToBase64String(Encoding.UTF8.GetBytes("hub:h"))}\"}}}}}}");

        Assert.Equal("from-file", (await RegistryCredentialChain.FindAsync("https://ghcr.io/", environment, default))!.Credentials.Username);
        Assert.Equal("hub", (await RegistryCredentialChain.FindAsync("docker.io", environment, default))!.Credentials.Username);
        Assert.Null(await RegistryCredentialChain.FindAsync("quay.io", environment, default));

        environment["CR_PAT"] = "ghp_x";
        environment["GITHUB_ACTOR"] = "octocat";
        var pat = (await RegistryCredentialChain.FindAsync("ghcr.io", environment, default))!;
        Assert.Equal(("octocat", "environment (CR_PAT)"), (pat.Credentials.Username, pat.Source));

        environment["BERTH_REGISTRY_USER"] = "env-user";
        environment["BERTH_REGISTRY_PASSWORD"] = "e";
        Assert.Equal("env-user", (await RegistryCredentialChain.FindAsync("ghcr.io", environment, default))!.Credentials.Username);
        Assert.Equal("env-user", (await RegistryCredentialChain.FindAsync("quay.io", environment, default))!.Credentials.Username);

        environment.Remove("BERTH_REGISTRY_PASSWORD");
        environment.Remove("GITHUB_ACTOR");
        environment.Remove("BERTH_REGISTRY_USER");
        var noUser = await Assert.ThrowsAsync<InvalidOperationException>(() => RegistryCredentialChain.FindAsync("ghcr.io", environment, default));
        Assert.Contains("BERTH_REGISTRY_USER", noUser.Message, StringComparison.Ordinal);
        Assert.Contains("GITHUB_ACTOR", noUser.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chain_AHalfSetPairOfVariables_StopsWithAClearError_NeverFallsThrough()
    {
        var environment = Variables();
        new RegistryLoginFile(Path.Combine(_dir.Path, "berth-config")).Save("quay.io", new RegistryCredentials("from-file", "f"));

        environment["BERTH_REGISTRY_PASSWORD"] = "e";
        var noUser = await Assert.ThrowsAsync<InvalidOperationException>(() => RegistryCredentialChain.FindAsync("quay.io", environment, default));
        Assert.Contains("BERTH_REGISTRY_PASSWORD is set but BERTH_REGISTRY_USER is not", noUser.Message, StringComparison.Ordinal);

        environment.Remove("BERTH_REGISTRY_PASSWORD");
        environment["BERTH_REGISTRY_USER"] = "env-user";
        var noPassword = await Assert.ThrowsAsync<InvalidOperationException>(() => RegistryCredentialChain.FindAsync("quay.io", environment, default));
        Assert.Contains("BERTH_REGISTRY_USER is set but BERTH_REGISTRY_PASSWORD is not", noPassword.Message, StringComparison.Ordinal);

        // With CR_PAT, BERTH_REGISTRY_USER names ghcr.io's user: not half set.
        environment["CR_PAT"] = "ghp_x";
        Assert.Equal("env-user", (await RegistryCredentialChain.FindAsync("ghcr.io", environment, default))!.Credentials.Username);
        Assert.Equal("from-file", (await RegistryCredentialChain.FindAsync("quay.io", environment, default))!.Credentials.Username);

        var listed = await RunAsync(["registry", "ls"], environment: new Dictionary<string, string> { ["BERTH_REGISTRY_PASSWORD"] = "e" });
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains("warning: BERTH_REGISTRY_PASSWORD is set but BERTH_REGISTRY_USER is not", listed.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_LoginFileReadableByOthers_Warns()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var file = new RegistryLoginFile(Path.Combine(_dir.Path, "berth-config"));
        file.Save("quay.io", new RegistryCredentials("from-file", "f"));
        Assert.DoesNotContain("warning", (await RunAsync(["registry", "ls"])).Stderr, StringComparison.Ordinal);

        File.SetUnixFileMode(file.FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var listed = await RunAsync(["registry", "ls"]);

        Assert.Equal(0, listed.ExitCode);
        Assert.Contains($"warning: {file.FilePath} holds passwords and other users can read it (mode 644): chmod 600 {file.FilePath}", listed.Stderr, StringComparison.Ordinal);
        Assert.Contains("from-file", listed.Stdout, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task BuildPush_UsesTheLoginOfRegistryLogin()
    {
        await using var registry = await StartRegistryAsync();
        var image = $"{registry.Address}/berth-test/viaberth:{Guid.NewGuid().ToString("N")[..8]}";
        var context = Directory.CreateDirectory(Path.Combine(_dir.Path, "context")).FullName;
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM scratch\nCOPY hello.txt /\n");
        await File.WriteAllTextAsync(Path.Combine(context, "hello.txt"), "hello\n");
        var compose = Path.Combine(context, "compose.yml");
        await File.WriteAllTextAsync(compose, $"services:\n  web:\n    image: \"{image}\"\n    build: .\n");

        var refused = await RunAsync(["build", "-c", compose, "--push"]);
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains($"berth registry login {registry.Address}", refused.Stderr, StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync(["registry", "login", registry.Address, "-u", "ci", "--password-stdin"], Password)).ExitCode);
        var pushed = await RunAsync(["build", "-c", compose, "--push"]);

        Assert.True(pushed.ExitCode == 0, pushed.ToString());
        Assert.Contains(image.Split(':')[^1], await registry.TagsAsync("berth-test/viaberth"));
        using var docker = DockerEngine.Connect();
        await docker.Images.DeleteImageAsync(image, new Docker.DotNet.Models.ImageDeleteParameters { Force = true });
        AssertNoPassword();
    }

    public void Dispose() => _dir.Dispose();

    private string DockerConfig => Directory.CreateDirectory(Path.Combine(_dir.Path, "docker-config")).FullName;

    private Dictionary<string, string> Variables() => new(StringComparer.Ordinal)
    {
        ["BERTH_CONFIG"] = Path.Combine(_dir.Path, "berth-config"),
        ["DOCKER_CONFIG"] = DockerConfig,
        ["HOME"] = _dir.Path,
    };

    private static async Task<LocalRegistry> StartRegistryAsync()
    {
        Assert.Null(LocalRegistry.Problem(withAuth: true));
        return await LocalRegistry.StartAsync("ci", Password);
    }

    private async Task<CliRun.Result> RunAsync(string[] args, string? stdin = null, Dictionary<string, string>? environment = null)
    {
        var variables = Variables();
        foreach (var (key, value) in environment ?? [])
        {
            variables[key] = value;
        }

        var result = await CliRun.RunAsync(args, variables, stdin: stdin);
        _outputs.AppendLine(result.Stdout).AppendLine(result.Stderr);
        return result;
    }

    private void AssertNoPassword() =>
        Assert.False(_outputs.ToString().Contains(Password, StringComparison.Ordinal), "the registry password appears in a CLI output");
}
