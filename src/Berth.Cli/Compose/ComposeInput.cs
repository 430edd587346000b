using Berth.Cli.Output;
using Berth.Spec;

namespace Berth.Cli.Compose;

/// <summary>Loads the compose files a verb was given, printing warnings and errors to stderr the same way for `config` and `deploy`.</summary>
public static class ComposeInput
{
    /// <summary>The spec, or null after printing every error (the caller then exits with <see cref="ExitCodes.BadInput"/>).</summary>
    public static async Task<ComposeSpec?> LoadAsync(
        CliEnvironment cli, IReadOnlyList<string> files, IReadOnlyList<string> envFiles, CancellationToken cancellationToken) =>
        (await LoadAsync(cli, files, envFiles, readSecretContents: false, cancellationToken).ConfigureAwait(false))?.Spec;

    /// <summary>
    /// As <see cref="LoadAsync(CliEnvironment, IReadOnlyList{string}, IReadOnlyList{string}, CancellationToken)"/>; for a
    /// deploy (<paramref name="readSecretContents"/>) also reading the granted secrets' contents (a deploy sends them)
    /// and refusing what Berth cannot deploy (UDP ports); null after printing every error.
    /// </summary>
    /// <param name="environment">The environment (x-berth.environments) the files are loaded for: BERTH_ENVIRONMENT's value.</param>
    public static async Task<ComposeLoadResult?> LoadAsync(
        CliEnvironment cli, IReadOnlyList<string> files, IReadOnlyList<string> envFiles, bool readSecretContents, CancellationToken cancellationToken,
        string? environment = null)
    {
        var variables = cli.Variables;
        if (environment is not null)
        {
            variables = new Dictionary<string, string>(cli.Variables, StringComparer.Ordinal) { [Berth.Pipeline.EnvironmentOverlay.Variable] = environment };
        }

        var request = new ComposeLoadRequest
        {
            Files = files,
            EnvFiles = envFiles,
            Environment = variables,
            ReadSecretContents = readSecretContents,
            ForDeploy = readSecretContents,
        };
        var result = await cli.ComposeLoading.LoadAsync(request, cancellationToken).ConfigureAwait(false);

        // Warnings first, then errors: all of them, so one run shows everything to fix.
        ErrorPrinter.Print(cli.Error, result.Warnings);
        if (result.Succeeded)
        {
            return result;
        }

        var errors = result.Errors.ToList();
        ErrorPrinter.Print(cli.Error, errors);
        ConsoleText.WriteLine(
            cli.Error,
            errors.Count == 0 ? "error: the compose files could not be loaded." : $"{errors.Count} error(s) in the compose files.",
            Tint.Red);
        return null;
    }
}
