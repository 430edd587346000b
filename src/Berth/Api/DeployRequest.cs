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

    /// <summary>
    /// Remove the stack's services the spec no longer lists (<c>berth deploy --prune</c>), in the same transaction as the
    /// deploy; without it they keep running and the answer names them in <see cref="DeployResponse.Kept"/>.
    /// </summary>
    public bool Prune { get; init; }

    /// <summary>
    /// Registry logins for the stack's images (<c>berth deploy --with-registry-auth</c>, as docker stack deploy's): the
    /// server keeps them encrypted and pulls with them; no answer ever carries them back.
    /// </summary>
    public IReadOnlyList<RegistryLoginRequest>? RegistryLogins { get; init; }

    /// <summary>
    /// <c>berth deploy --env E</c>: deploy environment E of the files' <c>x-berth.environments</c> (its overrides
    /// applied) into the stack <c>STACK-E</c>; refused when E's entry is manual.
    /// </summary>
    public string? Environment { get; init; }
}

/// <summary>A registry login given to the server (<c>PUT /registries/REGISTRY</c>, or in a deploy): write-only.</summary>
public sealed record RegistryLoginRequest(string Registry, string Username, string Password)
{
    public override string ToString() => $"{Registry} {Username}:***";
}

/// <summary>A process artifact the server keeps: its digest and size in bytes.</summary>
public sealed record ArtifactInfo(string Digest, long Size);

/// <summary>A registry login the server keeps, as <c>GET /registries</c> lists it: never the password.</summary>
public sealed record RegistryLoginInfo(string Registry, string Username, DateTimeOffset UpdatedAt);

/// <summary>Answer to a deploy: what happened to each service.</summary>
public sealed record DeployResponse(string Stack, IReadOnlyList<ServiceDeployResult> Services)
{
    /// <summary>Services of the stack the spec no longer lists, now being removed (<see cref="DeployRequest.Prune"/>).</summary>
    public IReadOnlyList<string> Pruned { get; init => field = value ?? []; } = [];

    /// <summary>Services of the stack the spec no longer lists, left running because the deploy did not prune.</summary>
    public IReadOnlyList<string> Kept { get; init => field = value ?? []; } = [];

    /// <summary>Keys of the spec the server's runtime keeps in the release but does not act on.</summary>
    public IReadOnlyList<DeployWarning> Warnings { get; init => field = value ?? []; } = [];
}

/// <summary>One service's deploy outcome: a new release, or "unchanged".</summary>
public sealed record ServiceDeployResult(string Service, int Release, bool Changed, string Summary);

/// <summary>A key of the compose files the server will not act on: the service (STACK_SERVICE), the file's key path, why.</summary>
public sealed record DeployWarning(string Service, string Key, string Message);

/// <summary>
/// <c>PUT /secrets/STACK/NAME</c>: the content of a secret the server keeps for a stack (base64; at most 500 KiB once
/// decoded): what the stack's <c>external: true</c> secret NAME resolves to at its next deploy. Write-only.
/// </summary>
public sealed record SecretSetRequest(string Content)
{
    public override string ToString() => "SecretSetRequest { Content = *** }";
}

/// <summary>A secret the server keeps for a stack, as <c>GET /secrets</c> lists it: never its content.</summary>
public sealed record StackSecretInfo(string Stack, string Name, int Size, DateTimeOffset UpdatedAt, string? UpdatedBy);
