using System.Globalization;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Environments;

/// <summary>`berth approve STACK RELEASE --env E`: lets the waiting release enter the environment (approver or admin).</summary>
public sealed class ApproveCommand : ApiCommand<ApprovalSettings>
{
    public ApproveCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, ApprovalSettings settings, CancellationToken cancellationToken)
    {
        var decided = await client.ApproveAsync(settings.Stack, settings.Environment!, new ApprovalRequest(settings.ReleaseNumber, settings.Comment), cancellationToken).ConfigureAwait(false);
        return Decision.Print(Cli, settings, decided, string.Create(CultureInfo.InvariantCulture,
            $"Approved release {decided.Release} of {settings.Stack} into {decided.Environment}; it deploys once the rollout in progress there (if any) ends. Follow it with `berth env ls {settings.Stack}`."));
    }
}

/// <summary>`berth reject STACK RELEASE --env E`: the waiting release will not enter the environment (approver or admin).</summary>
public sealed class RejectCommand : ApiCommand<ApprovalSettings>
{
    public RejectCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, ApprovalSettings settings, CancellationToken cancellationToken)
    {
        var decided = await client.RejectAsync(settings.Stack, settings.Environment!, new ApprovalRequest(settings.ReleaseNumber, settings.Comment), cancellationToken).ConfigureAwait(false);
        return Decision.Print(Cli, settings, decided, string.Create(CultureInfo.InvariantCulture,
            $"Rejected release {decided.Release} of {settings.Stack} for {decided.Environment}."));
    }
}

/// <summary>How approve and reject print their answer.</summary>
internal static class Decision
{
    public static int Print(CliEnvironment cli, ApprovalSettings settings, EnvironmentDeploymentInfo decided, string message)
    {
        if (settings.Json)
        {
            ConsoleText.WriteJson(cli.Out, decided);
        }
        else
        {
            ConsoleText.WriteLine(cli.Out, message);
        }

        return ExitCodes.Ok;
    }
}
