namespace Berth.Store;

/// <summary>A secret the server keeps for a stack (`berth secret set`): its name, size and who set it when; never its content.</summary>
public sealed record StackSecretRecord(string Stack, string Name, int Size, DateTimeOffset UpdatedAt, string? UpdatedBy);

public sealed partial class StoreTransaction
{
    /// <summary>Sets (or replaces) the content of <paramref name="stack"/>'s kept secret <paramref name="name"/>.</summary>
    public Task SetStackSecretAsync(string stack, string name, byte[] content, DateTimeOffset now, string? by, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            INSERT INTO stack_secrets(stack, name, content, updated_at, updated_by) VALUES ($stack, $name, $content, $at, $by)
            ON CONFLICT(stack, name) DO UPDATE SET content = excluded.content, updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """,
            cancellationToken,
            ("$stack", stack), ("$name", name), ("$content", content), ("$at", Time(now)), ("$by", by));

    /// <summary>The kept secrets of <paramref name="stack"/> (every stack's when null), by stack then name; no content.</summary>
    public async Task<IReadOnlyList<StackSecretRecord>> GetStackSecretsAsync(string? stack, CancellationToken cancellationToken) =>
        await QueryAsync(
            stack is null
                ? "SELECT stack, name, length(content), updated_at, updated_by FROM stack_secrets ORDER BY stack, name"
                : "SELECT stack, name, length(content), updated_at, updated_by FROM stack_secrets WHERE stack = $stack ORDER BY name",
            r => new StackSecretRecord(r.GetString(0), r.GetString(1), r.GetInt32(2), ReadTime(r, 3), r.IsDBNull(4) ? null : r.GetString(4)),
            cancellationToken,
            ("$stack", stack));

    /// <summary>The contents of <paramref name="stack"/>'s kept secrets, by name: what its external secrets resolve to at a deploy.</summary>
    public async Task<IReadOnlyDictionary<string, byte[]>> GetStackSecretContentsAsync(string stack, CancellationToken cancellationToken) =>
        (await QueryAsync(
            "SELECT name, content FROM stack_secrets WHERE stack = $stack",
            r => (Name: r.GetString(0), Content: (byte[])r.GetValue(1)),
            cancellationToken,
            ("$stack", stack)))
        .ToDictionary(s => s.Name, s => s.Content, StringComparer.Ordinal);

    /// <summary>Forgets a kept secret; false when there was none. Releases that used it keep their own copy.</summary>
    public async Task<bool> DeleteStackSecretAsync(string stack, string name, CancellationToken cancellationToken) =>
        await ExecuteAsync("DELETE FROM stack_secrets WHERE stack = $stack AND name = $name", cancellationToken, ("$stack", stack), ("$name", name)) > 0;
}
