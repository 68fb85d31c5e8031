using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Korral.Kubelet.Volumes.Host;

/// <summary>
/// The few Linux system calls the volume code needs and .NET does not wrap: mount/umount2 (tmpfs, subPath binds),
/// rename of a symlink over a symlink (the atomic "..data" switch), statx (file types for hostPath checks), and
/// O_PATH opens that refuse symlinks (safe subPath resolution).
/// </summary>
internal static class Libc
{
    public const ulong MsBind = 4096;
    public const int MntDetach = 2;
    public const int AtFdCwd = -100;

    public const int OPath = 0x200000;
    public const int OCloExec = 0x80000;

    private const int EInval = 22;
    private const int EBusy = 16;

    /// <summary>O_NOFOLLOW differs between x86-64 and the arm ABIs.</summary>
    public static int ONoFollow => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    public static void Mount(string source, string target, string? fsType, ulong flags, string? data)
    {
        if (mount(source, target, fsType, (nuint)flags, data) != 0)
        {
            throw Error($"mount {source} on {target}");
        }
    }

    /// <summary>Unmounts; true when something was unmounted, false when nothing was mounted there.</summary>
    public static bool Unmount(string target, bool detach)
    {
        if (umount2(target, detach ? MntDetach : 0) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno == EInval)
        {
            return false;
        }

        throw Error($"unmount {target}", errno);
    }

    public static bool IsBusy(Win32Exception e) => e.NativeErrorCode == EBusy;

    public static void Rename(string from, string to)
    {
        if (rename(from, to) != 0)
        {
            throw Error($"rename {from} to {to}");
        }
    }

    /// <summary>stat(2) through statx (its layout is the same on every architecture); null when the path is missing.</summary>
    public static uint? FileMode(string path)
    {
        var buffer = new byte[256];
        const uint statxType = 0x1, statxMode = 0x2;
        if (statx(AtFdCwd, path, 0, statxType | statxMode, buffer) != 0)
        {
            return null;
        }

        return BitConverter.ToUInt16(buffer, 28);
    }

    /// <summary>The group owning what a path names (symlinks followed).</summary>
    public static uint FileGroup(string path)
    {
        var buffer = new byte[256];
        const uint statxGid = 0x10;
        if (statx(AtFdCwd, path, 0, statxGid, buffer) != 0)
        {
            throw Error($"stat {path}");
        }

        return BitConverter.ToUInt32(buffer, 24);
    }

    /// <summary>The type and mode bits of an open file itself (AT_EMPTY_PATH: a symlink opened with O_PATH stays a symlink).</summary>
    public static uint FdFileMode(int fd)
    {
        var buffer = new byte[256];
        const int atEmptyPath = 0x1000;
        const uint statxType = 0x1, statxMode = 0x2;
        if (statx(fd, "", atEmptyPath, statxType | statxMode, buffer) != 0)
        {
            throw Error($"stat fd {fd}");
        }

        return BitConverter.ToUInt16(buffer, 28);
    }

    public static int OpenPath(int directoryFd, string name)
    {
        var fd = openat(directoryFd, name, OPath | ONoFollow | OCloExec, 0);
        if (fd < 0)
        {
            throw Error($"open {name}");
        }

        return fd;
    }

    public static void Close(int fd) => _ = close(fd);

    public static string? RealPath(string path)
    {
        var result = realpath(path, IntPtr.Zero);
        if (result == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(result);
        }
        finally
        {
            free(result);
        }
    }

    public static void ChangeGroup(string path, long group)
    {
        if (lchown(path, uint.MaxValue, (uint)group) != 0)
        {
            throw Error($"chown {path}");
        }
    }

    private static Win32Exception Error(string what) => Error(what, Marshal.GetLastPInvokeError());

    private static Win32Exception Error(string what, int errno) =>
        new(errno, $"{what}: {Marshal.GetPInvokeErrorMessage(errno)}");

    [DllImport("libc", SetLastError = true)]
    private static extern int mount(string source, string target, string? fileSystemType, nuint flags, string? data);

    [DllImport("libc", SetLastError = true)]
    private static extern int umount2(string target, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int rename(string oldPath, string newPath);

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int directoryFd, string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", SetLastError = true)]
    private static extern int openat(int directoryFd, string path, int flags, uint mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr realpath(string path, IntPtr resolved);

    [DllImport("libc")]
    private static extern void free(IntPtr pointer);

    [DllImport("libc", SetLastError = true)]
    private static extern int lchown(string path, uint owner, uint group);
}
