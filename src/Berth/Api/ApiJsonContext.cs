using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Spec;

namespace Berth.Api;

/// <summary>
/// Source-generated JSON metadata of every API DTO, as the CLI and the server (de)serialize them: what lets the
/// ahead-of-time compiled CLI use JSON without reflection (through <c>CliJson</c>, with <see cref="ApiJson.Options"/>'
/// settings). A DTO the API gains goes here too: the CLI's tests fail otherwise. Generated metadata gives an init-only
/// property whose field is missing null, not its initializer (dotnet/runtime#84484): a DTO property with a default
/// turns null back into it in its init accessor, so an answer from an older server still reads.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AuditEntryInfo))]
[JsonSerializable(typeof(IReadOnlyList<AuditEntryInfo>))]
[JsonSerializable(typeof(ComposeSpec))]
[JsonSerializable(typeof(StackReleaseRequest))]
[JsonSerializable(typeof(EnvironmentDiffInfo))]
[JsonSerializable(typeof(Berth.Pipeline.WebhookPayload))]
[JsonSerializable(typeof(ApprovalRequest))]
[JsonSerializable(typeof(EnvironmentRollbackRequest))]
[JsonSerializable(typeof(StackReleaseInfo))]
[JsonSerializable(typeof(IReadOnlyList<StackReleaseInfo>))]
[JsonSerializable(typeof(IReadOnlyList<EnvironmentInfo>))]
[JsonSerializable(typeof(EnvironmentDeploymentInfo))]
[JsonSerializable(typeof(IReadOnlyList<EnvironmentDeploymentInfo>))]
[JsonSerializable(typeof(IReadOnlyList<TargetInfo>))]
[JsonSerializable(typeof(TargetInfo))]
[JsonSerializable(typeof(TargetAddRequest))]
[JsonSerializable(typeof(CreateTokenRequest))]
[JsonSerializable(typeof(CreatedToken))]
[JsonSerializable(typeof(DeployRequest))]
[JsonSerializable(typeof(DeployResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(EventInfo))]
[JsonSerializable(typeof(HealthInfo))]
[JsonSerializable(typeof(LogEntry))]
[JsonSerializable(typeof(NodeInfo))]
[JsonSerializable(typeof(IReadOnlyList<NodeInfo>))]
[JsonSerializable(typeof(PromoteRequest))]
[JsonSerializable(typeof(IReadOnlyList<ReleaseInfo>))]
[JsonSerializable(typeof(ReplicaInfo))]
[JsonSerializable(typeof(IReadOnlyList<ReplicaInfo>))]
[JsonSerializable(typeof(ReplicaKillInfo))]
[JsonSerializable(typeof(RollbackRequest))]
[JsonSerializable(typeof(RouterInfo))]
[JsonSerializable(typeof(IReadOnlyList<RouterInfo>))]
[JsonSerializable(typeof(RolloutInfo))]
[JsonSerializable(typeof(RolloutReport))]
[JsonSerializable(typeof(ScaleRequest))]
[JsonSerializable(typeof(ServerInfo))]
[JsonSerializable(typeof(ServiceInfo))]
[JsonSerializable(typeof(IReadOnlyList<ServiceInfo>))]
[JsonSerializable(typeof(StackInfo))]
[JsonSerializable(typeof(IReadOnlyList<StackInfo>))]
[JsonSerializable(typeof(StackRemovalInfo))]
[JsonSerializable(typeof(TokenInfo))]
[JsonSerializable(typeof(IReadOnlyList<TokenInfo>))]
[JsonSerializable(typeof(WhoAmI))]
[JsonSerializable(typeof(RouterAck))]
[JsonSerializable(typeof(RouterReport))]
[JsonSerializable(typeof(RouteUpdate))]
[JsonSerializable(typeof(RouterRestartInfo))]
[JsonSerializable(typeof(RegistryLoginRequest))]
[JsonSerializable(typeof(SecretSetRequest))]
[JsonSerializable(typeof(StackSecretInfo))]
[JsonSerializable(typeof(List<StackSecretInfo>))]
[JsonSerializable(typeof(IReadOnlyList<StackSecretInfo>))]
[JsonSerializable(typeof(ArtifactInfo))]
[JsonSerializable(typeof(RegistryLoginInfo))]
[JsonSerializable(typeof(List<RegistryLoginInfo>))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
