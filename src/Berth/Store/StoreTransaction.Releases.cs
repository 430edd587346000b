namespace Berth.Store;

public sealed partial class StoreTransaction
{
    public async Task<ReleaseRecord?> GetReleaseAsync(string service, int number, CancellationToken cancellationToken) =>
        (await QueryAsync(
            "SELECT service, number, created_at, spec_json, spec_hash, summary FROM releases WHERE service = $service AND number = $number",
            r => new ReleaseRecord(r.GetString(0), r.GetInt32(1), ReadTime(r, 2), BerthStore.DeserializeSpec(r.GetString(3)), r.GetString(4), r.GetString(5)),
            cancellationToken,
            ("$service", service),
            ("$number", number))).FirstOrDefault();

    public async Task<IReadOnlyList<ReleaseRecord>> GetReleasesAsync(string service, CancellationToken cancellationToken) =>
        await QueryAsync(
            "SELECT service, number, created_at, spec_json, spec_hash, summary FROM releases WHERE service = $service ORDER BY number",
            r => new ReleaseRecord(r.GetString(0), r.GetInt32(1), ReadTime(r, 2), BerthStore.DeserializeSpec(r.GetString(3)), r.GetString(4), r.GetString(5)),
            cancellationToken,
            ("$service", service));

    /// <summary>Inserts a release; numbers are never reused and a release is never updated.</summary>
    public Task InsertReleaseAsync(ReleaseRecord release, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "INSERT INTO releases(service, number, created_at, spec_json, spec_hash, summary) VALUES ($service, $number, $created, $spec, $hash, $summary)",
            cancellationToken,
            ("$service", release.Service),
            ("$number", release.Number),
            ("$created", Time(release.CreatedAt)),
            ("$spec", BerthStore.Serialize(release.Spec)),
            ("$hash", release.SpecHash),
            ("$summary", release.Summary));
}
