using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Security;
using Berth.Store;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Berth.Images;

/// <summary>A registry login the server keeps, as listed: never its password.</summary>
public sealed record StoredRegistryLogin(string Registry, string Username, DateTimeOffset UpdatedAt);

/// <summary>The server's registry login file as it was at one moment (encrypted bytes, or null: no file).</summary>
public sealed record RegistryLoginSnapshot(byte[]? Content);

/// <summary>
/// The registry logins the server pulls with (Swarm runtime, sent to the engine as X-Registry-Auth), given by
/// <c>berth deploy --with-registry-auth</c> or <c>PUT /api/v1/registries/REGISTRY</c>. Kept in
/// <c>DATA/registry-logins.json</c> (0600) with each password encrypted by ASP.NET Core Data Protection, whose key ring
/// lives in <c>DATA/keys</c> (0700): a copy of the file alone gives no password. Nothing reads a password back out
/// but the pull itself.
/// </summary>
public sealed class RegistryLoginStore
{
    public const string FileName = "registry-logins.json";
    private const string Purpose = "Berth.RegistryLogins.v1";
    private readonly string _path;
    private readonly IDataProtector _protector;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public RegistryLoginStore(IOptions<StoreOptions> store, IDataProtectionProvider protection, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(protection);
        _path = Path.Combine(store.Value.DataDirectory, FileName);
        _protector = protection.CreateProtector(Purpose);
        _time = time;
    }

    /// <summary>Saves (or replaces) the login for <paramref name="registry"/>.</summary>
    public async Task<StoredRegistryLogin> SaveAsync(string registry, RegistryCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var key = RegistryName.Normalize(registry);
        var entry = new Entry { Registry = key, Username = credentials.Username, Password = _protector.Protect(credentials.Password), UpdatedAt = _time.GetUtcNow() };
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var entries = Read().Where(e => e.Registry != key).Append(entry).OrderBy(e => e.Registry, StringComparer.Ordinal).ToList();
            Write(entries);
        }
        finally
        {
            _gate.Release();
        }

        return new StoredRegistryLogin(entry.Registry, entry.Username, entry.UpdatedAt);
    }

    /// <summary>Forgets the login for <paramref name="registry"/>; false when there was none.</summary>
    public async Task<bool> RemoveAsync(string registry, CancellationToken cancellationToken)
    {
        var key = RegistryName.Normalize(registry);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var entries = Read();
            var kept = entries.Where(e => e.Registry != key).ToList();
            if (kept.Count == entries.Count)
            {
                return false;
            }

            Write(kept);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public IReadOnlyList<StoredRegistryLogin> List() =>
        Read().Select(e => new StoredRegistryLogin(e.Registry, e.Username, e.UpdatedAt)).ToList();

    /// <summary>The login for <paramref name="registry"/>, decrypted, or null.</summary>
    /// <exception cref="InvalidOperationException">The password cannot be decrypted (the key ring in DATA/keys was lost or replaced).</exception>
    public RegistryCredentials? Find(string registry)
    {
        var key = RegistryName.Normalize(registry);
        if (Read().FirstOrDefault(e => e.Registry == key) is not { } entry)
        {
            return null;
        }

        try
        {
            return new RegistryCredentials(entry.Username, _protector.Unprotect(entry.Password));
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new InvalidOperationException(
                $"the server's login for registry {key} cannot be decrypted ({e.Message}): its key ring in the data folder's keys/ changed; " +
                $"give the login again (berth deploy --with-registry-auth)", e);
        }
    }

    /// <summary>The logins as they are now (encrypted), to put back with <see cref="Restore"/> when what saved them fails.</summary>
    public RegistryLoginSnapshot Snapshot() => new(File.Exists(_path) ? File.ReadAllBytes(_path) : null);

    /// <summary>Puts the logins back as <paramref name="snapshot"/> found them.</summary>
    public void Restore(RegistryLoginSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Content is null)
        {
            File.Delete(_path);
        }
        else
        {
            OwnerOnlyFile.Write(_path, stream => stream.Write(snapshot.Content));
        }
    }

    private List<Entry> Read()
    {
        if (!File.Exists(_path))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(_path), RegistryLoginJson.Default.ListEntry) ?? [];
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{_path} is not a valid registry login file ({e.Message}); move it aside and give the logins again", e);
        }
    }

    private void Write(List<Entry> entries) =>
        OwnerOnlyFile.Write(_path, stream => JsonSerializer.Serialize(stream, entries, RegistryLoginJson.Default.ListEntry));

    internal sealed record Entry
    {
        public required string Registry { get; init; }
        public required string Username { get; init; }

        /// <summary>Encrypted with the server's Data Protection key ring.</summary>
        public required string Password { get; init; }

        public DateTimeOffset UpdatedAt { get; init; }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(List<RegistryLoginStore.Entry>), TypeInfoPropertyName = "ListEntry")]
internal sealed partial class RegistryLoginJson : JsonSerializerContext;
