namespace Berth.Spec;

/// <summary>What to load: compose files in merge order, extra env files, and the caller's environment.</summary>
public sealed record ComposeLoadRequest
{
    /// <summary>Compose files, merged in order (base first, overrides after), as given by repeated -c.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>Env files given with --env-file; when empty, a <c>.env</c> beside the first file is read if present.</summary>
    public IReadOnlyList<string> EnvFiles { get; init; } = [];

    /// <summary>Process environment used for interpolation; wins over env files, as in docker compose.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>
    /// Also read the content of the secrets services are granted (<c>file:</c>, <c>environment:</c>), as a deploy needs;
    /// a missing file or variable is then an error. Default false (<c>berth config</c> only checks the file).
    /// </summary>
    public bool ReadSecretContents { get; init; }

    /// <summary>
    /// Also refuse what is valid Compose but cannot be deployed by Berth (UDP ports: the router does not serve them
    /// yet), located like every other error. Default false (<c>berth config</c> only checks the file).
    /// </summary>
    public bool ForDeploy { get; init; }
}
