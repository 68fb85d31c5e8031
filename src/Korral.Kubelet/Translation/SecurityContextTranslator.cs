using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Cri.V1;
using Container = Korral.Api.Models.CoreV1.Container;
using SecurityContext = Korral.Api.Models.CoreV1.SecurityContext;

namespace Korral.Kubelet.Translation;

/// <summary>
/// Pod and container security contexts as the CRI security contexts upstream's kubelet sends
/// (determineEffectiveSecurityContext, generatePodSandboxLinuxConfig).
/// </summary>
public static class SecurityContextTranslator
{
    /// <summary>
    /// The /proc and /sys paths masked in every container unless procMount is Unmasked (upstream keeps them in step
    /// with Docker's defaults; runtimes ignore them for privileged containers).
    /// </summary>
    public static IReadOnlyList<string> DefaultMaskedPaths { get; } =
    [
        "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ];

    /// <summary>The /proc paths mounted read-only in every container unless procMount is Unmasked.</summary>
    public static IReadOnlyList<string> DefaultReadonlyPaths { get; } =
        ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    /// <summary>
    /// The container's security context with the pod's runAsUser, runAsGroup, runAsNonRoot, seLinuxOptions and
    /// windowsOptions filled in where the container does not set them (a new object; neither input is changed).
    /// </summary>
    public static SecurityContext Effective(Pod pod, Container container)
    {
        var podSc = pod.Spec?.SecurityContext;
        var sc = container.SecurityContext;
        return new SecurityContext
        {
            AllowPrivilegeEscalation = sc?.AllowPrivilegeEscalation,
            Capabilities = sc?.Capabilities,
            Privileged = sc?.Privileged,
            ProcMount = sc?.ProcMount,
            ReadOnlyRootFilesystem = sc?.ReadOnlyRootFilesystem,
            RunAsGroup = sc?.RunAsGroup ?? podSc?.RunAsGroup,
            RunAsNonRoot = sc?.RunAsNonRoot ?? podSc?.RunAsNonRoot,
            RunAsUser = sc?.RunAsUser ?? podSc?.RunAsUser,
            SeLinuxOptions = sc?.SeLinuxOptions ?? podSc?.SeLinuxOptions,
            SeccompProfile = sc?.SeccompProfile ?? podSc?.SeccompProfile,
            WindowsOptions = sc?.WindowsOptions ?? podSc?.WindowsOptions,
        };
    }

    /// <summary>
    /// A container's CRI security context. Without a runAsUser the image's uid (or user name) is sent, as upstream does;
    /// seccomp comes from the container or the pod and is Unconfined otherwise (the kubelet's --seccomp-default is off);
    /// a Localhost profile is looked up under <paramref name="seccompProfileRoot"/>.
    /// </summary>
    public static TranslationResult<LinuxContainerSecurityContext> ForContainer(
        Pod pod, Container container, ImageUser imageUser, string seccompProfileRoot)
    {
        var effective = Effective(pod, container);
        var seccomp = Seccomp(effective.SeccompProfile, seccompProfileRoot);
        if (!seccomp.Succeeded)
        {
            return TranslationResult<LinuxContainerSecurityContext>.Fail(seccomp.Error!);
        }

        var result = new LinuxContainerSecurityContext
        {
            Privileged = effective.Privileged == true,
            ReadonlyRootfs = effective.ReadOnlyRootFilesystem == true,
            NamespaceOptions = PodNamespaces.ForPod(pod),
            NoNewPrivs = effective.AllowPrivilegeEscalation == false,
            Seccomp = seccomp.Value,
        };

        if (effective.Capabilities is { } capabilities)
        {
            // Names go as written ("NET_ADMIN"); the runtime adds the CAP_ prefix.
            result.Capabilities = new Capability();
            result.Capabilities.AddCapabilities.Add(capabilities.Add ?? []);
            result.Capabilities.DropCapabilities.Add(capabilities.Drop ?? []);
        }

        if (effective.SeLinuxOptions is { } seLinux)
        {
            result.SelinuxOptions = SeLinux(seLinux);
        }

        if (effective.RunAsUser is { } runAsUser)
        {
            result.RunAsUser = new Int64Value { Value = runAsUser };
        }
        else
        {
            if (imageUser.Uid is { } uid)
            {
                result.RunAsUser = new Int64Value { Value = uid };
            }

            result.RunAsUsername = imageUser.Username;
        }

        if (effective.RunAsGroup is { } runAsGroup)
        {
            result.RunAsGroup = new Int64Value { Value = runAsGroup };
        }

        result.SupplementalGroups.Add(SupplementalGroups(pod.Spec?.SecurityContext));
        var unmasked = effective.ProcMount == "Unmasked";
        result.MaskedPaths.Add(unmasked ? [] : DefaultMaskedPaths);
        result.ReadonlyPaths.Add(unmasked ? [] : DefaultReadonlyPaths);
        return TranslationResult<LinuxContainerSecurityContext>.Ok(result);
    }

    /// <summary>
    /// The sandbox's security context: privileged when any container is, seccomp RuntimeDefault (so pods can use
    /// least-privileged profiles, upstream issue 84623), the pod's user, group, groups, SELinux options and namespaces.
    /// </summary>
    public static LinuxSandboxSecurityContext ForSandbox(Pod pod)
    {
        var podSc = pod.Spec?.SecurityContext;
        var result = new LinuxSandboxSecurityContext
        {
            Privileged = AllContainers(pod).Any(c => c.SecurityContext?.Privileged == true),
            Seccomp = new SecurityProfile { ProfileType = SecurityProfile.Types.ProfileType.RuntimeDefault },
            NamespaceOptions = PodNamespaces.ForPod(pod),
        };

        if (podSc?.RunAsUser is { } runAsUser)
        {
            result.RunAsUser = new Int64Value { Value = runAsUser };
        }

        if (podSc?.RunAsGroup is { } runAsGroup)
        {
            result.RunAsGroup = new Int64Value { Value = runAsGroup };
        }

        result.SupplementalGroups.Add(SupplementalGroups(podSc));
        if (podSc?.SeLinuxOptions is { } seLinux)
        {
            result.SelinuxOptions = SeLinux(seLinux);
        }

        return result;
    }

    /// <summary>fsGroup first, then supplementalGroups, as upstream appends them.</summary>
    private static IEnumerable<long> SupplementalGroups(PodSecurityContext? podSc)
    {
        if (podSc?.FsGroup is { } fsGroup)
        {
            yield return fsGroup;
        }

        foreach (var group in podSc?.SupplementalGroups ?? [])
        {
            yield return group;
        }
    }

    private static TranslationResult<SecurityProfile> Seccomp(SeccompProfile? profile, string root)
    {
        switch (profile?.Type)
        {
            case "RuntimeDefault":
                return TranslationResult<SecurityProfile>.Ok(new SecurityProfile { ProfileType = SecurityProfile.Types.ProfileType.RuntimeDefault });
            case "Localhost":
                return string.IsNullOrEmpty(profile.LocalhostProfile)
                    ? TranslationResult<SecurityProfile>.Fail("localhostProfile must be set if seccompProfile type is Localhost.")
                    : TranslationResult<SecurityProfile>.Ok(new SecurityProfile
                    {
                        ProfileType = SecurityProfile.Types.ProfileType.Localhost,
                        LocalhostRef = Path.Combine(root, profile.LocalhostProfile),
                    });
            default:
                return TranslationResult<SecurityProfile>.Ok(new SecurityProfile { ProfileType = SecurityProfile.Types.ProfileType.Unconfined });
        }
    }

    private static SELinuxOption SeLinux(SELinuxOptions options) => new()
    {
        User = options.User ?? "",
        Role = options.Role ?? "",
        Type = options.Type ?? "",
        Level = options.Level ?? "",
    };

    private static IEnumerable<Container> AllContainers(Pod pod) =>
        (pod.Spec?.Containers ?? []).Concat(pod.Spec?.InitContainers ?? [])
            .Concat((pod.Spec?.EphemeralContainers ?? []).Select(e => new Container { SecurityContext = e.SecurityContext }));
}
