using System.Net;

namespace Korral.Ingress.Nginx;

/// <summary>The settings of the controller that end up in nginx.conf besides the Ingresses.</summary>
public sealed record NginxRenderOptions
{
    public required NginxLayout Layout { get; init; }

    public int HttpPort { get; init; } = 80;

    public int HttpsPort { get; init; } = 443;

    /// <summary>The addresses every server listens on (<see cref="IPAddress.Any"/>, <see cref="IPAddress.IPv6Any"/> or one address each).</summary>
    public required IReadOnlyList<IPAddress> ListenAddresses { get; init; }

    /// <summary>worker_processes; 0 writes "auto" (one per CPU, as ingress-nginx does).</summary>
    public int WorkerProcesses { get; init; }

    public int WorkerConnections { get; init; } = 16384;

    /// <summary>How long workers of an old configuration may finish their requests after a reload (ingress-nginx: 240 s).</summary>
    public TimeSpan WorkerShutdownTimeout { get; init; } = TimeSpan.FromSeconds(240);

    /// <summary>Where nginx writes its access log; null: no access log.</summary>
    public string? AccessLogPath { get; init; }
}
