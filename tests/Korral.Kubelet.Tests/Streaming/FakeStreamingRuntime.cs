using System.Collections.Concurrent;
using System.Reflection;
using Google.Protobuf;
using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;

namespace Korral.Kubelet.Tests.Streaming;

/// <summary>
/// A runtime for the streaming endpoints alone: every pod has a running container of any name and a ready sandbox,
/// Exec/Attach/PortForward record their request and answer <see cref="Url"/> (or throw <see cref="Error"/>). Any other
/// call fails. A proxy, because the interface has two dozen methods and the endpoints use five.
/// </summary>
public class FakeStreamingRuntime : DispatchProxy
{
    private readonly ConcurrentQueue<IMessage> _requests = new();

    /// <summary>The streaming URL the CRI calls answer.</summary>
    public string Url { get; set; } = "http://127.0.0.1:1/exec/token";

    /// <summary>When set, the CRI streaming calls fail with it.</summary>
    public CriException? Error { get; set; }

    /// <summary>The Exec, Attach and PortForward requests so far.</summary>
    public IReadOnlyList<IMessage> Requests => [.. _requests];

    public static IRuntimeService Create(out FakeStreamingRuntime fake)
    {
        var proxy = Create<IRuntimeService, FakeStreamingRuntime>();
        fake = (FakeStreamingRuntime)(object)proxy;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var request = args?[0];
        switch (request)
        {
            case ListContainersRequest list:
                var container = new Container { Id = "container-1", State = ContainerState.ContainerRunning, CreatedAt = 1 };
                container.Labels.Add(list.Filter.LabelSelector);
                return Task.FromResult(new ListContainersResponse { Containers = { container } });
            case ListPodSandboxRequest:
                return Task.FromResult(new ListPodSandboxResponse { Items = { new PodSandbox { Id = "sandbox-1", State = PodSandboxState.SandboxReady } } });
            case ExecRequest exec:
                return Answer(exec, "Exec", () => new ExecResponse { Url = Url });
            case AttachRequest attach:
                return Answer(attach, "Attach", () => new AttachResponse { Url = Url });
            case PortForwardRequest forward:
                return Answer(forward, "PortForward", () => new PortForwardResponse { Url = Url });
            default:
                throw new NotSupportedException($"{targetMethod.Name} is not faked");
        }
    }

    private Task<T> Answer<T>(IMessage request, string method, Func<T> response)
    {
        _requests.Enqueue(request);
        return Error is { } error
            ? Task.FromException<T>(new CriException($"/runtime.v1.RuntimeService/{method}", error.StatusCode, error.StatusMessage))
            : Task.FromResult(response());
    }
}
