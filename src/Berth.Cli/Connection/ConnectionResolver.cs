namespace Berth.Cli.Connection;

/// <summary>
/// Decides where a command connects and with which credential. Precedence, field by field: flags (--host,
/// --token-file, --tls-ca, --context) &gt; environment (BERTH_HOST, BERTH_TOKEN, BERTH_TLS_CA, BERTH_CONTEXT) &gt; the
/// current context &gt; the local default (http://127.0.0.1:7070 with the local server's admin token). A context's
/// token and CA are used only with that context's host: a token is never sent to a server it was not meant for.
/// </summary>
public static class ConnectionResolver
{
    /// <summary>Used when neither a flag, the environment nor a context names a server.</summary>
    public const string DefaultHost = "http://127.0.0.1:7070";

    public static ServerConnection Resolve(ConnectionFlags flags, IReadOnlyDictionary<string, string> variables, CliConfigStore config, Action<string> warn)
    {
        var context = FindContext(flags, variables, config, warn);
        var hostFromFlagOrVariable = flags.Host ?? Variable(variables, "BERTH_HOST");
        var useContext = context is not null && hostFromFlagOrVariable is null;

        var host = hostFromFlagOrVariable is { } given
            ? ParseHost(given, flags.Host is not null ? "--host" : "BERTH_HOST")
            : useContext ? ParseHost(context!.Host, $"context '{context.Name}'") : new Uri(DefaultHost + "/");

        var (token, source) = ResolveToken(flags, variables, useContext ? context : null, warn);
        var tlsCa = flags.TlsCa ?? Variable(variables, "BERTH_TLS_CA") ?? (useContext ? context!.TlsCa : null);
        if (tlsCa is not null && !File.Exists(tlsCa))
        {
            throw new CliInputException($"TLS CA file {tlsCa} does not exist ({(flags.TlsCa is not null ? "--tls-ca" : variables.ContainsKey("BERTH_TLS_CA") ? "BERTH_TLS_CA" : $"context '{context!.Name}'")})");
        }

        return new ServerConnection
        {
            Host = host,
            Token = token,
            TokenSource = source,
            TlsCaFile = tlsCa,
            Context = useContext ? context!.Name : null,
        };
    }

    /// <summary>Accepts a full URL or a bare host:port (http assumed); null when it is not an http(s) address.</summary>
    public static Uri? TryParseHost(string text)
    {
        var candidate = text.Contains("://", StringComparison.Ordinal) ? text : "http://" + text;
        if (Uri.TryCreate(candidate, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && !string.IsNullOrEmpty(uri.Host))
        {
            // A trailing slash makes relative API paths resolve under any path prefix.
            return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri + "/");
        }

        return null;
    }

    private static Uri ParseHost(string text, string origin) =>
        TryParseHost(text) ?? throw new CliInputException($"{origin}: '{text}' is not an http(s) address, e.g. {DefaultHost}.");

    private static CliContext? FindContext(ConnectionFlags flags, IReadOnlyDictionary<string, string> variables, CliConfigStore store, Action<string> warn)
    {
        var named = flags.Context ?? Variable(variables, "BERTH_CONTEXT");
        var config = store.Load(out var warning);
        var name = named ?? config.CurrentContext;
        if (name is null)
        {
            return null;
        }

        if (warning is not null)
        {
            warn(warning);
        }

        return config.Find(name) ?? throw new CliInputException(
            named is not null
                ? $"context '{name}' does not exist ({(flags.Context is not null ? "--context" : "BERTH_CONTEXT")}); `berth context ls` lists them"
                : $"the current context '{name}' does not exist in {store.FilePath}; `berth context use NAME` picks another");
    }

    private static (string? Token, string Source) ResolveToken(ConnectionFlags flags, IReadOnlyDictionary<string, string> variables, CliContext? context, Action<string> warn)
    {
        if (flags.TokenFile is { } file)
        {
            return (ReadTokenFile(file, "--token-file", warn), $"--token-file {file}");
        }

        if (Variable(variables, "BERTH_TOKEN") is { } fromVariable)
        {
            return (fromVariable.Trim(), "BERTH_TOKEN");
        }

        if (context?.TokenFile is { } contextFile)
        {
            return (ReadTokenFile(contextFile, $"context '{context.Name}'", warn), $"context '{context.Name}' (token file {contextFile})");
        }

        if (context?.Token is { } stored)
        {
            return (stored, $"context '{context.Name}' (token kept in the CLI config)");
        }

        return (null, "no token");
    }

    private static string ReadTokenFile(string path, string origin, Action<string> warn)
    {
        if (!File.Exists(path))
        {
            throw new CliInputException($"{origin}: token file {path} does not exist");
        }

        if (FilePermissions.OthersCanRead(path) is { } mode)
        {
            warn($"token file {path} can be read by other users (mode {mode}): chmod 600 {path}");
        }

        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliInputException($"{origin}: cannot read token file {path}: permission denied");
        }
    }

    private static string? Variable(IReadOnlyDictionary<string, string> variables, string name) =>
        variables.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
}
