namespace Berth.Store;

public sealed partial class StoreTransaction
{
    public async Task<StackRecord?> GetStackAsync(string name, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            "SELECT name, source_files, created_at, updated_at FROM stacks WHERE name = $name",
            r => new StackRecord(r.GetString(0), BerthStore.Deserialize<List<string>>(r.GetString(1)), ReadTime(r, 2), ReadTime(r, 3)),
            cancellationToken,
            ("$name", name));
        return rows.FirstOrDefault();
    }

    public async Task<IReadOnlyList<StackRecord>> GetStacksAsync(CancellationToken cancellationToken) =>
        await QueryAsync(
            "SELECT name, source_files, created_at, updated_at FROM stacks ORDER BY name",
            r => new StackRecord(r.GetString(0), BerthStore.Deserialize<List<string>>(r.GetString(1)), ReadTime(r, 2), ReadTime(r, 3)),
            cancellationToken);

    public Task UpsertStackAsync(StackRecord stack, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            INSERT INTO stacks(name, source_files, created_at, updated_at) VALUES ($name, $files, $created, $updated)
            ON CONFLICT(name) DO UPDATE SET source_files = $files, updated_at = $updated
            """,
            cancellationToken,
            ("$name", stack.Name),
            ("$files", BerthStore.Serialize(stack.SourceFiles)),
            ("$created", Time(stack.CreatedAt)),
            ("$updated", Time(stack.UpdatedAt)));

    public Task DeleteStackAsync(string name, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM stacks WHERE name = $name", cancellationToken, ("$name", name));
}
