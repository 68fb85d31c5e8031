using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Cri.V1;
using Container = Korral.Api.Models.CoreV1.Container;

namespace Korral.Kubelet.Translation;

/// <summary>
/// cgroup settings from requests and limits, as upstream's kubelet computes them for the runtime: cpu shares from the
/// cpu request (the limit when no request is given; 2 minimum), a CFS quota from the cpu limit over a 100 ms period
/// (1 ms minimum; no limit, no quota), the memory limit in bytes.
/// </summary>
public static class LinuxResourceCalculator
{
    public const long MinShares = 2;
    public const long MaxShares = 262144;
    public const long SharesPerCpu = 1024;
    public const long QuotaPeriod = 100_000;
    public const long MinQuota = 1000;

    private static readonly string[] PodResources = ["cpu", "memory"];

    /// <summary>
    /// A container's resources: shares, quota, memory limit and its oom_score_adj. With
    /// <paramref name="limitSwapToMemory"/> (cgroup v1 with a swap controller, swap off) memory+swap is capped at the
    /// memory limit, as upstream's NoSwap configuration does. Hugepage limits are not set.
    /// </summary>
    public static LinuxContainerResources ForContainer(Pod pod, Container container, long nodeMemoryCapacity, bool limitSwapToMemory = false)
    {
        var requests = container.Resources?.Requests;
        var limits = container.Resources?.Limits;
        var resources = Calculate(
            requests is not null && requests.TryGetValue("cpu", out var cpuRequest) ? cpuRequest : null,
            Get(limits, "cpu"),
            Get(limits, "memory"));
        resources.OomScoreAdj = OomScoreAdjust.ForContainer(pod, container, nodeMemoryCapacity);
        if (limitSwapToMemory)
        {
            resources.MemorySwapLimitInBytes = resources.MemoryLimitInBytes;
        }

        return resources;
    }

    /// <summary>
    /// The pod-level resources sent with the sandbox (LinuxPodSandboxConfig.resources): the same computation over the
    /// pod's requests and limits (containers summed, init containers taken at their maximum), overhead excluded.
    /// </summary>
    public static LinuxContainerResources ForSandbox(Pod pod)
    {
        var requests = new Dictionary<string, Quantity>(StringComparer.Ordinal);
        var limits = new Dictionary<string, Quantity>(StringComparer.Ordinal);
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            Combine(requests, container.Resources?.Requests, (a, b) => a.Add(b));
            Combine(limits, container.Resources?.Limits, (a, b) => a.Add(b));
        }

        foreach (var container in pod.Spec?.InitContainers ?? [])
        {
            Combine(requests, container.Resources?.Requests, Max);
            Combine(limits, container.Resources?.Limits, Max);
        }

        return Calculate(requests.GetValueOrDefault("cpu"), Get(limits, "cpu"), Get(limits, "memory"));
    }

    /// <summary>The pod overhead as resources (LinuxPodSandboxConfig.overhead): requests equal to limits; empty without overhead.</summary>
    public static LinuxContainerResources Overhead(Pod pod)
    {
        if (pod.Spec?.Overhead is not { } overhead)
        {
            return new LinuxContainerResources();
        }

        var cpu = Get(overhead, "cpu");
        return Calculate(cpu, cpu, Get(overhead, "memory"));
    }

    /// <summary>Shares, quota and period, and the memory limit (left 0 when there is none).</summary>
    public static LinuxContainerResources Calculate(Quantity? cpuRequest, Quantity cpuLimit, Quantity memoryLimit)
    {
        var shares = cpuRequest is null ? CpuShares(cpuLimit.MilliValue()) : CpuShares(cpuRequest.MilliValue());
        return new LinuxContainerResources
        {
            CpuShares = shares,
            MemoryLimitInBytes = memoryLimit.Value(),
            CpuPeriod = QuotaPeriod,
            CpuQuota = CpuQuota(cpuLimit.MilliValue(), QuotaPeriod),
        };
    }

    /// <summary>cpu.shares for a cpu amount in milli-cpus: 1024 per cpu, within [2, 262144]; 0 gives the minimum.</summary>
    public static long CpuShares(long milliCpu)
    {
        if (milliCpu == 0)
        {
            return MinShares;
        }

        return Math.Clamp(milliCpu * SharesPerCpu / 1000, MinShares, MaxShares);
    }

    /// <summary>cfs_quota_us for a cpu limit in milli-cpus over <paramref name="period"/>; 0 (no quota) without a limit.</summary>
    public static long CpuQuota(long milliCpu, long period)
    {
        if (milliCpu == 0)
        {
            return 0;
        }

        return Math.Max(milliCpu * period / 1000, MinQuota);
    }

    private static Quantity Get(IDictionary<string, Quantity>? list, string name) =>
        list is not null && list.TryGetValue(name, out var quantity) ? quantity : Quantity.Zero;

    private static Quantity Max(Quantity a, Quantity b) => a.CompareTo(b) >= 0 ? a : b;

    private static void Combine(Dictionary<string, Quantity> totals, IDictionary<string, Quantity>? list, Func<Quantity, Quantity, Quantity> combine)
    {
        foreach (var name in PodResources)
        {
            if (list is not null && list.TryGetValue(name, out var quantity))
            {
                totals[name] = totals.TryGetValue(name, out var total) ? combine(total, quantity) : quantity;
            }
        }
    }
}
