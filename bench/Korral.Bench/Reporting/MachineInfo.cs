using System.Diagnostics;
using System.Runtime.InteropServices;
using Korral.Bench.Measurement;

namespace Korral.Bench.Reporting;

/// <summary>The facts a reader needs to compare runs: CPU, memory, kernel, runtime, the file system and its fsync cost.</summary>
public static class MachineInfo
{
    public static void Describe(Report report, string dataRoot)
    {
        report.Fact("CPU", $"{Environment.ProcessorCount} cores ({CpuModel()}), shared by the server and the benchmark client");
        report.Fact("Memory", MemTotal());
        report.Fact("Kernel", $"Linux {ReadFirstLine("/proc/sys/kernel/osrelease") ?? RuntimeInformation.OSDescription}");
        report.Fact("OS", OsName());
        report.Fact(".NET", $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})");
        Directory.CreateDirectory(dataRoot);
        report.Fact("Data dir file system", FileSystemOf(dataRoot));
        var datasync = FsyncProbe(dataRoot, dataOnly: true);
        var fsync = FsyncProbe(dataRoot, dataOnly: false);
        report.Fact("Disk flush probe", $"4 KiB append + fdatasync (what a WAL commit costs): p50 {Format.Duration(datasync.P50)}, p99 {Format.Duration(datasync.P99)}; " +
            $"+ fsync: p50 {Format.Duration(fsync.P50)}, p99 {Format.Duration(fsync.P99)} ({datasync.Count} samples each, before the server starts)");
    }

    /// <summary>
    /// Appends 4 KiB and flushes it to disk, repeatedly: the floor under any durable commit on this disk. SQLite's WAL
    /// commit is an append plus fdatasync (synchronous=FULL); fsync also flushes metadata and is shown for comparison.
    /// </summary>
    public static Latencies FsyncProbe(string dir, bool dataOnly)
    {
        var path = Path.Combine(dir, $"fsync-probe-{Environment.ProcessId}");
        var block = new byte[4096];
        var samples = new List<long>();
        var clock = Stopwatch.StartNew();
        using (var file = File.OpenHandle(path, FileMode.Create, FileAccess.Write))
        {
            long offset = 0;
            while (samples.Count < 200 && clock.Elapsed < TimeSpan.FromSeconds(2))
            {
                var started = Stopwatch.GetTimestamp();
                RandomAccess.Write(file, block, offset);
                offset += block.Length;
                var fd = (int)file.DangerousGetHandle();
                if ((dataOnly ? FdataSync(fd) : FSync(fd)) != 0)
                {
                    throw new IOException($"{(dataOnly ? "fdatasync" : "fsync")} failed: errno {Marshal.GetLastPInvokeError()}");
                }

                samples.Add(Stopwatch.GetTimestamp() - started);
            }
        }

        File.Delete(path);
        return new Latencies(samples);
    }

    [DllImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static extern int FdataSync(int fd);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int FSync(int fd);

    private static string CpuModel() =>
        ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) is { } line
            ? line[(line.IndexOf(':') + 1)..].Trim()
            : RuntimeInformation.ProcessArchitecture.ToString();

    private static string MemTotal()
    {
        var line = ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        if (line is null || !long.TryParse(line["MemTotal:".Length..].Trim().Split(' ')[0], out var kb))
        {
            return "unknown";
        }

        return $"{kb / 1024.0 / 1024.0:0.0} GiB (MemTotal)";
    }

    private static string OsName() =>
        ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal)) is { } line
            ? line["PRETTY_NAME=".Length..].Trim('"')
            : RuntimeInformation.OSDescription;

    /// <summary>The mount (device and type) holding <paramref name="path"/>: the longest mount point that prefixes it.</summary>
    private static string FileSystemOf(string path)
    {
        var full = Path.GetFullPath(path);
        (string Mount, string Device, string Type)? best = null;
        foreach (var line in ReadLines("/proc/mounts"))
        {
            var parts = line.Split(' ');
            if (parts.Length < 3)
            {
                continue;
            }

            var mount = parts[1];
            var under = mount == "/" || full == mount || full.StartsWith(mount + "/", StringComparison.Ordinal);
            if (under && (best is null || mount.Length > best.Value.Mount.Length))
            {
                best = (mount, parts[0], parts[2]);
            }
        }

        return best is { } b ? $"{b.Type} on {b.Device} (mounted at {b.Mount}; data under {full})" : "unknown";
    }

    private static string? ReadFirstLine(string path) => ReadLines(path).FirstOrDefault()?.Trim();

    private static IEnumerable<string> ReadLines(string path) => File.Exists(path) ? File.ReadLines(path) : [];
}
