using System.Runtime.InteropServices;

namespace Korral.Kubelet.Containerd;

/// <summary>SIGTERM for a child: .NET's Process.Kill only sends SIGKILL, which gives containerd no chance to shut down cleanly.</summary>
internal static class Signals
{
    private const int SigTerm = 15;

    /// <summary>Sends SIGTERM; false when the process is already gone.</summary>
    public static bool Terminate(int pid) => Kill(pid, SigTerm) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
