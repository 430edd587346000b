namespace Berth.Api;

/// <summary>A router replaced by `berth router restart`: the process that handed its listening sockets over, and the new one.</summary>
public sealed record RouterRestartInfo(string Id, int OldPid, int NewPid);
