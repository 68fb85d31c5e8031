using Microsoft.Win32.SafeHandles;

namespace Korral.Kubelet.Logs;

/// <summary>
/// Tells whether an open log file is still the file at its path. Rotation renames the file and has the runtime create a
/// new one at the same path; a follower must then finish the old file and go on with the new one.
/// </summary>
internal static class LogFileIdentity
{
    /// <summary>
    /// False when <paramref name="path"/> now names another file than <paramref name="open"/> (renamed away or deleted, and
    /// a new file created in its place); true when it is the same file or when there is no file at the path yet (the
    /// runtime has not reopened it: keep reading the old one).
    /// </summary>
    public static bool IsCurrent(SafeFileHandle open, string path)
    {
        if (!File.Exists(path))
        {
            return true;
        }

        // Linux names the file behind a descriptor in /proc: the new name after a rename, "<path> (deleted)" after an
        // unlink. .NET gives no inode, and comparing sizes cannot tell a rotated file from one that just grew.
        var link = $"/proc/self/fd/{open.DangerousGetHandle()}";
        string? target;
        try
        {
            target = new FileInfo(link).LinkTarget;
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }

        return target is null || target == Path.GetFullPath(path);
    }
}
