using Korral.Api.Models.CoreV1;

namespace Korral.Proxy.Tests.Fixtures;

public static class ServiceExtensions
{
    /// <summary>status.loadBalancer.ingress with <paramref name="ips"/>.</summary>
    public static Service WithIngress(this Service service, params string[] ips)
    {
        service.Status = new ServiceStatus { LoadBalancer = new LoadBalancerStatus { Ingress = [.. ips.Select(ip => new LoadBalancerIngress { Ip = ip })] } };
        return service;
    }
}
