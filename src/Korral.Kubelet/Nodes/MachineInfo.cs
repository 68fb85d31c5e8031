using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Korral.Kubelet.Nodes;

/// <summary>What the node reports about the machine: sizes for capacity and the identifiers of nodeInfo, read from /proc and /etc.</summary>
public sealed record MachineInfo
{
    public required int Cpus { get; init; }

    public required long MemoryBytes { get; init; }

    /// <summary>Size of the filesystem holding the kubelet's directory (ephemeral-storage capacity).</summary>
    public required long EphemeralStorageBytes { get; init; }

    public required string MachineId { get; init; }

    public required string SystemUuid { get; init; }

    public required string BootId { get; init; }

    public required string KernelVersion { get; init; }

    public required string OsImage { get; init; }

    /// <summary>Reads the machine's facts; missing files give empty identifiers rather than failing.</summary>
    public static MachineInfo Read(string kubeletDir)
    {
        Directory.CreateDirectory(kubeletDir);
        var machineId = ReadFirstLine("/etc/machine-id") ?? ReadFirstLine("/var/lib/dbus/machine-id") ?? "";
        return new MachineInfo
        {
            Cpus = Environment.ProcessorCount,
            MemoryBytes = MemTotal(),
            EphemeralStorageBytes = new DriveInfo(kubeletDir).TotalSize,
            MachineId = machineId,
            SystemUuid = ReadFirstLine("/sys/class/dmi/id/product_uuid")?.ToLowerInvariant() ?? UuidFrom(machineId),
            BootId = ReadFirstLine("/proc/sys/kernel/random/boot_id") ?? "",
            KernelVersion = ReadFirstLine("/proc/sys/kernel/osrelease") ?? Environment.OSVersion.Version.ToString(),
            OsImage = ReadOsImage(),
        };
    }

    /// <summary>Available memory (MemAvailable) in bytes, for the MemoryPressure condition.</summary>
    public static long MemAvailable() => MemInfo("MemAvailable:");

    private static long MemTotal() => MemInfo("MemTotal:");

    private static long MemInfo(string field)
    {
        foreach (var line in File.ReadLines("/proc/meminfo"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var parts = line[field.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    private static string ReadOsImage()
    {
        foreach (var line in ReadLines("/etc/os-release"))
        {
            if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
            {
                return line["PRETTY_NAME=".Length..].Trim('"');
            }
        }

        return "Linux";
    }

    private static string UuidFrom(string machineId) =>
        machineId.Length == 32 ? Guid.ParseExact(machineId, "N").ToString() : "";

    private static IEnumerable<string> ReadLines(string path) => File.Exists(path) ? File.ReadLines(path) : [];

    private static string? ReadFirstLine(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadLines(path).FirstOrDefault()?.Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The node's primary IPv4 address: the first IPv4 address of the interface holding the default route (from
    /// /proc/net/route), else the first non-loopback address of an interface that is up, else 127.0.0.1.
    /// </summary>
    public static string PrimaryAddress()
    {
        var defaultInterface = ReadLines("/proc/net/route")
            .Skip(1)
            .Select(l => l.Split('\t', StringSplitOptions.RemoveEmptyEntries))
            .FirstOrDefault(f => f.Length > 2 && f[1] == "00000000")?[0];
        var candidates = Korral.Api.Networking.NetworkInterfaces.ReadAll()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .OrderBy(n => n.Name == defaultInterface ? 0 : 1);
        foreach (var nic in candidates)
        {
            foreach (var address in nic.GetIPProperties().UnicastAddresses)
            {
                if (address.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(address.Address))
                {
                    return address.Address.ToString();
                }
            }
        }

        return "127.0.0.1";
    }
}
