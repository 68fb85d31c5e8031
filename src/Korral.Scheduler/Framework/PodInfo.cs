using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;

namespace Korral.Scheduler.Framework;

/// <summary>
/// A pod as the scheduler reads it, computed once when the pod enters the cache or the queue: requests (init containers
/// and overhead included, as upstream's PodRequests), the non-zero requests used for scoring, host ports,
/// tolerations and compiled affinity terms. Immutable and shared between snapshots; the pod object itself must not be
/// changed.
/// </summary>
public sealed class PodInfo
{
    /// <summary>CPU a container without a CPU request counts for when scoring (upstream DefaultMilliCPURequest).</summary>
    public const long DefaultMilliCpuRequest = 100;

    /// <summary>Memory a container without a memory request counts for when scoring (upstream DefaultMemoryRequest, 200 MiB).</summary>
    public const long DefaultMemoryRequest = 200L * 1024 * 1024;

    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    private PodInfo(Pod pod)
    {
        Pod = pod;
        var meta = pod.Metadata ?? new ObjectMeta();
        Namespace = meta.Namespace ?? "";
        Name = meta.Name ?? "";
        Key = $"{Namespace}/{Name}";
        Uid = meta.Uid ?? "";
        Labels = meta.Labels is null ? NoLabels : new Dictionary<string, string>(meta.Labels, StringComparer.Ordinal);
        NodeName = pod.Spec?.NodeName ?? "";
        Priority = pod.Spec?.Priority ?? 0;
        Tolerations = pod.Spec?.Tolerations is { } t ? [.. t] : [];
        Terminating = meta.DeletionTimestamp is not null;
    }

    /// <summary>A copy sharing <paramref name="source"/>'s identity (labels, key, tolerations are immutable and shared).</summary>
    private PodInfo(PodInfo source)
    {
        Pod = source.Pod;
        Namespace = source.Namespace;
        Name = source.Name;
        Key = source.Key;
        Uid = source.Uid;
        Labels = source.Labels;
        NodeName = source.NodeName;
        Priority = source.Priority;
        Tolerations = source.Tolerations;
        Terminating = source.Terminating;
    }

    public Pod Pod { get; }

    /// <summary><c>namespace/name</c>.</summary>
    public string Key { get; }

    public string Namespace { get; }

    public string Name { get; }

    public string Uid { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary><c>spec.nodeName</c>, or for an assumed pod the node it was assumed on; empty when unscheduled.</summary>
    public string NodeName { get; private init; }

    public int Priority { get; }

    public IReadOnlyList<Toleration> Tolerations { get; }

    /// <summary>
    /// The pod has a deletion timestamp (spreading does not count it). Kept here because plugins that count pods across
    /// the cluster would otherwise reach into every pod's metadata.
    /// </summary>
    public bool Terminating { get; }

    public Resource Requests { get; private init; } = new();

    /// <summary>CPU requests with containers that ask for none counted as <see cref="DefaultMilliCpuRequest"/>.</summary>
    public long NonZeroMilliCpu { get; private init; }

    /// <summary>Memory requests with containers that ask for none counted as <see cref="DefaultMemoryRequest"/>.</summary>
    public long NonZeroMemory { get; private init; }

    public IReadOnlyList<HostPort> HostPorts { get; private init; } = [];

    public IReadOnlyList<AffinityTerm> RequiredAffinityTerms { get; private init; } = [];

    public IReadOnlyList<AffinityTerm> RequiredAntiAffinityTerms { get; private init; } = [];

    public IReadOnlyList<AffinityTerm> PreferredAffinityTerms { get; private init; } = [];

    public IReadOnlyList<AffinityTerm> PreferredAntiAffinityTerms { get; private init; } = [];

    /// <summary>Why a term could not be compiled (an invalid selector); plugins that need the terms report it as an error.</summary>
    public string? ParseError { get; private init; }

    public bool HasAffinity => RequiredAffinityTerms.Count + RequiredAntiAffinityTerms.Count + PreferredAffinityTerms.Count + PreferredAntiAffinityTerms.Count > 0;

    public bool HasRequiredAntiAffinity => RequiredAntiAffinityTerms.Count > 0;

    public static PodInfo From(Pod pod)
    {
        var info = new PodInfo(pod);
        var (requests, nonZeroCpu, nonZeroMemory) = ComputeRequests(pod.Spec);
        var terms = CompileTerms(pod, info, out var error);
        return new PodInfo(info)
        {
            Requests = requests,
            NonZeroMilliCpu = nonZeroCpu,
            NonZeroMemory = nonZeroMemory,
            HostPorts = HostPortsOf(pod.Spec),
            RequiredAffinityTerms = terms[0],
            RequiredAntiAffinityTerms = terms[1],
            PreferredAffinityTerms = terms[2],
            PreferredAntiAffinityTerms = terms[3],
            ParseError = error,
        };
    }

    /// <summary>The same pod placed on <paramref name="nodeName"/> (the cache's assumed copy).</summary>
    public PodInfo WithNodeName(string nodeName) => new(this)
    {
        NodeName = nodeName,
        Requests = Requests,
        NonZeroMilliCpu = NonZeroMilliCpu,
        NonZeroMemory = NonZeroMemory,
        HostPorts = HostPorts,
        RequiredAffinityTerms = RequiredAffinityTerms,
        RequiredAntiAffinityTerms = RequiredAntiAffinityTerms,
        PreferredAffinityTerms = PreferredAffinityTerms,
        PreferredAntiAffinityTerms = PreferredAntiAffinityTerms,
        ParseError = ParseError,
    };

    public override string ToString() => Key;

    /// <summary>
    /// Upstream's PodRequests: containers add up; the pod needs the larger of that sum and the biggest init container;
    /// overhead is added on top. (The served API has no restartable init containers.)
    /// </summary>
    internal static (Resource Requests, long NonZeroCpu, long NonZeroMemory) ComputeRequests(PodSpec? spec)
    {
        var requests = new Resource();
        var nonZero = new Resource();
        foreach (var c in spec?.Containers ?? [])
        {
            requests.Add(c.Resources?.Requests);
            AddNonZero(nonZero, c.Resources?.Requests);
        }

        // Init containers run one at a time before the others: the pod needs the biggest of them or the sum of the rest.
        var initMax = new Resource();
        var initMaxNonZero = new Resource();
        foreach (var c in spec?.InitContainers ?? [])
        {
            initMax.SetMax(Resource.From(c.Resources?.Requests));
            var stepNonZero = new Resource();
            AddNonZero(stepNonZero, c.Resources?.Requests);
            initMaxNonZero.SetMax(stepNonZero);
        }

        requests.SetMax(initMax);
        nonZero.SetMax(initMaxNonZero);
        requests.Add(spec?.Overhead);
        var overhead = Resource.From(spec?.Overhead);
        nonZero.Add(overhead);
        return (requests, nonZero.MilliCpu, nonZero.Memory);
    }

    private static void AddNonZero(Resource into, IDictionary<string, Api.Models.Quantity>? requests)
    {
        into.MilliCpu += requests is not null && requests.TryGetValue("cpu", out var cpu) ? cpu.MilliValue() : DefaultMilliCpuRequest;
        into.Memory += requests is not null && requests.TryGetValue("memory", out var memory) ? memory.Value() : DefaultMemoryRequest;
    }

    private static List<HostPort> HostPortsOf(PodSpec? spec)
    {
        var ports = new List<HostPort>();
        foreach (var c in spec?.Containers ?? [])
        {
            foreach (var p in c.Ports ?? [])
            {
                if (p.HostPort is > 0)
                {
                    var ip = string.IsNullOrEmpty(p.HostIP) ? HostPort.AnyAddress : p.HostIP;
                    ports.Add(new HostPort(string.IsNullOrEmpty(p.Protocol) ? "TCP" : p.Protocol, ip, p.HostPort.Value));
                }
            }
        }

        return ports;
    }

    private static List<AffinityTerm>[] CompileTerms(Pod pod, PodInfo owner, out string? error)
    {
        error = null;
        var result = new[] { new List<AffinityTerm>(), new List<AffinityTerm>(), new List<AffinityTerm>(), new List<AffinityTerm>() };
        var affinity = pod.Spec?.Affinity;
        if (affinity is null)
        {
            return result;
        }

        var sources = new (IEnumerable<(PodAffinityTerm? Term, int Weight)> Terms, List<AffinityTerm> Into)[]
        {
            ((affinity.PodAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? []).Select(t => ((PodAffinityTerm?)t, 0)), result[0]),
            ((affinity.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? []).Select(t => ((PodAffinityTerm?)t, 0)), result[1]),
            ((affinity.PodAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? []).Select(t => (t.PodAffinityTerm, t.Weight ?? 0)), result[2]),
            ((affinity.PodAntiAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? []).Select(t => (t.PodAffinityTerm, t.Weight ?? 0)), result[3]),
        };
        foreach (var (terms, into) in sources)
        {
            foreach (var (term, weight) in terms)
            {
                if (term is null)
                {
                    continue;
                }

                if (AffinityTerm.TryCompile(term, weight, owner, out var compiled, out var e))
                {
                    into.Add(compiled!);
                }
                else
                {
                    error ??= e;
                }
            }
        }

        return result;
    }
}
