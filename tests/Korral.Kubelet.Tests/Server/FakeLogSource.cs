using System.Collections.Concurrent;
using Korral.Kubelet.Logs;

namespace Korral.Kubelet.Tests.Server;

/// <summary>A log source with scripted answers per container; anything else is a pod the node does not run.</summary>
public sealed class FakeLogSource : IContainerLogSource
{
    private readonly ConcurrentDictionary<(string Namespace, string Pod, string Container, bool Previous), ContainerLogLookup> _answers = new();

    public ConcurrentQueue<ContainerLogRequest> Requests { get; } = new();

    public void Answer(string ns, string pod, string container, ContainerLogLookup lookup, bool previous = false) =>
        _answers[(ns, pod, container, previous)] = lookup;

    public Task<ContainerLogLookup> FindAsync(ContainerLogRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        return Task.FromResult(_answers.TryGetValue((request.Namespace, request.Pod, request.Container, request.Previous), out var answer)
            ? answer
            : ContainerLogLookup.PodNotFound(request.Pod));
    }
}
