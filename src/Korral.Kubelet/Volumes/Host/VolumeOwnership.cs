namespace Korral.Kubelet.Volumes.Host;

/// <summary>
/// The pod's fsGroup applied to a volume's files, as upstream does for the volumes the kubelet manages: every entry
/// gets the group, files become group readable (and writable unless the volume is read-only), directories also get
/// the setgid bit and group search, so that new files inherit the group. Symlinks are re-grouped but never followed.
/// </summary>
internal static class VolumeOwnership
{
    private const UnixFileMode ReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;
    private const UnixFileMode ReadOnly = UnixFileMode.UserRead | UnixFileMode.GroupRead;
    private const UnixFileMode Search = UnixFileMode.UserExecute | UnixFileMode.GroupExecute;

    /// <summary>Applies the group to a directory and everything below it.</summary>
    public static void ApplyTree(string directory, long fsGroup, bool readOnly)
    {
        Apply(directory, fsGroup, readOnly);
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is null && entry is DirectoryInfo)
            {
                ApplyTree(entry.FullName, fsGroup, readOnly);
            }
            else
            {
                Apply(entry.FullName, fsGroup, readOnly);
            }
        }
    }

    /// <summary>Applies the group to one entry.</summary>
    public static void Apply(string path, long fsGroup, bool readOnly)
    {
        Libc.ChangeGroup(path, fsGroup);
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            return;
        }

        var mask = readOnly ? ReadOnly : ReadWrite;
        if (Directory.Exists(path))
        {
            mask |= UnixFileMode.SetGroup | Search;
        }

        UnixModes.Set(path, UnixModes.Get(path) | mask);
    }
}
