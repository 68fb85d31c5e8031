using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Korral.Bench.Kubelet.Reporting;

/// <summary>What the figures were measured on: cores, CPU model, memory, OS, kernel, containerd, the korral build and commit.</summary>
public sealed record MachineInfo(int Cores, string CpuModel, double MemoryGiB, string Os, string Kernel, string ContainerRuntime, string Runtime,
    string ServerBinary, string? Commit)
{
    public static MachineInfo Read(string containerRuntime, string serverBinary, string? repository) => new(
        Environment.ProcessorCount,
        ReadCpuModel(),
        GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024 / 1024,
        OsName(),
        Environment.OSVersion.Version.ToString(),
        containerRuntime,
        RuntimeInformation.FrameworkDescription,
        serverBinary,
        repository is null ? null : ReadCommit(repository));

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Cores} cores ({CpuModel}), {MemoryGiB:0.0} GiB, {Os}, kernel {Kernel}, {ContainerRuntime}, {Runtime}");

    private static string ReadCpuModel() =>
        File.Exists("/proc/cpuinfo") && File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) is { } line
            ? line[(line.IndexOf(':') + 1)..].Trim()
            : RuntimeInformation.ProcessArchitecture.ToString();

    private static string OsName() =>
        File.Exists("/etc/os-release") && File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal)) is { } line
            ? line["PRETTY_NAME=".Length..].Trim('"')
            : RuntimeInformation.OSDescription;

    private static string? ReadCommit(string repository)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", ["-C", repository, "rev-parse", "--short", "HEAD"]) { RedirectStandardOutput = true, RedirectStandardError = true });
            var sha = git?.StandardOutput.ReadToEnd().Trim();
            git?.WaitForExit();
            return git is { ExitCode: 0 } && sha is { Length: > 0 } ? sha : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
