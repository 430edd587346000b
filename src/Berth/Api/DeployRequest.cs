using Berth.Spec;

namespace Berth.Api;

/// <summary>Body of POST /api/v1/stacks/{stack}/deploy: the spec the CLI loaded and validated.</summary>
public sealed record DeployRequest(ComposeSpec Spec)
{
    /// <summary>
    /// Contents (base64 in JSON) of the secrets the services are granted, by name, read by the CLI from the top-level
    /// secrets' <c>file:</c> or <c>environment:</c>; external secrets have none. Kept apart from the spec: never stored in
    /// or shown with a release.
    /// </summary>
    public IReadOnlyDictionary<string, byte[]>? SecretContents { get; init; }
}

/// <summary>Answer to a deploy: what happened to each service.</summary>
public sealed record DeployResponse(string Stack, IReadOnlyList<ServiceDeployResult> Services);

/// <summary>One service's deploy outcome: a new release, or "unchanged".</summary>
public sealed record ServiceDeployResult(string Service, int Release, bool Changed, string Summary);
