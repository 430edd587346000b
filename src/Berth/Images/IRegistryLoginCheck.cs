namespace Berth.Images;

/// <summary>Asks a registry whether it accepts a login before the server keeps it (the Swarm runtime asks through the engine).</summary>
public interface IRegistryLoginCheck
{
    /// <summary>Null when accepted, or when the registry cannot be asked (no verdict); else the registry's refusal.</summary>
    Task<string?> RefusalAsync(string registry, RegistryCredentials credentials, CancellationToken cancellationToken);
}
