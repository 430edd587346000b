using Berth.Releases;

namespace Berth.Store;

public sealed partial class StoreTransaction
{
    /// <summary>Keeps a secret's content for the releases of <paramref name="stack"/> that grant it; a no-op when already kept.</summary>
    public Task SaveSecretContentAsync(string stack, string name, byte[] content, DateTimeOffset now, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "INSERT OR IGNORE INTO secrets(stack, name, hash, content, created_at) VALUES ($stack, $name, $hash, $content, $created)",
            cancellationToken,
            ("$stack", stack),
            ("$name", name),
            ("$hash", ReleaseSecret.HashOf(content)),
            ("$content", content),
            ("$created", Time(now)));

    /// <summary>The contents of the (non-external) secrets a release grants, by name; a content no longer kept is left out.</summary>
    public async Task<IReadOnlyDictionary<string, byte[]>> GetSecretContentsAsync(string stack, IReadOnlyList<ReleaseSecret> secrets, CancellationToken cancellationToken)
    {
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var secret in secrets)
        {
            if (secret.ContentHash is not { } hash)
            {
                continue;
            }

            var rows = await QueryAsync(
                "SELECT content FROM secrets WHERE stack = $stack AND name = $name AND hash = $hash",
                r => (byte[])r.GetValue(0),
                cancellationToken,
                ("$stack", stack),
                ("$name", secret.Source),
                ("$hash", hash));
            if (rows.Count > 0)
            {
                contents[secret.Source] = rows[0];
            }
        }

        return contents;
    }

    /// <summary>Forgets every kept content no release of its stack grants any more (after a service and its releases are deleted).</summary>
    public Task DeleteUnusedSecretContentsAsync(CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            DELETE FROM secrets WHERE NOT EXISTS (
                SELECT 1 FROM releases r JOIN services s ON s.name = r.service, json_each(r.secrets_json) j
                WHERE s.stack = secrets.stack
                  AND json_extract(j.value, '$.source') = secrets.name
                  AND json_extract(j.value, '$.contentHash') = secrets.hash)
            """,
            cancellationToken);
}
