using System.Net.Http.Json;
using Berth.Api;
using Berth.Cli.Json;

namespace Berth.Cli.Api;

/// <summary>The delivery pipeline: stack releases, environments, approvals, environment rollbacks, history, diff, targets.</summary>
public sealed partial class BerthApiClient
{
    public Task<StackReleaseInfo> CreateStackReleaseAsync(string stack, StackReleaseRequest request, CancellationToken cancellationToken) =>
        PostAsync<StackReleaseInfo>(ApiRoutes.StackReleases(stack), JsonContent.Create(request, CliJson.Api.Info<StackReleaseRequest>()), cancellationToken);

    public Task<IReadOnlyList<StackReleaseInfo>> ListStackReleasesAsync(string stack, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<StackReleaseInfo>>(ApiRoutes.StackReleases(stack), cancellationToken);

    public Task<IReadOnlyList<EnvironmentInfo>> ListEnvironmentsAsync(string stack, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<EnvironmentInfo>>(ApiRoutes.Environments(stack), cancellationToken);

    public Task<IReadOnlyList<EnvironmentDeploymentInfo>> GetHistoryAsync(string stack, string? environment, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<EnvironmentDeploymentInfo>>(ApiRoutes.History(stack) + Query(("env", environment)), cancellationToken);

    public Task<EnvironmentDeploymentInfo> ApproveAsync(string stack, string environment, ApprovalRequest request, CancellationToken cancellationToken) =>
        PostAsync<EnvironmentDeploymentInfo>(ApiRoutes.Approve(stack, environment), JsonContent.Create(request, CliJson.Api.Info<ApprovalRequest>()), cancellationToken);

    public Task<EnvironmentDeploymentInfo> RejectAsync(string stack, string environment, ApprovalRequest request, CancellationToken cancellationToken) =>
        PostAsync<EnvironmentDeploymentInfo>(ApiRoutes.Reject(stack, environment), JsonContent.Create(request, CliJson.Api.Info<ApprovalRequest>()), cancellationToken);

    public Task<EnvironmentDeploymentInfo> RollbackEnvironmentAsync(string stack, string environment, EnvironmentRollbackRequest request, CancellationToken cancellationToken) =>
        PostAsync<EnvironmentDeploymentInfo>(
            ApiRoutes.EnvironmentRollback(stack, environment), JsonContent.Create(request, CliJson.Api.Info<EnvironmentRollbackRequest>()), cancellationToken);

    public Task<EnvironmentDiffInfo> DiffEnvironmentsAsync(string stack, string from, string to, CancellationToken cancellationToken) =>
        GetAsync<EnvironmentDiffInfo>(ApiRoutes.Diff(stack) + $"?env={Uri.EscapeDataString(from)}&env={Uri.EscapeDataString(to)}", cancellationToken);

    public Task<IReadOnlyList<TargetInfo>> ListTargetsAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<TargetInfo>>(ApiRoutes.Targets, cancellationToken);

    /// <summary>Adds a Docker target (`berth target add`, admin); the server checks that its engine answers before keeping it.</summary>
    public Task<TargetInfo> AddTargetAsync(TargetAddRequest request, CancellationToken cancellationToken) =>
        PostAsync<TargetInfo>(ApiRoutes.Targets, JsonContent.Create(request, CliJson.Api.Info<TargetAddRequest>()), cancellationToken);

    /// <summary>Removes a target an admin added (409 while services still run on it, 400 for local).</summary>
    public async Task RemoveTargetAsync(string name, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, ApiRoutes.Targets + "/" + Uri.EscapeDataString(name), body: null, cancellationToken).ConfigureAwait(false);
    }
}
