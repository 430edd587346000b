using Berth.Images;
using Berth.Store;
using Berth.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Tests.Images;

/// <summary>
/// The server's registry logins: the file is 0600 and holds no password in clear; a server on the same data folder (same
/// key ring) reads them back; another key ring cannot, and says what to do; listing never gives a password.
/// </summary>
public sealed class RegistryLoginStoreTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDirectory _dir = new("berth-logins");

    [Fact]
    public async Task Save_FileIsOwnerOnly_NoClearPassword_SameKeyRingReadsItBack_NormalizedName()
    {
        var password = "pw-" + Guid.NewGuid().ToString("N");
        await Store("keys").SaveAsync("https://GHCR.io/", new RegistryCredentials("octocat", password), None);

        var file = Path.Combine(_dir.Path, RegistryLoginStore.FileName);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.DoesNotContain(password, await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        var again = Store("keys");
        Assert.Equal(new RegistryCredentials("octocat", password), again.Find("ghcr.io"));
        var listed = Assert.Single(again.List());
        Assert.Equal(("ghcr.io", "octocat"), (listed.Registry, listed.Username));
        Assert.DoesNotContain(password, listed.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherKeyRing_CannotDecrypt_SaysToGiveTheLoginAgain()
    {
        await Store("keys").SaveAsync("127.0.0.1:5000", new RegistryCredentials("ci", "secret"), None);

        var error = Assert.Throws<InvalidOperationException>(() => Store("other-keys").Find("127.0.0.1:5000"));

        Assert.Contains("cannot be decrypted", error.Message, StringComparison.Ordinal);
        Assert.Contains("--with-registry-auth", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remove_ForgetsOnlyThatRegistry_DockerHubNamesAreOne()
    {
        var store = Store("keys");
        await store.SaveAsync("index.docker.io", new RegistryCredentials("hubuser", "a"), None);
        await store.SaveAsync("ghcr.io", new RegistryCredentials("octocat", "b"), None);

        Assert.True(await store.RemoveAsync("docker.io", None));
        Assert.False(await store.RemoveAsync("docker.io", None));

        Assert.Null(store.Find("registry-1.docker.io"));
        Assert.NotNull(store.Find("ghcr.io"));
    }

    private RegistryLoginStore Store(string keys) => new(
        Options.Create(new StoreOptions { DataDirectory = _dir.Path }),
        DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(_dir.Path, keys)), b => b.SetApplicationName("berth")),
        new FakeTimeProvider());

    public void Dispose() => _dir.Dispose();
}
