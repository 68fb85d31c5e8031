using System.Net;

namespace Korral.Ingress.Tests.Translation;

public sealed class IngressOptionsTests
{
    [Fact]
    public void DefaultsAreValidAndServeClassNginxOnPorts80And443()
    {
        var options = new IngressOptions { DataDir = "/var/lib/korral/server/ingress", NodeName = "vm" };

        Assert.Empty(options.Validate());
        Assert.Equal(("nginx", 80, 443), (options.IngressClassName, options.HttpPort, options.HttpsPort));
        Assert.Contains(IPAddress.Any, options.EffectiveListenAddresses());
    }

    [Fact]
    public void EveryProblemIsListed()
    {
        var options = new IngressOptions
        {
            DataDir = "",
            NodeName = " ",
            HttpPort = 0,
            HttpsPort = 0,
            ControllerName = "nginx",
            WorkerConnections = 1,
            StopTimeout = TimeSpan.Zero,
        };

        var problems = options.Validate();

        Assert.Equal(8, problems.Count);
        Assert.Contains("HttpPort: 0 is not a port (1-65535)", problems);
        Assert.Contains("ControllerName: \"nginx\" must be a domain-prefixed path such as korral.io/ingress-nginx", problems);
    }

    [Fact]
    public void InvalidOptionsAreRefusedAtConstruction()
    {
        using var client = new Korral.Client.KubeClient(new Korral.Client.KubeClientOptions { Server = new Uri("https://127.0.0.1:1") });
        var informers = new Korral.Client.Informers.SharedInformerFactory(client);

        var error = Assert.Throws<ArgumentException>(() => new IngressController(new IngressOptions { DataDir = "/tmp/x", NodeName = "" }, client, informers));

        Assert.Contains("NodeName: required", error.Message, StringComparison.Ordinal);
    }
}
