using Berth.Api;

namespace Berth.Server.Dashboard;

/// <summary>The dashboard's board in one answer: every pipeline's environments, every stack's services with their rollout in progress.</summary>
public sealed record DashboardOverview(IReadOnlyList<PipelineOverview> Pipelines, IReadOnlyList<StackOverview> Stacks, DateTimeOffset At);

/// <summary>A stack that has releases: its environments in order (release, state, pending approval).</summary>
public sealed record PipelineOverview(string Stack, IReadOnlyList<EnvironmentInfo> Environments);

public sealed record StackOverview(string Name, IReadOnlyList<ServiceOverview> Services);

/// <summary>A service and, while one is in progress or paused, its rollout.</summary>
public sealed record ServiceOverview(ServiceInfo Service, RolloutInfo? Rollout);

/// <summary>What the service page's live stream sends every second: the service with its route (KPIs over the last few seconds) and its latest rollout.</summary>
public sealed record ServicePulse(ServiceInfo Service, RolloutInfo? Rollout, DateTimeOffset At);

/// <summary>Who is signed in, what the page may offer, and the CSRF token its changes carry.</summary>
public sealed record DashboardSessionInfo(string Name, string Role, DateTimeOffset? Expires, string Csrf, bool CanDeploy, bool CanApprove, bool CanAdminister);

public sealed record SignInRequest(string? Token);
