using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Korral.Kubelet.Cri;

namespace Korral.Kubelet.Tests.Kubelet;

/// <summary>
/// An <see cref="IRuntimeService"/> that forwards every call to the real runtime and records it, so a test can see what
/// the kubelet did to the runtime (it adopted a container: no StopContainer, no CreateContainer) rather than only
/// what the runtime ended up with. A proxy, not a hand-written decorator: the interface has two dozen methods.
/// </summary>
public class RecordingRuntime : DispatchProxy
{
    private IRuntimeService? _inner;
    private ConcurrentQueue<CriCall>? _calls;

    /// <summary>The calls so far, oldest first.</summary>
    public IReadOnlyList<CriCall> Calls => [.. _calls ?? []];

    /// <summary>The calls that change something (sandboxes and containers created, started, stopped, removed), for failure messages.</summary>
    public string Changes() => string.Join('\n', Calls.Where(c => c.Method is "RunPodSandboxAsync" or "StopPodSandboxAsync" or "RemovePodSandboxAsync"
        or "CreateContainerAsync" or "StartContainerAsync" or "StopContainerAsync" or "RemoveContainerAsync" or "ExecSyncAsync"));

    public static IRuntimeService Wrap(IRuntimeService inner, out RecordingRuntime recorder)
    {
        var proxy = Create<IRuntimeService, RecordingRuntime>();
        recorder = (RecordingRuntime)(object)proxy;
        recorder._inner = inner;
        recorder._calls = new ConcurrentQueue<CriCall>();
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        _calls!.Enqueue(new CriCall(DateTimeOffset.Now, targetMethod.Name, args is { Length: > 0 } ? args[0] : null));
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
