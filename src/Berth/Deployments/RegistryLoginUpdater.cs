using Berth.Api;
using Berth.Images;

namespace Berth.Deployments;

/// <summary>
/// Saves registry logins given to the server (a deploy's <c>--with-registry-auth</c>, or <c>PUT /registries/R</c>): all
/// are checked first — complete, and accepted by their registry when the runtime can ask it (Swarm: through the
/// engine) — and none is saved unless every one is.
/// </summary>
public sealed class RegistryLoginUpdater
{
    private readonly RegistryLoginStore _store;
    private readonly IRegistryLoginCheck? _check;

    public RegistryLoginUpdater(RegistryLoginStore store, IRegistryLoginCheck? check = null)
    {
        _store = store;
        _check = check;
    }

    public async Task<IReadOnlyList<RegistryLoginInfo>> SaveAsync(IReadOnlyList<RegistryLoginRequest> logins, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logins);
        var problems = new List<string>();
        for (var i = 0; i < logins.Count; i++)
        {
            var login = logins[i];
            if (string.IsNullOrWhiteSpace(login?.Registry) || string.IsNullOrWhiteSpace(login.Username) || string.IsNullOrEmpty(login.Password))
            {
                problems.Add($"registryLogins[{i}]: registry, username and password are all required");
                continue;
            }

            var registry = RegistryName.Normalize(login.Registry);
            if (_check is not null
                && await _check.RefusalAsync(registry, new RegistryCredentials(login.Username, login.Password), cancellationToken) is { } refusal)
            {
                problems.Add($"registry {registry} refused the credentials for user {login.Username} ({refusal})");
            }
        }

        if (problems.Count > 0)
        {
            throw ProblemException.Invalid("no registry login was saved", problems);
        }

        var saved = new List<RegistryLoginInfo>();
        foreach (var login in logins)
        {
            var stored = await _store.SaveAsync(login.Registry, new RegistryCredentials(login.Username, login.Password), cancellationToken);
            saved.Add(new RegistryLoginInfo(stored.Registry, stored.Username, stored.UpdatedAt));
        }

        return saved;
    }
}
