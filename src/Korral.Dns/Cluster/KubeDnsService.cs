using System.Net;
using System.Numerics;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;

namespace Korral.Dns.Cluster;

/// <summary>
/// The <c>kube-system/kube-dns</c> Service pods reach cluster DNS through, at the 10th address of the service range
/// (10.96.0.10 for 10.96.0.0/12, the kubelet's --cluster-dns default), with k3s's labels and its dns (53/UDP) and
/// dns-tcp (53/TCP) ports. It has no selector: no pod serves DNS here; the node's DNS server does, and whoever wires it
/// to the service proxy supplies the endpoints.
/// </summary>
public static class KubeDnsService
{
    public const string Name = "kube-dns";
    public const string Namespace = "kube-system";

    /// <summary>The 10th address of a service range such as 10.96.0.0/12 or fd00:10:96::/108.</summary>
    public static IPAddress ClusterIP(string serviceClusterIpRange)
    {
        var slash = serviceClusterIpRange.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(serviceClusterIpRange[..slash], out var network)
            || !int.TryParse(serviceClusterIpRange[(slash + 1)..], out var prefix))
        {
            throw new ArgumentException($"service range \"{serviceClusterIpRange}\" is not a CIDR such as 10.96.0.0/12", nameof(serviceClusterIpRange));
        }

        var bytes = network.GetAddressBytes();
        var bits = bytes.Length * 8;
        if (prefix < 0 || prefix > bits - 4)
        {
            throw new ArgumentException($"service range \"{serviceClusterIpRange}\" has no 10th address", nameof(serviceClusterIpRange));
        }

        var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        var hostMask = (BigInteger.One << (bits - prefix)) - 1;
        value = (value & ~hostMask) + 10;
        var result = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var padded = new byte[bytes.Length];
        result.CopyTo(padded, padded.Length - result.Length);
        return new IPAddress(padded);
    }

    public static Service Build(string serviceClusterIpRange)
    {
        var ip = ClusterIP(serviceClusterIpRange).ToString();
        return new Service
        {
            Metadata = new ObjectMeta
            {
                Name = Name,
                Namespace = Namespace,
                Labels = new Dictionary<string, string>
                {
                    ["k8s-app"] = "kube-dns",
                    ["kubernetes.io/cluster-service"] = "true",
                    ["kubernetes.io/name"] = "CoreDNS",
                },
            },
            Spec = new ServiceSpec
            {
                ClusterIP = ip,
                ClusterIPs = [ip],
                Ports =
                [
                    new ServicePort { Name = "dns", Port = 53, Protocol = "UDP", TargetPort = 53 },
                    new ServicePort { Name = "dns-tcp", Port = 53, Protocol = "TCP", TargetPort = 53 },
                ],
            },
        };
    }

    /// <summary>Creates the Service unless it exists; returns what the server holds (an existing one is left as it is).</summary>
    public static async Task<Service> EnsureAsync(KubeClient client, string serviceClusterIpRange, CancellationToken cancellationToken)
    {
        var services = client.Resource<Service>();
        if (await services.TryGetAsync(Namespace, Name, cancellationToken) is { } existing)
        {
            return existing;
        }

        try
        {
            return await services.CreateAsync(Build(serviceClusterIpRange), cancellationToken);
        }
        catch (KubeApiException e) when (e.IsAlreadyExists)
        {
            return await services.GetAsync(Namespace, Name, cancellationToken);
        }
    }
}
