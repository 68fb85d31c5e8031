using System.Net;
using System.Security.Cryptography.X509Certificates;
using Korral.Kubelet.Logs;

namespace Korral.Kubelet.Server;

/// <summary>Settings of the kubelet's HTTPS server (upstream flags in the names).</summary>
public sealed record KubeletServerOptions
{
    /// <summary>--address: where to listen (default 0.0.0.0).</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>--port: the kubelet API port (default 10250); 0 picks a free port (see <see cref="KubeletServer.Port"/>).</summary>
    public int Port { get; init; } = 10250;

    /// <summary>--tls-cert-file/--tls-private-key-file: the serving certificate, with its private key, issued by the cluster CA.</summary>
    public required X509Certificate2 ServingCertificate { get; init; }

    /// <summary>--client-ca-file: client certificates must chain to this CA (the cluster CA) to authenticate.</summary>
    public required X509Certificate2 ClientCertificateAuthority { get; init; }

    /// <summary>How followed logs wait for more output.</summary>
    public ContainerLogFollowSettings Follow { get; init; } = new();

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Unexpected errors while serving.</summary>
    public Action<string> Log { get; init; } = _ => { };

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Port is < 0 or > 65535)
        {
            errors.Add($"--port {Port} is not a valid port (0-65535, 0 for any free port)");
        }

        if (!ServingCertificate.HasPrivateKey)
        {
            errors.Add("the kubelet serving certificate has no private key");
        }

        return errors;
    }
}
