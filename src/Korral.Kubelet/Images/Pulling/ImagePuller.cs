using System.Diagnostics;
using Korral.Api.Models.CoreV1;
using Korral.Api.Protobuf;
using Korral.Client.Events;
using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;
using Korral.Kubelet.Pods;
using Container = Korral.Api.Models.CoreV1.Container;

namespace Korral.Kubelet.Images.Pulling;

/// <summary>
/// Makes a container's image present according to its imagePullPolicy, with upstream's events (Pulling, Pulled, Failed,
/// BackOff) and per pod+image back-off after a failed pull (10 s doubling to 5 min): while backing off the container waits
/// with ImagePullBackOff instead of pulling again.
/// </summary>
public sealed class ImagePuller(IImageService images, IEventRecorder events, KeyedBackoff backoff)
{
    public async Task<ImagePullResult> EnsureAsync(Pod pod, Container container, ObjectReference podRef, CancellationToken cancellationToken)
    {
        var image = container.Image ?? "";
        if (string.IsNullOrWhiteSpace(image))
        {
            return ImagePullResult.Failed("InvalidImageName", "Failed to apply default image tag \"\": couldn't parse image name \"\": invalid reference format");
        }

        var policy = container.ImagePullPolicy ?? (HasLatestTag(image) ? "Always" : "IfNotPresent");
        var spec = new ImageSpec { Image = image };
        if (policy != "Always")
        {
            var present = await images.ImageStatusAsync(new ImageStatusRequest { Image = spec }, cancellationToken);
            if (present.Image is { } found)
            {
                events.Event(podRef, EventTypes.Normal, "Pulled", $"Container image \"{image}\" already present on machine");
                return ImagePullResult.Present(found.Id);
            }

            if (policy == "Never")
            {
                var message = $"Container image \"{image}\" is not present with pull policy of Never";
                events.Event(podRef, EventTypes.Warning, "ErrImageNeverPull", message);
                return ImagePullResult.Failed("ErrImageNeverPull", message);
            }
        }

        var key = $"{pod.Metadata?.Uid}/{image}";
        // The back-off's own clock is the last failure: Next() is called exactly when a pull fails.
        if (backoff.IsInBackoff(key, out _))
        {
            var message = $"Back-off pulling image \"{image}\"";
            events.Event(podRef, EventTypes.Normal, "BackOff", message);
            return ImagePullResult.Failed("ImagePullBackOff", message);
        }

        events.Event(podRef, EventTypes.Normal, "Pulling", $"Pulling image \"{image}\"");
        var clock = Stopwatch.StartNew();
        try
        {
            var pulled = await images.PullImageAsync(new PullImageRequest { Image = spec }, cancellationToken);
            var took = Go(clock.Elapsed);
            var size = (await images.ImageStatusAsync(new ImageStatusRequest { Image = spec }, cancellationToken)).Image?.Size ?? 0;
            events.Event(podRef, EventTypes.Normal, "Pulled", $"Successfully pulled image \"{image}\" in {took} ({took} including waiting). Image size: {size} bytes.");
            backoff.Reset(key);
            return ImagePullResult.Present(pulled.ImageRef);
        }
        catch (CriException e) when (!cancellationToken.IsCancellationRequested)
        {
            backoff.Next(key);

            var message = $"Failed to pull image \"{image}\": {e.RpcError}";
            events.Event(podRef, EventTypes.Warning, "Failed", message);
            events.Event(podRef, EventTypes.Warning, "Failed", "Error: ErrImagePull");
            return ImagePullResult.Failed("ErrImagePull", message);
        }
    }

    /// <summary>Forgets a deleted pod's pull failures.</summary>
    public void Forget(string podUid) => backoff.ResetPrefix(podUid + "/");

    /// <summary>An image without a tag or digest, or tagged :latest, is pulled Always by default (upstream's defaulting).</summary>
    private static bool HasLatestTag(string image)
    {
        if (image.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon <= slash || image[(colon + 1)..] == "latest";
    }

    private static string Go(TimeSpan elapsed) =>
        ProtobufDecoder.FormatGoDuration(TimeSpan.FromMilliseconds(Math.Floor(elapsed.TotalMilliseconds)).Ticks * 100);
}
