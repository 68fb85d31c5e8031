using System.Reflection;
using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;

namespace Korral.Kubelet.Tests.Probes;

/// <summary>A runtime that only answers ExecSync (with the response or the error the test sets) and keeps the requests; every other call throws.</summary>
public class ExecRuntime : DispatchProxy
{
    private readonly List<ExecSyncRequest> _requests = [];

    public IReadOnlyList<ExecSyncRequest> Requests => _requests;

    public ExecSyncResponse Response { get; set; } = new();

    /// <summary>When set, ExecSync fails with it instead of answering.</summary>
    public Exception? Error { get; set; }

    public static IRuntimeService Create(out ExecRuntime runtime)
    {
        var proxy = Create<IRuntimeService, ExecRuntime>();
        runtime = (ExecRuntime)(object)proxy;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod?.Name != nameof(IRuntimeService.ExecSyncAsync))
        {
            throw new NotSupportedException(targetMethod?.Name);
        }

        _requests.Add((ExecSyncRequest)args![0]!);
        return Error is null ? Task.FromResult(Response) : Task.FromException<ExecSyncResponse>(Error);
    }
}
