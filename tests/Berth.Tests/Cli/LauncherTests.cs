using System.Diagnostics;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Cli;

/// <summary>`./berth` from a clone runs what the benchmarks measure: the Release build, client and server.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LauncherTests
{
    [Fact]
    public async Task Launcher_FreshClone_BuildsReleaseAndRunsTheReleaseClient()
    {
        using var clone = new TempDirectory("berth-launcher");
        File.Copy(Path.Combine(RepoPaths.Root, "berth"), Path.Combine(clone.Path, "berth"));
        Directory.CreateDirectory(Path.Combine(clone.Path, "src"));
        var calls = Path.Combine(clone.Path, "dotnet-calls.txt");
        // A stand-in dotnet that records how it is called, so the test builds nothing.
        var fakeDotnet = clone.File(Path.Combine("fake-bin", "dotnet"), $"#!/usr/bin/env bash\necho \"$*\" >> '{calls}'\n");
        File.SetUnixFileMode(fakeDotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(Path.Combine(clone.Path, "berth"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var run = await RunAsync(clone.Path, Path.GetDirectoryName(fakeDotnet)!, "service", "ls");

        Assert.True(run.ExitCode == 0, run.Error);
        var lines = await File.ReadAllLinesAsync(calls);
        Assert.Equal(2, lines.Length);
        // What it runs only (the server's project builds the client too), not the tests: the quick start's build.
        Assert.StartsWith("build src/Berth.Server/Berth.Server.csproj -c Release ", lines[0], StringComparison.Ordinal);
        Assert.Equal($"{Path.Combine(clone.Path, "artifacts", "bin", "Berth.Cli", "release", "Berth.Cli.dll")} service ls", lines[1]);
    }

    [Fact]
    public void ReleaseBuild_WhenPresent_IsOptimized()
    {
        foreach (var project in (string[])["Berth.Cli", "Berth.Server", "Berth"])
        {
            var dll = Path.Combine(RepoPaths.Root, "artifacts", "bin", project, "release", project + ".dll");
            if (!File.Exists(dll))
            {
                continue;
            }

            Assert.False(DisablesOptimizations(dll), $"{dll} was built without optimizations");
        }
    }

    [Fact]
    public void ReleaseBuild_ClientAndServerOutputs_AreCompiledAheadOfTime()
    {
        if (RepoPaths.Configuration != "release")
        {
            return; // a Debug test run built no Release output to look at
        }

        string[] server = ["Berth.Server", "Berth", "Berth.Cli", "Yarp.ReverseProxy", "YamlDotNet", "Microsoft.Data.Sqlite"];
        string[] client = ["Berth.Cli", "Berth", "Spectre.Console.Cli", "Spectre.Console"];
        var outputs = server.Select(name => ("Berth.Server", name)).Concat(client.Select(name => ("Berth.Cli", name)));
        foreach (var (project, assembly) in outputs)
        {
            var dll = Path.Combine(RepoPaths.Root, "artifacts", "bin", project, "release", assembly + ".dll");
            Assert.True(File.Exists(dll), $"{dll}: no Release build output");
            Assert.True(IsReadyToRun(dll), $"{dll} holds IL only: the Release build compiles it ahead of time (Directory.Build.targets)");
        }
    }

    /// <summary>True when the assembly carries ReadyToRun code (crossgen2's native header) beside its IL.</summary>
    private static bool IsReadyToRun(string dll)
    {
        using var stream = File.OpenRead(dll);
        using var pe = new PEReader(stream);
        return pe.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 } && pe.HasMetadata;
    }

    /// <summary>True when the assembly asks the JIT not to optimize (a Debug build).</summary>
    private static bool DisablesOptimizations(string dll)
    {
        using var stream = File.OpenRead(dll);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference)
            {
                continue;
            }

            var constructor = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
            var type = reader.GetTypeReference((TypeReferenceHandle)constructor.Parent);
            if (reader.GetString(type.Name) != nameof(DebuggableAttribute))
            {
                continue;
            }

            // DebuggableAttribute(DebuggingModes): the blob is prolog (2 bytes) then the int32 modes.
            var blob = reader.GetBlobReader(attribute.Value);
            blob.ReadUInt16();
            var modes = (DebuggableAttribute.DebuggingModes)blob.ReadInt32();
            return modes.HasFlag(DebuggableAttribute.DebuggingModes.DisableOptimizations);
        }

        return false;
    }

    private static async Task<(int ExitCode, string Error)> RunAsync(string clone, string fakeBin, params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(clone, "berth")) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.Environment["PATH"] = fakeBin + ":" + Environment.GetEnvironmentVariable("PATH");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await error);
    }
}
