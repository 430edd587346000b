using System.Diagnostics;
using System.Net.Sockets;

namespace Berth.Tests.Infrastructure;

/// <summary>
/// A TCP front on 127.0.0.1 for the local engine's unix socket, made with socat: either mutual TLS (server certificate
/// and key, clients must present a certificate signed by the given CA), as dockerd --tlsverify would be, or plain TCP
/// (an engine without TLS). Stopped on dispose.
/// </summary>
internal sealed class EngineTlsFront : IAsyncDisposable
{
    private const string EngineSocket = "/var/run/docker.sock";
    private readonly Process _process;
    private readonly OutputLog _log;

    private EngineTlsFront(Process process, OutputLog log, int port)
    {
        _process = process;
        _log = log;
        Port = port;
    }

    public int Port { get; }

    /// <summary>DOCKER_HOST for this front.</summary>
    public string DockerHost => $"tcp://127.0.0.1:{Port}";

    /// <summary>Null when socat is installed and the engine's socket exists; else what is missing.</summary>
    public static string? Problem() =>
        !File.Exists("/usr/bin/socat") ? "socat is not installed (apt-get install socat; scripts/test.sh does)"
        : !File.Exists(EngineSocket) ? $"{EngineSocket} does not exist"
        : null;

    /// <summary>A mutual-TLS front: presents <paramref name="certificate"/>, accepts only clients signed by <paramref name="clientCa"/>.</summary>
    public static Task<EngineTlsFront> StartTlsAsync(string certificate, string key, string clientCa)
    {
        var port = LoopbackPort.Free();
        return StartAsync(port, $"OPENSSL-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork,cert={certificate},key={key},cafile={clientCa},verify=1");
    }

    /// <summary>A plain TCP front: the engine answering HTTP where TLS may be expected.</summary>
    public static Task<EngineTlsFront> StartPlainAsync()
    {
        var port = LoopbackPort.Free();
        return StartAsync(port, $"TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork");
    }

    private static async Task<EngineTlsFront> StartAsync(int port, string listen)
    {
        if (Problem() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        var psi = new ProcessStartInfo("/usr/bin/socat") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-d");
        psi.ArgumentList.Add("-d");
        psi.ArgumentList.Add(listen);
        psi.ArgumentList.Add("UNIX-CONNECT:" + EngineSocket);
        var process = Process.Start(psi)!;
        var front = new EngineTlsFront(process, OutputLog.Capture(process), port);

        // Listening once a TCP connect succeeds (a bare connect does not disturb a forking socat).
        for (var attempt = 0; attempt < 50 && !process.HasExited; attempt++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return front;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        await front.DisposeAsync();
        throw new InvalidOperationException($"socat did not listen on 127.0.0.1:{port}:\n{front.Log}");
    }

    public string Log => _log.ToString();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
