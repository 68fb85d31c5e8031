using Korral.Kubelet.Cri.V1;

namespace Korral.Kubelet.Cri;

/// <summary>The CRI image calls the kubelet makes (containerd's runtime.v1.ImageService).</summary>
public interface IImageService
{
    Task<ListImagesResponse> ListImagesAsync(ListImagesRequest request, CancellationToken cancellationToken);

    Task<ImageStatusResponse> ImageStatusAsync(ImageStatusRequest request, CancellationToken cancellationToken);

    Task<PullImageResponse> PullImageAsync(PullImageRequest request, CancellationToken cancellationToken);

    Task<RemoveImageResponse> RemoveImageAsync(RemoveImageRequest request, CancellationToken cancellationToken);

    Task<ImageFsInfoResponse> ImageFsInfoAsync(ImageFsInfoRequest request, CancellationToken cancellationToken);
}
