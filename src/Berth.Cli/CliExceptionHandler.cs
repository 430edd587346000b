using System.Net;
using Berth.Cli.Api;
using Berth.Cli.Output;
using Berth.Cli.Usage;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli;

/// <summary>Turns every exception that leaves a command into a message on stderr and an exit code (see <see cref="ExitCodes"/>).</summary>
public sealed class CliExceptionHandler
{
    private readonly CliEnvironment _cli;
    private readonly UsageErrors _usage;

    public CliExceptionHandler(CliEnvironment cli, UsageErrors usage)
    {
        _cli = cli;
        _usage = usage;
    }

    public int Handle(Exception exception)
    {
        var error = _cli.Error;
        if (_usage.Describe(exception) is { } usageError)
        {
            // A command line Berth does not understand: one line and the command's usage, nothing done.
            _usage.Print(usageError);
            return ExitCodes.BadInput;
        }

        switch (exception)
        {
            case ServerUnreachableException unreachable:
                ConsoleText.WriteLine(
                    error,
                    $"Cannot reach the Berth server at {BerthApiClient.Display(unreachable.Host)}. Start it with `./berth server` (or set --host / BERTH_HOST).");
                PrintDebug(exception);
                return ExitCodes.Unreachable;

            case ServerTrustException trust:
                ConsoleText.WriteLine(error, trust.Message);
                PrintDebug(exception);
                return ExitCodes.Unreachable;

            case BerthApiException { IsAccessRefusal: true } refused:
                ErrorPrinter.Print(error, refused.Error);
                ConsoleText.WriteLine(error, $"  credential used: {refused.CredentialSource ?? "no token"}");
                ConsoleText.WriteLine(error, "  " + AccessHint(refused));
                return ExitCodes.AccessDenied;

            case BerthApiException api:
                ErrorPrinter.Print(error, api.Error);
                return api.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge ? ExitCodes.BadInput : ExitCodes.Failed;

            case CliInputException input:
                ErrorPrinter.Print(error, input.Message);
                return ExitCodes.BadInput;

            case CommandAppException usage:
                // Parse errors and Validate() failures: Spectre's pretty rendering when it has one.
                if (usage.Pretty is not null)
                {
                    error.Write(usage.Pretty);
                }
                else
                {
                    ErrorPrinter.Print(error, usage.Message);
                }

                return ExitCodes.BadInput;

            case OperationCanceledException:
                return ExitCodes.Cancelled;

            default:
                ErrorPrinter.Print(error, exception.Message);
                PrintDebug(exception);
                return ExitCodes.Failed;
        }
    }

    private static string AccessHint(BerthApiException refused) => refused.StatusCode switch
    {
        HttpStatusCode.Forbidden => "an admin can give you a token with a role that allows it: `berth token create NAME --role deployer|approver|admin`",
        HttpStatusCode.TooManyRequests => $"wait {(refused.RetryAfter is { } wait ? $"{Math.Ceiling(wait.TotalSeconds)} s" : "a moment")} and check the token before trying again",
        _ => "get a token from an admin (`berth token create NAME --role deployer`), then pass it with BERTH_TOKEN, --token-file FILE, " +
             "or `berth context create NAME --host URL --token-file FILE`; on the server's machine, berth uses its local admin token by itself",
    };

    private void PrintDebug(Exception exception)
    {
        if (_cli.Debug)
        {
            ConsoleText.WriteLine(_cli.Error, exception.ToString());
        }
    }
}
