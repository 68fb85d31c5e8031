using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;

namespace Korral.Kubelet.Tests.Logs;

/// <summary>
/// A runtime that only reopens container logs, as containerd does: a new empty file at the container's log path (or a
/// refusal, when told to fail). Every other CRI call is outside what the rotator may use.
/// </summary>
public sealed class FakeLogRuntime : IRuntimeService
{
    private readonly Dictionary<string, string> _logPaths = [];

    public List<string> Reopened { get; } = [];

    /// <summary>When set, ReopenContainerLog answers this gRPC status instead of reopening.</summary>
    public int? FailWith { get; set; }

    public void AddContainer(string id, string logPath) => _logPaths[id] = logPath;

    public Task<ReopenContainerLogResponse> ReopenContainerLogAsync(ReopenContainerLogRequest request, CancellationToken cancellationToken)
    {
        Reopened.Add(request.ContainerId);
        if (FailWith is { } code)
        {
            throw new CriException("/runtime.v1.RuntimeService/ReopenContainerLog", code, "container is not running");
        }

        // containerd opens the path with O_CREATE|O_APPEND: an existing file is kept, a missing one created.
        using (new FileStream(_logPaths[request.ContainerId], FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
        }

        return Task.FromResult(new ReopenContainerLogResponse());
    }

    public Task<VersionResponse> VersionAsync(VersionRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<StatusResponse> StatusAsync(StatusRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<RunPodSandboxResponse> RunPodSandboxAsync(RunPodSandboxRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<StopPodSandboxResponse> StopPodSandboxAsync(StopPodSandboxRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<RemovePodSandboxResponse> RemovePodSandboxAsync(RemovePodSandboxRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<PodSandboxStatusResponse> PodSandboxStatusAsync(PodSandboxStatusRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ListPodSandboxResponse> ListPodSandboxAsync(ListPodSandboxRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<CreateContainerResponse> CreateContainerAsync(CreateContainerRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<StartContainerResponse> StartContainerAsync(StartContainerRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<StopContainerResponse> StopContainerAsync(StopContainerRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<RemoveContainerResponse> RemoveContainerAsync(RemoveContainerRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ListContainersResponse> ListContainersAsync(ListContainersRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ContainerStatusResponse> ContainerStatusAsync(ContainerStatusRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<UpdateContainerResourcesResponse> UpdateContainerResourcesAsync(UpdateContainerResourcesRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<ExecSyncResponse> ExecSyncAsync(ExecSyncRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ExecResponse> ExecAsync(ExecRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<AttachResponse> AttachAsync(AttachRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<PortForwardResponse> PortForwardAsync(PortForwardRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ListContainerStatsResponse> ListContainerStatsAsync(ListContainerStatsRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<UpdateRuntimeConfigResponse> UpdateRuntimeConfigAsync(UpdateRuntimeConfigRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
}
