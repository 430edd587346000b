using Berth.Releases;
using Microsoft.Data.Sqlite;

namespace Berth.Store;

public sealed partial class StoreTransaction
{
    private const string ReleaseColumns = "service, number, created_at, spec_json, spec_hash, summary, secrets_json";

    private ReleaseRecord ReadRelease(SqliteDataReader r) =>
        new(r.GetString(0), r.GetInt32(1), ReadTime(r, 2), _specs.Get(r.GetString(3)), r.GetString(4), r.GetString(5))
        {
            Secrets = BerthStore.Deserialize<List<ReleaseSecret>>(r.GetString(6)),
        };

    public async Task<ReleaseRecord?> GetReleaseAsync(string service, int number, CancellationToken cancellationToken) =>
        (await QueryAsync(
            $"SELECT {ReleaseColumns} FROM releases WHERE service = $service AND number = $number",
            ReadRelease,
            cancellationToken,
            ("$service", service),
            ("$number", number))).FirstOrDefault();

    public async Task<IReadOnlyList<ReleaseRecord>> GetReleasesAsync(string service, CancellationToken cancellationToken) =>
        await QueryAsync(
            $"SELECT {ReleaseColumns} FROM releases WHERE service = $service ORDER BY number",
            ReadRelease,
            cancellationToken,
            ("$service", service));

    /// <summary>The service's highest release number, 0 when it has none.</summary>
    public async Task<int> GetLastReleaseNumberAsync(string service, CancellationToken cancellationToken) =>
        (await QueryAsync(
            "SELECT COALESCE(MAX(number), 0) FROM releases WHERE service = $service",
            r => r.GetInt32(0),
            cancellationToken,
            ("$service", service)))[0];

    /// <summary>Inserts a release; numbers are never reused and a release is never updated.</summary>
    public Task InsertReleaseAsync(ReleaseRecord release, CancellationToken cancellationToken)
    {
        Touch(release.Service);
        return ExecuteAsync(
            $"INSERT INTO releases({ReleaseColumns}) VALUES ($service, $number, $created, $spec, $hash, $summary, $secrets)",
            cancellationToken,
            ("$service", release.Service),
            ("$number", release.Number),
            ("$created", Time(release.CreatedAt)),
            ("$spec", BerthStore.Serialize(release.Spec)),
            ("$hash", release.SpecHash),
            ("$summary", release.Summary),
            ("$secrets", BerthStore.Serialize(release.Secrets)));
    }
}
