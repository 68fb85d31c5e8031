using System.Globalization;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;
using Container = Korral.Api.Models.CoreV1.Container;

namespace Korral.Kubelet.Pods;

/// <summary>
/// Runs postStart and preStop handlers: exec through the runtime (ExecSync), httpGet against the pod (host defaults to
/// the pod IP, a named port resolves against the container's ports). Returns null on success, else the failure text for
/// the FailedPostStartHook / FailedPreStopHook event.
/// </summary>
public sealed class LifecycleHooks(IRuntimeService runtime, HttpClient http)
{
    public async Task<string?> RunAsync(LifecycleHandler handler, Container container, string containerId, string? podIp, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            if (handler.Exec is { } exec)
            {
                var request = new ExecSyncRequest { ContainerId = containerId, Timeout = (long)Math.Ceiling(timeout.TotalSeconds) };
                request.Cmd.AddRange(exec.Command ?? []);
                var result = await runtime.ExecSyncAsync(request, deadline.Token);
                return result.ExitCode == 0
                    ? null
                    : $"command '{string.Join(' ', exec.Command ?? [])}' exited with {result.ExitCode}: {result.Stderr.ToStringUtf8()}{result.Stdout.ToStringUtf8()}";
            }

            if (handler.HttpGet is { } get)
            {
                var url = HttpGetUrl(get, container, podIp);
                using var message = new HttpRequestMessage(HttpMethod.Get, url);
                foreach (var header in get.HttpHeaders ?? [])
                {
                    message.Headers.TryAddWithoutValidation(header.Name ?? "", header.Value);
                }

                using var response = await http.SendAsync(message, deadline.Token);
                var code = (int)response.StatusCode;
                return code is >= 200 and < 400 ? null : $"HTTP lifecycle hook ({get.Path}) for Container \"{container.Name}\" returned status {code}";
            }

            if (handler.TcpSocket is not null)
            {
                // Upstream accepts tcpSocket for compatibility but never ran it as a hook.
                return null;
            }

            return "no handler defined";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"hook timed out after {timeout.TotalSeconds:0}s";
        }
        catch (CriException e)
        {
            return e.Message;
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
    }

    private static Uri HttpGetUrl(HTTPGetAction get, Container container, string? podIp)
    {
        var port = get.Port is null ? 80
            : get.Port.IsInt ? get.Port.IntValue
            : int.TryParse(get.Port.StringValue, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric) ? numeric
            : container.Ports?.FirstOrDefault(p => p.Name == get.Port.StringValue)?.ContainerPortValue ?? 80;
        var host = string.IsNullOrEmpty(get.Host) ? podIp ?? "127.0.0.1" : get.Host;
        var scheme = string.Equals(get.Scheme, "HTTPS", StringComparison.OrdinalIgnoreCase) ? "https" : "http";
        var path = string.IsNullOrEmpty(get.Path) ? "/" : get.Path.StartsWith('/') ? get.Path : "/" + get.Path;
        return new Uri($"{scheme}://{host}:{port}{path}");
    }
}
