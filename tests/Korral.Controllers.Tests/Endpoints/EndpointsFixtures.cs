using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;

namespace Korral.Controllers.Tests.ServiceEndpoints;

/// <summary>Services and pods for the endpoints tests; pod IPs and readiness are set through the status subresource.</summary>
public static class EndpointsFixtures
{
    public static Service Service(string ns, string name, IDictionary<string, string>? selector, params ServicePort[] ports) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = new Dictionary<string, string> { ["tier"] = "front" } },
        Spec = new ServiceSpec { Selector = selector, Ports = ports },
    };

    public static Pod Pod(string ns, string name, string app, string node = "node-a") => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new PodSpec
        {
            NodeName = node,
            Containers =
            [
                new Container
                {
                    Name = "main",
                    Image = "nginx",
                    Ports = [new ContainerPort { Name = "http", ContainerPortValue = 8080 }, new ContainerPort { Name = "metrics", ContainerPortValue = 9090 }],
                },
            ],
        },
    };

    /// <summary>Creates the pod and gives it an IP and the Ready condition <paramref name="ready"/>.</summary>
    public static async Task<Pod> CreateRunningAsync(KubeClient client, Pod pod, string ip, bool ready)
    {
        var created = await client.Resource<Pod>().CreateAsync(pod, CancellationToken.None);
        return await SetStatusAsync(client, created, ip, ready);
    }

    public static async Task<Pod> SetReadyAsync(KubeClient client, string ns, string name, bool ready)
    {
        var pod = await client.Resource<Pod>().GetAsync(ns, name, CancellationToken.None);
        return await SetStatusAsync(client, pod, pod.Status!.PodIP!, ready);
    }

    private static Task<Pod> SetStatusAsync(KubeClient client, Pod pod, string ip, bool ready)
    {
        pod.Status ??= new PodStatus();
        pod.Status.Phase = "Running";
        pod.Status.PodIP = ip;
        pod.Status.PodIPs = [new PodIP { Ip = ip }];
        pod.Status.Conditions = [new PodCondition { Type = "Ready", Status = ready ? "True" : "False" }];
        return client.Resource<Pod>().UpdateStatusAsync(pod, CancellationToken.None);
    }

    public static Task DeleteNowAsync(KubeClient client, string ns, string name) =>
        client.Resource<Pod>().DeleteAsync(ns, name, new DeleteOptions { GracePeriodSeconds = 0 }, CancellationToken.None);
}
