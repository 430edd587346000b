namespace Berth.Store;

public sealed partial class StoreTransaction
{
    /// <summary>Adds a target; false when one of that name exists (nothing changed).</summary>
    public async Task<bool> AddTargetAsync(TargetRecord target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        return await ExecuteAsync(
            """
            INSERT INTO targets(name, kind, endpoint, tls_ca, tls_cert, tls_key, created_at, created_by)
            VALUES ($name, $kind, $endpoint, $ca, $cert, $key, $at, $by) ON CONFLICT(name) DO NOTHING
            """,
            cancellationToken,
            ("$name", target.Name), ("$kind", target.Kind), ("$endpoint", target.Endpoint), ("$ca", target.Tls?.Ca), ("$cert", target.Tls?.Certificate),
            ("$key", target.Tls?.Key), ("$at", Time(target.CreatedAt)), ("$by", target.CreatedBy)) > 0;
    }

    /// <summary>Every target an admin added, by name.</summary>
    public async Task<IReadOnlyList<TargetRecord>> GetTargetsAsync(CancellationToken cancellationToken) =>
        await QueryAsync(
            "SELECT name, kind, endpoint, tls_ca, tls_cert, tls_key, created_at, created_by FROM targets ORDER BY name",
            r => new TargetRecord(
                r.GetString(0),
                r.GetString(1),
                r.IsDBNull(2) ? null : r.GetString(2),
                r.IsDBNull(3) ? null : new TargetTls(r.GetString(3), r.GetString(4), r.GetString(5)),
                ReadTime(r, 6),
                r.IsDBNull(7) ? null : r.GetString(7)),
            cancellationToken);

    /// <summary>Removes a target; false when there was none.</summary>
    public async Task<bool> DeleteTargetAsync(string name, CancellationToken cancellationToken) =>
        await ExecuteAsync("DELETE FROM targets WHERE name = $name", cancellationToken, ("$name", name)) > 0;
}
