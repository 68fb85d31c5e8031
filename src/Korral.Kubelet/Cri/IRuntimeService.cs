using Korral.Kubelet.Cri.V1;

namespace Korral.Kubelet.Cri;

/// <summary>
/// The CRI runtime calls the kubelet makes (containerd's runtime.v1.RuntimeService). Errors surface as
/// <see cref="CriException"/> carrying the gRPC status. Implemented over the wire by <see cref="CriClient"/>; unit tests
/// of pure logic may fake it.
/// </summary>
public interface IRuntimeService
{
    Task<VersionResponse> VersionAsync(VersionRequest request, CancellationToken cancellationToken);

    Task<StatusResponse> StatusAsync(StatusRequest request, CancellationToken cancellationToken);

    Task<RunPodSandboxResponse> RunPodSandboxAsync(RunPodSandboxRequest request, CancellationToken cancellationToken);

    Task<StopPodSandboxResponse> StopPodSandboxAsync(StopPodSandboxRequest request, CancellationToken cancellationToken);

    Task<RemovePodSandboxResponse> RemovePodSandboxAsync(RemovePodSandboxRequest request, CancellationToken cancellationToken);

    Task<PodSandboxStatusResponse> PodSandboxStatusAsync(PodSandboxStatusRequest request, CancellationToken cancellationToken);

    Task<ListPodSandboxResponse> ListPodSandboxAsync(ListPodSandboxRequest request, CancellationToken cancellationToken);

    Task<CreateContainerResponse> CreateContainerAsync(CreateContainerRequest request, CancellationToken cancellationToken);

    Task<StartContainerResponse> StartContainerAsync(StartContainerRequest request, CancellationToken cancellationToken);

    Task<StopContainerResponse> StopContainerAsync(StopContainerRequest request, CancellationToken cancellationToken);

    Task<RemoveContainerResponse> RemoveContainerAsync(RemoveContainerRequest request, CancellationToken cancellationToken);

    Task<ListContainersResponse> ListContainersAsync(ListContainersRequest request, CancellationToken cancellationToken);

    Task<ContainerStatusResponse> ContainerStatusAsync(ContainerStatusRequest request, CancellationToken cancellationToken);

    Task<UpdateContainerResourcesResponse> UpdateContainerResourcesAsync(UpdateContainerResourcesRequest request, CancellationToken cancellationToken);

    Task<ReopenContainerLogResponse> ReopenContainerLogAsync(ReopenContainerLogRequest request, CancellationToken cancellationToken);

    Task<ExecSyncResponse> ExecSyncAsync(ExecSyncRequest request, CancellationToken cancellationToken);

    Task<ExecResponse> ExecAsync(ExecRequest request, CancellationToken cancellationToken);

    Task<AttachResponse> AttachAsync(AttachRequest request, CancellationToken cancellationToken);

    Task<PortForwardResponse> PortForwardAsync(PortForwardRequest request, CancellationToken cancellationToken);

    Task<ListContainerStatsResponse> ListContainerStatsAsync(ListContainerStatsRequest request, CancellationToken cancellationToken);

    Task<UpdateRuntimeConfigResponse> UpdateRuntimeConfigAsync(UpdateRuntimeConfigRequest request, CancellationToken cancellationToken);

    // The stats calls have default bodies so that fakes written before them keep compiling; a fake that does not
    // override them answers like a runtime without the call (Unimplemented).
    Task<ContainerStatsResponse> ContainerStatsAsync(ContainerStatsRequest request, CancellationToken cancellationToken) =>
        throw new CriException("/runtime.v1.RuntimeService/ContainerStats", CriException.Unimplemented, "method ContainerStats not implemented");

    Task<PodSandboxStatsResponse> PodSandboxStatsAsync(PodSandboxStatsRequest request, CancellationToken cancellationToken) =>
        throw new CriException("/runtime.v1.RuntimeService/PodSandboxStats", CriException.Unimplemented, "method PodSandboxStats not implemented");

    Task<ListPodSandboxStatsResponse> ListPodSandboxStatsAsync(ListPodSandboxStatsRequest request, CancellationToken cancellationToken) =>
        throw new CriException("/runtime.v1.RuntimeService/ListPodSandboxStats", CriException.Unimplemented, "method ListPodSandboxStats not implemented");
}
