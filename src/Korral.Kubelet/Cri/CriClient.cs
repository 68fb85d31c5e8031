using Korral.Kubelet.Cri.V1;

namespace Korral.Kubelet.Cri;

/// <summary>
/// The CRI client: every <see cref="IRuntimeService"/> and <see cref="IImageService"/> call as one unary gRPC call to
/// the runtime's socket (containerd's CRI plugin). Thread-safe; concurrent calls share one HTTP/2 connection. Each call
/// has a deadline like the kubelet's --runtime-request-timeout (2 minutes; 10 for PullImage, which downloads layers).
/// </summary>
public sealed class CriClient : IRuntimeService, IImageService, IDisposable
{
    /// <summary>The deadline of a call (upstream kubelet: --runtime-request-timeout, 2 minutes).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The deadline of PullImage, which transfers whole images.</summary>
    public static readonly TimeSpan DefaultPullImageTimeout = TimeSpan.FromMinutes(10);

    private readonly GrpcChannel _channel;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _pullImageTimeout;

    public CriClient(string socketPath)
        : this(socketPath, DefaultTimeout, DefaultPullImageTimeout)
    {
    }

    public CriClient(string socketPath, TimeSpan timeout, TimeSpan pullImageTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(pullImageTimeout, TimeSpan.Zero);
        _channel = new GrpcChannel(socketPath);
        _timeout = timeout;
        _pullImageTimeout = pullImageTimeout;
    }

    /// <summary>The runtime's unix socket.</summary>
    public string SocketPath => _channel.SocketPath;

    public Task<VersionResponse> VersionAsync(VersionRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.Version, request, VersionResponse.Parser, _timeout, cancellationToken);

    public Task<StatusResponse> StatusAsync(StatusRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.Status, request, StatusResponse.Parser, _timeout, cancellationToken);

    public Task<RunPodSandboxResponse> RunPodSandboxAsync(RunPodSandboxRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.RunPodSandbox, request, RunPodSandboxResponse.Parser, _timeout, cancellationToken);

    public Task<StopPodSandboxResponse> StopPodSandboxAsync(StopPodSandboxRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.StopPodSandbox, request, StopPodSandboxResponse.Parser, _timeout, cancellationToken);

    public Task<RemovePodSandboxResponse> RemovePodSandboxAsync(RemovePodSandboxRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.RemovePodSandbox, request, RemovePodSandboxResponse.Parser, _timeout, cancellationToken);

    public Task<PodSandboxStatusResponse> PodSandboxStatusAsync(PodSandboxStatusRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.PodSandboxStatus, request, PodSandboxStatusResponse.Parser, _timeout, cancellationToken);

    public Task<ListPodSandboxResponse> ListPodSandboxAsync(ListPodSandboxRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.ListPodSandbox, request, ListPodSandboxResponse.Parser, _timeout, cancellationToken);

    public Task<CreateContainerResponse> CreateContainerAsync(CreateContainerRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.CreateContainer, request, CreateContainerResponse.Parser, _timeout, cancellationToken);

    public Task<StartContainerResponse> StartContainerAsync(StartContainerRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.StartContainer, request, StartContainerResponse.Parser, _timeout, cancellationToken);

    public Task<StopContainerResponse> StopContainerAsync(StopContainerRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.StopContainer, request, StopContainerResponse.Parser, WithWait(request.Timeout), cancellationToken);

    public Task<RemoveContainerResponse> RemoveContainerAsync(RemoveContainerRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.RemoveContainer, request, RemoveContainerResponse.Parser, _timeout, cancellationToken);

    public Task<ListContainersResponse> ListContainersAsync(ListContainersRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.ListContainers, request, ListContainersResponse.Parser, _timeout, cancellationToken);

    public Task<ContainerStatusResponse> ContainerStatusAsync(ContainerStatusRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.ContainerStatus, request, ContainerStatusResponse.Parser, _timeout, cancellationToken);

    public Task<UpdateContainerResourcesResponse> UpdateContainerResourcesAsync(UpdateContainerResourcesRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.UpdateContainerResources, request, UpdateContainerResourcesResponse.Parser, _timeout, cancellationToken);

    public Task<ReopenContainerLogResponse> ReopenContainerLogAsync(ReopenContainerLogRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.ReopenContainerLog, request, ReopenContainerLogResponse.Parser, _timeout, cancellationToken);

    public Task<ExecSyncResponse> ExecSyncAsync(ExecSyncRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.ExecSync, request, ExecSyncResponse.Parser, WithWait(request.Timeout), cancellationToken);

    public Task<ExecResponse> ExecAsync(ExecRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.Exec, request, ExecResponse.Parser, _timeout, cancellationToken);

    public Task<AttachResponse> AttachAsync(AttachRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.Attach, request, AttachResponse.Parser, _timeout, cancellationToken);

    public Task<PortForwardResponse> PortForwardAsync(PortForwardRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.PortForward, request, PortForwardResponse.Parser, _timeout, cancellationToken);

    public Task<ListContainerStatsResponse> ListContainerStatsAsync(ListContainerStatsRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.ListContainerStats, request, ListContainerStatsResponse.Parser, _timeout, cancellationToken);

    public Task<UpdateRuntimeConfigResponse> UpdateRuntimeConfigAsync(UpdateRuntimeConfigRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.UpdateRuntimeConfig, request, UpdateRuntimeConfigResponse.Parser, _timeout, cancellationToken);

    public Task<ContainerStatsResponse> ContainerStatsAsync(ContainerStatsRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.ContainerStats, request, ContainerStatsResponse.Parser, _timeout, cancellationToken);

    public Task<PodSandboxStatsResponse> PodSandboxStatsAsync(PodSandboxStatsRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.PodSandboxStats, request, PodSandboxStatsResponse.Parser, _timeout, cancellationToken);

    public Task<ListPodSandboxStatsResponse> ListPodSandboxStatsAsync(ListPodSandboxStatsRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.ListPodSandboxStats, request, ListPodSandboxStatsResponse.Parser, _timeout, cancellationToken);

    // Images.

    public Task<ListImagesResponse> ListImagesAsync(ListImagesRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.ListImages, request, ListImagesResponse.Parser, _timeout, cancellationToken);

    public Task<ImageStatusResponse> ImageStatusAsync(ImageStatusRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.ImageStatus, request, ImageStatusResponse.Parser, _timeout, cancellationToken);

    public Task<PullImageResponse> PullImageAsync(PullImageRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.PullImage, request, PullImageResponse.Parser, _pullImageTimeout, cancellationToken);

    public Task<RemoveImageResponse> RemoveImageAsync(RemoveImageRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.RemoveImage, request, RemoveImageResponse.Parser, _timeout, cancellationToken);

    public Task<ImageFsInfoResponse> ImageFsInfoAsync(ImageFsInfoRequest request, CancellationToken cancellationToken) =>
        _channel.UnaryAsync(CriMethods.ImageFsInfo, request, ImageFsInfoResponse.Parser, _timeout, cancellationToken);

    public void Dispose() => _channel.Dispose();

    // As upstream: a call that waits for the container (stop grace period, exec timeout) gets that time on top of the
    // normal deadline, so the runtime's own timeout fires first and reports what happened.
    private TimeSpan WithWait(long seconds) => seconds > 0 ? _timeout + TimeSpan.FromSeconds(seconds) : _timeout;
}
