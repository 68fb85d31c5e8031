using System.Net;
using System.Net.Sockets;

namespace Korral.Ingress.Tests.Fixtures;

/// <summary>High ports for a test's nginx (never 80/443: a korral cluster on this machine may hold them).</summary>
public static class FreePorts
{
    public static (int Http, int Https) Pair() => (One(), One());

    public static int One()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
