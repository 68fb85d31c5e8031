using Korral.Bench.Cluster;
using Korral.Bench.Reporting;

namespace Korral.Bench.Scenarios;

/// <summary>The server's resident set size (VmRSS from /proc) at chosen moments, and its peak (VmHWM) at the end.</summary>
public static class MemoryScenario
{
    /// <summary>How long the server is left alone after start before "idle" RSS is read.</summary>
    public static readonly TimeSpan IdleSettle = TimeSpan.FromSeconds(3);

    public static async Task IdleAsync(BenchContext context, CancellationToken cancellationToken)
    {
        if (context.ServerPid is not { } pid)
        {
            return;
        }

        await Task.Delay(IdleSettle, cancellationToken);
        var rss = ProcStatus.Read(pid, "VmRSS");
        BenchContext.Progress($"idle RSS {Format.Bytes(rss)}");
        context.Report.Row(new ResultRow($"Server RSS, idle ({IdleSettle.TotalSeconds:0} s after ready)", $"{Format.Bytes(rss)} ({Breakdown(pid)})", "< 100 MB",
            Targets.AtMostBytes(rss, Targets.IdleRssBytes)));
    }

    public static void Record(BenchContext context, string moment)
    {
        if (context.ServerPid is not { } pid)
        {
            return;
        }

        var rss = ProcStatus.Read(pid, "VmRSS");
        BenchContext.Progress($"RSS {moment}: {Format.Bytes(rss)}");
        context.Report.Row(new ResultRow($"Server RSS {moment}", $"{Format.Bytes(rss)} ({Breakdown(pid)})"));
    }

    /// <summary>Anonymous (heaps, JIT code), file-backed (mapped assemblies and native libraries) and shared (the runtime's double-mapped code).</summary>
    private static string Breakdown(int pid) =>
        $"anon {Format.Bytes(ProcStatus.Read(pid, "RssAnon"))}, file {Format.Bytes(ProcStatus.Read(pid, "RssFile"))}, shmem {Format.Bytes(ProcStatus.Read(pid, "RssShmem"))}";

    public static void Peak(BenchContext context)
    {
        if (context.ServerPid is { } pid)
        {
            context.Report.Row(new ResultRow("Server peak RSS over the run (VmHWM)", Format.Bytes(ProcStatus.Read(pid, "VmHWM"))));
        }
    }
}
