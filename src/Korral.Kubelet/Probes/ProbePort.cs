using Korral.Api.Models;
using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Probes;

/// <summary>
/// The port of an httpGet or tcpSocket probe, as upstream resolves it: a number, or the name of one of the container's
/// ports (a string is only ever a name: validation rejects numeric strings), within 1-65535. A port that cannot be
/// resolved makes the probe error rather than fail, with upstream's text.
/// </summary>
internal static class ProbePort
{
    public static (int Port, string? Error) Resolve(IntOrString? port, Container container)
    {
        int number;
        if (port is null || port.IsInt)
        {
            number = port?.IntValue ?? 0;
        }
        else if (container.Ports?.FirstOrDefault(p => p.Name == port.StringValue) is { } named)
        {
            number = named.ContainerPortValue ?? 0;
        }
        else
        {
            return (0, $"port \"{port.StringValue}\" not found");
        }

        return number is > 0 and < 65536 ? (number, null) : (0, $"invalid port number: {number}");
    }
}
