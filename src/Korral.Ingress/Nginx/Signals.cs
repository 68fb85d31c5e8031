using System.Runtime.InteropServices;

namespace Korral.Ingress.Nginx;

/// <summary>
/// kill(2): nginx is driven by signals (HUP reloads, TERM stops, QUIT stops gracefully), and .NET's Process.Kill only
/// sends SIGKILL to one process. A negative pid addresses the whole process group, which is how workers left behind by a
/// master that died are reached.
/// </summary>
internal static class Signals
{
    public const int Hangup = 1;
    public const int Kill = 9;
    public const int Terminate = 15;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when no such process exists.</summary>
    public static bool Send(int pid, int signal) => pid > 0 && SendSignal(pid, signal) == 0;

    /// <summary>Sends <paramref name="signal"/> to every process of group <paramref name="pgid"/>; false when it has none.</summary>
    public static bool SendToGroup(int pgid, int signal) => pgid > 1 && SendSignal(-pgid, signal) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
