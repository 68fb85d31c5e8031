using System.Text.RegularExpressions;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;
using Korral.Kubelet.Server;
using Korral.Streaming.WebSockets;
using Microsoft.AspNetCore.Http;

namespace Korral.Kubelet.Streaming;

/// <summary>
/// /exec, /attach and /portForward (upstream's getExec, getAttach, getPortForward): the query is read, the pod looked up
/// among this node's pods, the running container (or the ready sandbox) asked of the runtime, and the CRI call's URL on
/// the runtime's streaming server proxied by <see cref="RuntimeStreamProxy"/>. Refusals keep upstream's order, words and
/// codes: 400 for the query, 404 "pod does not exist", 500 for what the kubelet's own lookups miss (kubectl shows
/// <c>error: unable to upgrade connection: container not found ("web")</c>), and the runtime's errors as
/// upstream's streaming.WriteError maps them (NotFound 404, ResourceExhausted 429, else 500).
/// </summary>
internal sealed partial class StreamingEndpoints(StreamingSource source, Action<string> log)
{
    private const string PodDoesNotExist = "pod does not exist";

    public async Task ExecAsync(KubeletRequest request)
    {
        var context = request.Context;
        var (options, error) = RemoteCommandOptions.FromQuery(context.Request.Query);
        if (options is null)
        {
            await KubeletText.WriteAsync(context, 400, error!);
            return;
        }

        if (FindPod(request) is not { } pod)
        {
            await KubeletText.WriteAsync(context, 404, PodDoesNotExist);
            return;
        }

        var name = request.Value("containerName");
        string url;
        try
        {
            if (await RuntimeTargets.RunningContainerAsync(source.Runtime, RequestedUid(request, pod), name, request.Aborted) is not { } container)
            {
                await KubeletText.WriteAsync(context, 500, $"container not found (\"{name}\")");
                return;
            }

            var exec = new ExecRequest { ContainerId = container.Id, Tty = options.Tty, Stdin = options.Stdin, Stdout = options.Stdout, Stderr = options.Stderr };
            exec.Cmd.Add(RemoteCommandOptions.Command(context.Request.Query));
            url = (await source.Runtime.ExecAsync(exec, request.Aborted)).Url;
        }
        catch (CriException e)
        {
            await WriteRuntimeErrorAsync(context, e);
            return;
        }

        await RuntimeStreamProxy.ProxyAsync(context, url, log, request.Aborted);
    }

    public async Task AttachAsync(KubeletRequest request)
    {
        var context = request.Context;
        var (options, error) = RemoteCommandOptions.FromQuery(context.Request.Query);
        if (options is null)
        {
            await KubeletText.WriteAsync(context, 400, error!);
            return;
        }

        if (FindPod(request) is not { } pod)
        {
            await KubeletText.WriteAsync(context, 404, PodDoesNotExist);
            return;
        }

        var name = request.Value("containerName");
        var fullName = $"{pod.Metadata!.Name}_{pod.Metadata.Namespace}";
        string url;
        try
        {
            if (await RuntimeTargets.RunningContainerAsync(source.Runtime, RequestedUid(request, pod), name, request.Aborted) is not { } container)
            {
                await KubeletText.WriteAsync(context, 500, $"container {name} not found in pod {fullName}");
                return;
            }

            if (request.Values.TryGetValue("uid", out var uid) && uid != pod.Metadata.Uid)
            {
                await KubeletText.WriteAsync(context, 500, $"pod {fullName} not found");
                return;
            }

            // Whether the process has a terminal was settled when it started: the spec decides, not the caller.
            if (TtyOf(pod.Spec, name) is not { } tty)
            {
                await KubeletText.WriteAsync(context, 500, $"container {name} not found in pod {fullName}");
                return;
            }

            var attach = new AttachRequest { ContainerId = container.Id, Stdin = options.Stdin, Stdout = options.Stdout, Stderr = options.Stderr, Tty = tty };
            url = (await source.Runtime.AttachAsync(attach, request.Aborted)).Url;
        }
        catch (CriException e)
        {
            await WriteRuntimeErrorAsync(context, e);
            return;
        }

        await RuntimeStreamProxy.ProxyAsync(context, url, log, request.Aborted);
    }

    public async Task PortForwardAsync(KubeletRequest request)
    {
        var context = request.Context;
        IReadOnlyList<int> ports = [];
        if (WebSocketHandshake.IsWebSocketRequest(context.Request))
        {
            var (parsed, error) = PortForwardPorts.FromQuery(context.Request.Query);
            if (parsed is null)
            {
                await KubeletText.WriteAsync(context, 400, error!);
                return;
            }

            ports = parsed;
        }

        if (FindPod(request) is not { } pod)
        {
            await KubeletText.WriteAsync(context, 404, PodDoesNotExist);
            return;
        }

        if (request.Values.TryGetValue("uid", out var uid) && uid != pod.Metadata!.Uid)
        {
            await KubeletText.WriteAsync(context, 404, "pod not found");
            return;
        }

        string url;
        try
        {
            if (await RuntimeTargets.ReadySandboxAsync(source.Runtime, pod.Metadata!.Uid!, request.Aborted) is not { } sandbox)
            {
                await KubeletText.WriteAsync(context, 500, $"pod not found (\"{pod.Metadata.Name}_{pod.Metadata.Namespace}\")");
                return;
            }

            var forward = new PortForwardRequest { PodSandboxId = sandbox.Id };
            forward.Port.Add(ports);
            url = (await source.Runtime.PortForwardAsync(forward, request.Aborted)).Url;
        }
        catch (CriException e)
        {
            await WriteRuntimeErrorAsync(context, e);
            return;
        }

        await RuntimeStreamProxy.ProxyAsync(context, url, log, request.Aborted);
    }

    private Pod? FindPod(KubeletRequest request) => source.Pods.FindByName(request.Value("podNamespace"), request.Value("podID"));

    /// <summary>The pod UID the path names (a caller may aim at one instance of a name), else the pod's own.</summary>
    private static string RequestedUid(KubeletRequest request, Pod pod) =>
        request.Values.TryGetValue("uid", out var uid) ? uid : pod.Metadata?.Uid ?? "";

    /// <summary>The container's tty setting from the spec (any kind of container), or null when the spec has no such container.</summary>
    private static bool? TtyOf(PodSpec? spec, string name)
    {
        if (spec?.Containers?.FirstOrDefault(c => c.Name == name) is { } container)
        {
            return container.Tty == true;
        }

        if (spec?.InitContainers?.FirstOrDefault(c => c.Name == name) is { } init)
        {
            return init.Tty == true;
        }

        return spec?.EphemeralContainers?.FirstOrDefault(c => c.Name == name) is { } ephemeral ? ephemeral.Tty == true : null;
    }

    /// <summary>Upstream's streaming.WriteError: the gRPC error's text with a status from its code.</summary>
    private static Task WriteRuntimeErrorAsync(HttpContext context, CriException e)
    {
        var status = e.StatusCode switch
        {
            CriException.NotFound => 404,
            CriException.ResourceExhausted => 429,
            _ => 500,
        };
        if (status == 429 && RetryAfter().Match(e.StatusMessage) is { Success: true } retry)
        {
            context.Response.Headers.RetryAfter = retry.Groups[1].Value;
        }

        return KubeletText.WriteAsync(context, status, e.RpcError);
    }

    /// <summary>The runtime's "too many in-flight requests" error says when to come back.</summary>
    [GeneratedRegex(@"\[Retry-After:([0-9]+)\]")]
    private static partial Regex RetryAfter();
}
