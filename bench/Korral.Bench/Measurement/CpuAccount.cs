using System.Globalization;

namespace Korral.Bench.Measurement;

/// <summary>
/// Who used the CPU between two snapshots: the server, this client, and everything else on the machine (from
/// /proc/stat and /proc/PID/stat). On a shared machine "everything else" says how far a run's figures can be trusted.
/// </summary>
public sealed class CpuAccount
{
    private static readonly double TicksPerSecond = 100; // USER_HZ: 100 on every Linux architecture .NET runs on.

    private readonly int? _serverPid;
    private readonly long _machineBusy;
    private readonly long _self;
    private readonly long _server;
    private readonly DateTime _at;

    private CpuAccount(int? serverPid)
    {
        _serverPid = serverPid;
        _at = DateTime.UtcNow;
        _machineBusy = MachineBusyTicks();
        _self = ProcessTicks(Environment.ProcessId);
        _server = serverPid is { } pid ? ProcessTicks(pid) : 0;
    }

    public static CpuAccount Start(int? serverPid) => new(serverPid);

    /// <summary>Shares of the machine's cores used since the snapshot, in percent of all cores.</summary>
    public CpuShares Since()
    {
        var seconds = (DateTime.UtcNow - _at).TotalSeconds;
        var capacity = seconds * TicksPerSecond * Environment.ProcessorCount;
        if (capacity <= 0)
        {
            return new CpuShares(0, 0, 0);
        }

        var busy = MachineBusyTicks() - _machineBusy;
        var self = ProcessTicks(Environment.ProcessId) - _self;
        var server = _serverPid is { } pid ? ProcessTicks(pid) - _server : 0;
        var others = Math.Max(0, busy - self - server);
        return new CpuShares(100 * server / capacity, 100 * self / capacity, 100 * others / capacity);
    }

    /// <summary>user+nice+system+irq+softirq+steal of the "cpu" line of /proc/stat.</summary>
    private static long MachineBusyTicks()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            return f[0] + f[1] + f[2] + f[5] + f[6] + (f.Length > 7 ? f[7] : 0);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>utime+stime of /proc/PID/stat (fields 14 and 15, counted after the parenthesised command name).</summary>
    private static long ProcessTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
