using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Secrets;

/// <summary>
/// `berth secret set STACK NAME [FILE|-]`: the server keeps the content for the stack; its external secret NAME
/// resolves to it at the next deploy or promotion (a changed content is then a new release). Never printed.
/// </summary>
public sealed class SecretSetCommand : ApiCommand<SecretSetSettings>
{
    public SecretSetCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, SecretSetSettings settings, CancellationToken cancellationToken)
    {
        var content = await ReadAsync(settings.File, cancellationToken).ConfigureAwait(false);
        var kept = await client.SetSecretAsync(settings.TargetStack, settings.Name, new SecretSetRequest(Convert.ToBase64String(content)), cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, kept);
            return ExitCodes.Ok;
        }

        ConsoleText.WriteLine(Cli.Out, $"Secret {kept.Name} of stack {kept.Stack} kept ({kept.Size} bytes): its external secret {kept.Name} uses it from the next deploy on.");
        return ExitCodes.Ok;
    }

    private static async Task<byte[]> ReadAsync(string? file, CancellationToken cancellationToken)
    {
        byte[] content;
        if (file is null or "-")
        {
            await using var input = Console.OpenStandardInput();
            using var buffer = new MemoryStream();
            await input.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            content = buffer.ToArray();
        }
        else
        {
            try
            {
                content = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliInputException($"FILE: cannot read {file}: {e.Message}");
            }
        }

        return content.Length switch
        {
            0 => throw new CliInputException(file is null or "-" ? "standard input was empty: give the secret's content on stdin (printf %s VALUE | berth secret set …) or as FILE" : $"FILE: {file} is empty"),
            > Berth.Spec.SecretLimits.MaxBytes => throw new CliInputException($"the content is {content.Length} bytes; a secret holds at most {Berth.Spec.SecretLimits.MaxBytes} bytes (500 KiB)"),
            _ => content,
        };
    }
}
