namespace Korral.Kubelet.Cri;

/// <summary>The CRI v1 methods, each with its request URI built once.</summary>
internal static class CriMethods
{
    private const string Runtime = "runtime.v1.RuntimeService";
    private const string Image = "runtime.v1.ImageService";

    public static readonly GrpcMethod Version = new(Runtime, nameof(Version));
    public static readonly GrpcMethod RunPodSandbox = new(Runtime, nameof(RunPodSandbox));
    public static readonly GrpcMethod StopPodSandbox = new(Runtime, nameof(StopPodSandbox));
    public static readonly GrpcMethod RemovePodSandbox = new(Runtime, nameof(RemovePodSandbox));
    public static readonly GrpcMethod PodSandboxStatus = new(Runtime, nameof(PodSandboxStatus));
    public static readonly GrpcMethod ListPodSandbox = new(Runtime, nameof(ListPodSandbox));
    public static readonly GrpcMethod CreateContainer = new(Runtime, nameof(CreateContainer));
    public static readonly GrpcMethod StartContainer = new(Runtime, nameof(StartContainer));
    public static readonly GrpcMethod StopContainer = new(Runtime, nameof(StopContainer));
    public static readonly GrpcMethod RemoveContainer = new(Runtime, nameof(RemoveContainer));
    public static readonly GrpcMethod ListContainers = new(Runtime, nameof(ListContainers));
    public static readonly GrpcMethod ContainerStatus = new(Runtime, nameof(ContainerStatus));
    public static readonly GrpcMethod UpdateContainerResources = new(Runtime, nameof(UpdateContainerResources));
    public static readonly GrpcMethod ReopenContainerLog = new(Runtime, nameof(ReopenContainerLog));
    public static readonly GrpcMethod ExecSync = new(Runtime, nameof(ExecSync));
    public static readonly GrpcMethod Exec = new(Runtime, nameof(Exec));
    public static readonly GrpcMethod Attach = new(Runtime, nameof(Attach));
    public static readonly GrpcMethod PortForward = new(Runtime, nameof(PortForward));
    public static readonly GrpcMethod ContainerStats = new(Runtime, nameof(ContainerStats));
    public static readonly GrpcMethod ListContainerStats = new(Runtime, nameof(ListContainerStats));
    public static readonly GrpcMethod PodSandboxStats = new(Runtime, nameof(PodSandboxStats));
    public static readonly GrpcMethod ListPodSandboxStats = new(Runtime, nameof(ListPodSandboxStats));
    public static readonly GrpcMethod UpdateRuntimeConfig = new(Runtime, nameof(UpdateRuntimeConfig));
    public static readonly GrpcMethod Status = new(Runtime, nameof(Status));

    public static readonly GrpcMethod ListImages = new(Image, nameof(ListImages));
    public static readonly GrpcMethod ImageStatus = new(Image, nameof(ImageStatus));
    public static readonly GrpcMethod PullImage = new(Image, nameof(PullImage));
    public static readonly GrpcMethod RemoveImage = new(Image, nameof(RemoveImage));
    public static readonly GrpcMethod ImageFsInfo = new(Image, nameof(ImageFsInfo));
}
