using Microsoft.Data.Sqlite;

namespace Berth.Store;

public sealed partial class StoreTransaction
{
    private const string StackReleaseColumns = "stack, number, version, message, created_by, created_at, document_json";

    private const string DeploymentColumns =
        "id, stack, environment, release, kind, state, reason, actor, comment, created_at, state_since, services_json, gates_json";

    private static StackReleaseRecord ReadStackRelease(SqliteDataReader r) => new()
    {
        Stack = r.GetString(0),
        Number = r.GetInt32(1),
        Version = ReadOptionalString(r, 2),
        Message = ReadOptionalString(r, 3),
        CreatedBy = ReadOptionalString(r, 4),
        CreatedAt = ReadTime(r, 5),
        Document = BerthStore.Deserialize<StackReleaseDocument>(r.GetString(6)),
    };

    private static EnvironmentDeploymentRecord ReadDeployment(SqliteDataReader r) => new()
    {
        Id = r.GetInt64(0),
        Stack = r.GetString(1),
        Environment = r.GetString(2),
        Release = r.GetInt32(3),
        Kind = r.GetString(4),
        State = r.GetString(5),
        Reason = ReadOptionalString(r, 6),
        Actor = ReadOptionalString(r, 7),
        Comment = ReadOptionalString(r, 8),
        CreatedAt = ReadTime(r, 9),
        StateSince = ReadTime(r, 10),
        ServiceReleases = BerthStore.Deserialize<Dictionary<string, int>>(r.GetString(11)),
        Gates = BerthStore.Deserialize<List<GateResult>>(r.GetString(12)),
    };

    /// <summary>Stores a new stack release numbered one above the stack's last, and returns it with its number.</summary>
    public async Task<StackReleaseRecord> InsertStackReleaseAsync(StackReleaseRecord release, CancellationToken cancellationToken)
    {
        await using var command = Command(
            $"""
            INSERT INTO stack_releases({StackReleaseColumns})
            VALUES ($stack, (SELECT COALESCE(MAX(number), 0) + 1 FROM stack_releases WHERE stack = $stack), $version, $message, $by, $at, $doc)
            RETURNING number
            """,
            [
                ("$stack", release.Stack), ("$version", release.Version), ("$message", release.Message), ("$by", release.CreatedBy),
                ("$at", Time(release.CreatedAt)), ("$doc", BerthStore.Serialize(release.Document)),
            ]);
        var number = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        return release with { Number = number };
    }

    public async Task<StackReleaseRecord?> GetStackReleaseAsync(string stack, int number, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {StackReleaseColumns} FROM stack_releases WHERE stack = $stack AND number = $n", ReadStackRelease, cancellationToken, ("$stack", stack), ("$n", number)))
        .FirstOrDefault();

    public async Task<StackReleaseRecord?> GetLatestStackReleaseAsync(string stack, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {StackReleaseColumns} FROM stack_releases WHERE stack = $stack ORDER BY number DESC LIMIT 1", ReadStackRelease, cancellationToken, ("$stack", stack)))
        .FirstOrDefault();

    public async Task<IReadOnlyList<StackReleaseRecord>> GetStackReleasesAsync(string stack, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {StackReleaseColumns} FROM stack_releases WHERE stack = $stack ORDER BY number", ReadStackRelease, cancellationToken, ("$stack", stack));

    /// <summary>Stacks that have a stack release (the pipeline's work list).</summary>
    public async Task<IReadOnlyList<string>> GetStacksWithReleasesAsync(CancellationToken cancellationToken) =>
        await QueryAsync("SELECT DISTINCT stack FROM stack_releases ORDER BY stack", r => r.GetString(0), cancellationToken);

    /// <summary>Every deployment of the stack, oldest first (optionally of one environment).</summary>
    public async Task<IReadOnlyList<EnvironmentDeploymentRecord>> GetEnvironmentDeploymentsAsync(string stack, string? environment, CancellationToken cancellationToken) =>
        environment is null
            ? await QueryAsync($"SELECT {DeploymentColumns} FROM environment_deployments WHERE stack = $stack ORDER BY id", ReadDeployment, cancellationToken, ("$stack", stack))
            : await QueryAsync(
                $"SELECT {DeploymentColumns} FROM environment_deployments WHERE stack = $stack AND environment = $env ORDER BY id",
                ReadDeployment,
                cancellationToken,
                ("$stack", stack),
                ("$env", environment));

    public async Task<EnvironmentDeploymentRecord> InsertEnvironmentDeploymentAsync(EnvironmentDeploymentRecord deployment, CancellationToken cancellationToken)
    {
        await using var command = Command(
            $"""
            INSERT INTO environment_deployments(stack, environment, release, kind, state, reason, actor, comment, created_at, state_since, services_json, gates_json)
            VALUES ($stack, $env, $release, $kind, $state, $reason, $actor, $comment, $created, $since, $services, $gates) RETURNING id
            """,
            DeploymentParameters(deployment));
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return deployment with { Id = id };
    }

    public Task UpdateEnvironmentDeploymentAsync(EnvironmentDeploymentRecord deployment, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            UPDATE environment_deployments SET state = $state, reason = $reason, actor = $actor, comment = $comment, state_since = $since,
                services_json = $services, gates_json = $gates
            WHERE id = $id
            """,
            cancellationToken,
            [.. DeploymentParameters(deployment), ("$id", deployment.Id)]);

    private static (string, object?)[] DeploymentParameters(EnvironmentDeploymentRecord d) =>
    [
        ("$stack", d.Stack),
        ("$env", d.Environment),
        ("$release", d.Release),
        ("$kind", d.Kind),
        ("$state", d.State),
        ("$reason", d.Reason),
        ("$actor", d.Actor),
        ("$comment", d.Comment),
        ("$created", Time(d.CreatedAt)),
        ("$since", Time(d.StateSince)),
        ("$services", BerthStore.Serialize(d.ServiceReleases)),
        ("$gates", BerthStore.Serialize(d.Gates)),
    ];
}
