using System.Globalization;
using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Translation;

/// <summary>Checks the kubelet makes on a container before creating it; each returns upstream's error text or null.</summary>
public static class ContainerSpecChecks
{
    /// <summary>
    /// runAsNonRoot (container or pod level): an explicit runAsUser must not be 0; without one, the image's user must be a
    /// numeric uid other than 0, since a user name cannot be checked. The text ends up in CreateContainerConfigError.
    /// </summary>
    public static string? VerifyRunAsNonRoot(Pod pod, Container container, ImageUser imageUser)
    {
        var effective = SecurityContextTranslator.Effective(pod, container);
        if (effective.RunAsNonRoot != true)
        {
            return null;
        }

        var where = $"(pod: {GoQuote.Quote(PodDnsConfig.PodDescription(pod))}, container: {container.Name})";
        if (effective.RunAsUser is { } runAsUser)
        {
            return runAsUser == 0 ? $"container's runAsUser breaks non-root policy {where}" : null;
        }

        if (imageUser.Uid is null)
        {
            return imageUser.Username.Length > 0
                ? $"container has runAsNonRoot and image has non-numeric user ({imageUser.Username}), cannot verify user is non-root {where}"
                : null;
        }

        var uid = imageUser.Uid.Value;
        if (uid == 0)
        {
            return $"container has runAsNonRoot and image will run as root {where}";
        }

        if (uid is < 0 or > int.MaxValue)
        {
            var max = int.MaxValue.ToString(CultureInfo.InvariantCulture);
            return $"container has runAsNonRoot and image has an invalid user id ({uid.ToString(CultureInfo.InvariantCulture)}). (Must be 1-({max})): must be between 0 and {max}, inclusive {where}";
        }

        return null;
    }
}
