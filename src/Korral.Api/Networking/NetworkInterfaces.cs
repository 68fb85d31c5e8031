using System.Net.NetworkInformation;

namespace Korral.Api.Networking;

/// <summary>
/// The machine's network interfaces, read so that interfaces coming and going meanwhile do not fail the read: on Linux
/// the runtime's enumeration throws (ArgumentException "An invalid IP address was specified") when a veth disappears
/// between its steps, which happens whenever pods start or stop on the machine. A few quick retries always succeed.
/// </summary>
public static class NetworkInterfaces
{
    private const int Attempts = 5;

    public static NetworkInterface[] ReadAll()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return NetworkInterface.GetAllNetworkInterfaces();
            }
            catch (Exception e) when (attempt < Attempts && e is ArgumentException or NetworkInformationException or IOException)
            {
                // An interface vanished mid-read: read again.
            }
        }
    }
}
