using Berth.Api;
using Berth.Spec;
using Berth.Store;
using States = Berth.Store.EnvironmentDeploymentStates;

namespace Berth.Pipeline;

/// <summary>What <c>release ls</c>, <c>env ls</c> and <c>history</c> show, read from the stack's releases and passages.</summary>
public sealed class PipelineQueries(BerthStore store)
{
    public Task<IReadOnlyList<StackReleaseInfo>> GetReleasesAsync(string stack, CancellationToken cancellationToken) =>
        store.ReadAsync<IReadOnlyList<StackReleaseInfo>>(
            async tx => (await tx.GetStackReleasesAsync(stack, cancellationToken)).Select(Describe).ToList(),
            cancellationToken);

    /// <summary>
    /// Each environment in order: the release it runs (the newest that reached it and has not failed; a failed one
    /// leaves the one before in place), the state of its latest passage, and the release waiting for approval.
    /// </summary>
    public Task<IReadOnlyList<EnvironmentInfo>> GetEnvironmentsAsync(string stack, CancellationToken cancellationToken) =>
        store.ReadAsync<IReadOnlyList<EnvironmentInfo>>(
            async tx =>
            {
                var latest = await tx.GetLatestStackReleaseAsync(stack, cancellationToken)
                    ?? throw ProblemException.NotFound($"stack {stack} has no release (berth release create)");
                var all = await tx.GetEnvironmentDeploymentsAsync(stack, null, cancellationToken);
                return latest.Document.Environments.Select(e => Describe(stack, e, all.Where(d => d.Environment == e.Name).ToList())).ToList();
            },
            cancellationToken);

    public Task<IReadOnlyList<EnvironmentDeploymentInfo>> GetHistoryAsync(string stack, string? environment, CancellationToken cancellationToken) =>
        store.ReadAsync<IReadOnlyList<EnvironmentDeploymentInfo>>(
            async tx =>
            {
                var releases = (await tx.GetStackReleasesAsync(stack, cancellationToken)).ToDictionary(r => r.Number);
                if (releases.Count == 0)
                {
                    throw ProblemException.NotFound($"stack {stack} has no release (berth release create)");
                }

                var rows = await tx.GetEnvironmentDeploymentsAsync(stack, environment, cancellationToken);
                return rows.Select(d => Describe(d, releases.GetValueOrDefault(d.Release)?.Version)).ToList();
            },
            cancellationToken);

    /// <summary>What differs between the releases two environments run now.</summary>
    public Task<EnvironmentDiffInfo> DiffAsync(string stack, string from, string to, CancellationToken cancellationToken) =>
        store.ReadAsync(
            async tx =>
            {
                var latest = await tx.GetLatestStackReleaseAsync(stack, cancellationToken)
                    ?? throw ProblemException.NotFound($"stack {stack} has no release (berth release create)");
                foreach (var name in new[] { from, to }.Where(n => latest.Document.Environments.All(e => e.Name != n)))
                {
                    throw ProblemException.NotFound($"stack {stack} has no environment {name}; it has: {string.Join(", ", latest.Document.Environments.Select(e => e.Name))}");
                }

                var all = await tx.GetEnvironmentDeploymentsAsync(stack, null, cancellationToken);
                async Task<(int?, ComposeSpec?)> Current(string environment)
                {
                    var current = all.LastOrDefault(d => d.Environment == environment && d.State is States.Succeeded or States.Deploying or States.Verifying);
                    var release = current is null ? null : await tx.GetStackReleaseAsync(stack, current.Release, cancellationToken);
                    return (current?.Release, release?.Document.Specs.GetValueOrDefault(environment));
                }

                var (fromRelease, fromSpec) = await Current(from);
                var (toRelease, toSpec) = await Current(to);
                return new EnvironmentDiffInfo(from, fromRelease, to, toRelease, EnvironmentDiff.Of(fromSpec, toSpec));
            },
            cancellationToken);

    public static StackReleaseInfo Describe(StackReleaseRecord release)
    {
        var first = release.Document.Environments.Count > 0 ? release.Document.Specs.GetValueOrDefault(release.Document.Environments[0].Name) : null;
        var artifacts = (first?.Services ?? new Dictionary<string, ServiceSpec>()).ToDictionary(
            s => s.Key,
            s => s.Value.PinnedImage ?? s.Value.Berth.Process?.ArtifactDigest ?? s.Value.Image ?? string.Join(' ', s.Value.Berth.Process?.Command ?? []),
            StringComparer.Ordinal);
        return new StackReleaseInfo(
            release.Stack, release.Number, release.Version, release.Message, release.CreatedBy, release.CreatedAt,
            release.Document.Environments.Select(e => e.Name).ToList(), artifacts);
    }

    public static EnvironmentDeploymentInfo Describe(EnvironmentDeploymentRecord d, string? version) => new(
        d.Id, d.Environment, d.Release, version, d.Kind, d.State, d.Reason, d.Actor, d.Comment, d.CreatedAt, d.StateSince,
        d.Gates.Select(g => new GateResultInfo(g.Gate, g.Passed, g.Message, g.At)).ToList());

    private static EnvironmentInfo Describe(string stack, EnvironmentSpec environment, List<EnvironmentDeploymentRecord> here)
    {
        var current = here.LastOrDefault(d => d.State is States.Succeeded or States.Deploying or States.Verifying);
        var latest = here.LastOrDefault(d => d.State is not (States.WaitingApproval or States.Superseded or States.Rejected)) ?? here.LastOrDefault();
        var pending = here.LastOrDefault(d => d.State == States.WaitingApproval);
        return new EnvironmentInfo(
            environment.Name,
            EnvironmentStacks.Name(stack, environment.Name),
            environment.Target,
            environment.Entry,
            current?.Release,
            latest?.State ?? (pending is null ? "empty" : States.WaitingApproval),
            latest?.StateSince ?? pending?.StateSince,
            pending?.Release,
            latest?.State == States.Failed ? latest.Reason : null);
    }
}
