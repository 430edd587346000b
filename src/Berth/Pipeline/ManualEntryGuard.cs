using Berth.Api;
using Berth.Spec;
using Berth.Store;

namespace Berth.Pipeline;

/// <summary>
/// What a plain deploy may do with environments: <c>berth deploy … STACK --env E</c> deploys the environment's stack
/// (<c>STACK-E</c>, its overrides applied) unless E's entry is manual; and no deploy, with or without <c>--env</c>, may
/// write into the stack of an environment whose entry is manual: a release gets there only through an approval.
/// </summary>
public sealed class ManualEntryGuard(BerthStore store)
{
    /// <summary>The stack name and spec to deploy for <paramref name="stack"/> (and <paramref name="environment"/>, if any).</summary>
    public async Task<(string Stack, ComposeSpec Spec)> ResolveAsync(string stack, ComposeSpec spec, string? environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        // Where replicas run is the server's decision (an environment's target), never the request's.
        var (target, resolved) = (stack, spec with { Services = spec.Services.ToDictionary(s => s.Key, s => s.Value with { Target = null }, StringComparer.Ordinal) });
        if (environment is not null)
        {
            var declared = EnvironmentOverlay.Find(spec, environment) ?? throw ProblemException.Invalid(spec.Environments.Count == 0
                ? $"--env {environment}: the files declare no environments (x-berth.environments, see docs/concepts/environments.md)"
                : $"--env {environment}: the files declare no environment {environment}; they declare: {string.Join(", ", spec.Environments.Select(e => e.Name))}");
            if (declared.Entry == EntryModes.Manual)
            {
                throw Refusal(stack, environment);
            }

            (target, resolved) = (EnvironmentStacks.Name(stack, environment), EnvironmentOverlay.Apply(resolved, declared));
        }

        await RefuseManualStackAsync(target, cancellationToken);
        return (target, resolved);
    }

    /// <summary>Refuses a deploy into the stack of an environment whose entry (in its stack's newest release) is manual.</summary>
    private async Task RefuseManualStackAsync(string target, CancellationToken cancellationToken)
    {
        var separator = target.LastIndexOf('-');
        if (separator <= 0)
        {
            return;
        }

        var (stack, environment) = (target[..separator], target[(separator + 1)..]);
        var latest = await store.ReadAsync(tx => tx.GetLatestStackReleaseAsync(stack, cancellationToken), cancellationToken);
        if (latest?.Document.Environments.FirstOrDefault(e => e.Name == environment) is { Entry: EntryModes.Manual })
        {
            throw Refusal(stack, environment);
        }
    }

    private static ProblemException Refusal(string stack, string environment) => ProblemException.Conflict(
        $"environment {environment} of {stack} takes releases only through an approval: berth release create -c FILE {stack}, then berth approve {stack} N --env {environment}");
}
