using System.Globalization;
using System.Net.Sockets;
using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;
using Container = Korral.Api.Models.CoreV1.Container;

namespace Korral.Kubelet.Probes;

/// <summary>
/// The real probe handlers, with upstream's semantics: exec runs through the runtime's ExecSync (exit 0 succeeds; the
/// output is stdout and stderr), httpGet asks the pod IP by default with User-Agent kube-probe/1.33 and succeeds on
/// 200-399 (certificates are not verified, as upstream), tcpSocket succeeds when a connection opens; every handler within
/// timeoutSeconds.
/// </summary>
public sealed class Prober(IRuntimeService runtime, HttpClient http) : IProber
{
    /// <summary>Upstream sends "kube-probe/&lt;major&gt;.&lt;minor&gt;" of the kubelet's version.</summary>
    public const string UserAgent = "kube-probe/1.33";

    /// <summary>An HTTP client fit for probes: no certificate checks, no connection reuse between probes.</summary>
    public static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        PooledConnectionLifetime = TimeSpan.Zero,
        AllowAutoRedirect = true,
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    public async Task<ProbeOutcome> RunAsync(Probe probe, Container container, string containerId, string? podIp, CancellationToken cancellationToken)
    {
        var timeout = ProbeSettings.Of(probe).Timeout;
        if (probe.Exec is { } exec)
        {
            return await ExecAsync(exec, containerId, timeout, cancellationToken);
        }

        if (probe.HttpGet is { } get)
        {
            return await HttpGetAsync(get, container, podIp, timeout, cancellationToken);
        }

        if (probe.TcpSocket is { } tcp)
        {
            return await TcpAsync(tcp, container, podIp, timeout, cancellationToken);
        }

        return ProbeOutcome.Failed(probe.Grpc is not null ? "gRPC probes are not supported by this kubelet" : "missing probe handler");
    }

    private async Task<ProbeOutcome> ExecAsync(ExecAction exec, string containerId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var command = exec.Command ?? [];
        var request = new ExecSyncRequest { ContainerId = containerId, Timeout = (long)Math.Ceiling(timeout.TotalSeconds) };
        request.Cmd.AddRange(command);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // The runtime enforces the timeout; the margin only guards against a runtime that does not answer at all.
        deadline.CancelAfter(timeout + TimeSpan.FromSeconds(5));
        try
        {
            var result = await runtime.ExecSyncAsync(request, deadline.Token);
            var output = result.Stdout.ToStringUtf8() + result.Stderr.ToStringUtf8();
            return result.ExitCode == 0 ? ProbeOutcome.Passed(output) : ProbeOutcome.Failed(output);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeOutcome.Failed(TimedOut(command, timeout));
        }
        catch (CriException e) when (e.StatusMessage.Contains("timeout", StringComparison.OrdinalIgnoreCase)
            || e.StatusMessage.Contains("deadline", StringComparison.OrdinalIgnoreCase))
        {
            return ProbeOutcome.Failed(TimedOut(command, timeout));
        }
        catch (CriException e)
        {
            return ProbeOutcome.Failed(e.StatusMessage);
        }
    }

    private async Task<ProbeOutcome> HttpGetAsync(HTTPGetAction get, Container container, string? podIp, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (ResolvePort(get.Port, container) is not { } port)
        {
            return ProbeOutcome.Failed($"unknown port {get.Port?.StringValue}");
        }

        var host = string.IsNullOrEmpty(get.Host) ? podIp ?? "127.0.0.1" : get.Host;
        var scheme = string.Equals(get.Scheme, "HTTPS", StringComparison.OrdinalIgnoreCase) ? "https" : "http";
        var path = string.IsNullOrEmpty(get.Path) ? "/" : get.Path.StartsWith('/') ? get.Path : "/" + get.Path;
        var url = new UriBuilder(scheme, host, port) { Path = path.Split('?')[0], Query = path.Contains('?') ? path[(path.IndexOf('?') + 1)..] : "" }.Uri;
        using var message = new HttpRequestMessage(HttpMethod.Get, url);
        message.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        message.Headers.TryAddWithoutValidation("Accept", "*/*");
        foreach (var header in get.HttpHeaders ?? [])
        {
            // A probe's own header replaces the default of that name (an empty User-Agent removes it, as upstream).
            message.Headers.Remove(header.Name ?? "");
            if (!string.IsNullOrEmpty(header.Value))
            {
                message.Headers.TryAddWithoutValidation(header.Name ?? "", header.Value);
            }
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var code = (int)response.StatusCode;
            return code is >= 200 and < 400 ? ProbeOutcome.Passed() : ProbeOutcome.Failed($"HTTP probe failed with statuscode: {code}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeOutcome.Failed($"Get \"{url}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
        }
        catch (HttpRequestException e)
        {
            return ProbeOutcome.Failed($"Get \"{url}\": {Describe(e.InnerException as SocketException, host, port) ?? e.Message}");
        }
    }

    private static async Task<ProbeOutcome> TcpAsync(TCPSocketAction tcp, Container container, string? podIp, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (ResolvePort(tcp.Port, container) is not { } port)
        {
            return ProbeOutcome.Failed($"unknown port {tcp.Port?.StringValue}");
        }

        var host = string.IsNullOrEmpty(tcp.Host) ? podIp ?? "127.0.0.1" : tcp.Host;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, deadline.Token);
            return ProbeOutcome.Passed();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeOutcome.Failed($"dial tcp {host}:{port}: i/o timeout");
        }
        catch (SocketException e)
        {
            return ProbeOutcome.Failed(Describe(e, host, port)!);
        }
    }

    /// <summary>The port of a probe: a number, a numeric string, or the name of one of the container's ports.</summary>
    internal static int? ResolvePort(IntOrString? port, Container container)
    {
        if (port is null)
        {
            return null;
        }

        if (port.IsInt)
        {
            return port.IntValue;
        }

        return int.TryParse(port.StringValue, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric)
            ? numeric
            : container.Ports?.FirstOrDefault(p => p.Name == port.StringValue)?.ContainerPortValue;
    }

    private static string TimedOut(IEnumerable<string> command, TimeSpan timeout) =>
        $"command \"{string.Join(' ', command)}\" timed out after {timeout.TotalSeconds:0}s";

    /// <summary>Go's wording of the usual dial failures, which users grep for.</summary>
    private static string? Describe(SocketException? e, string host, int port) => e?.SocketErrorCode switch
    {
        null => null,
        SocketError.ConnectionRefused => $"dial tcp {host}:{port}: connect: connection refused",
        SocketError.TimedOut => $"dial tcp {host}:{port}: i/o timeout",
        SocketError.HostUnreachable => $"dial tcp {host}:{port}: connect: no route to host",
        _ => $"dial tcp {host}:{port}: {e.Message}",
    };
}
