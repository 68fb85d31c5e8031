namespace Korral.Kubelet.Volumes.Host;

/// <summary>File types as upstream's host utilities name them (the names of the hostPath volume types).</summary>
internal static class FileTypes
{
    public const string Directory = "Directory";
    public const string File = "File";
    public const string Socket = "Socket";
    public const string CharDevice = "CharDevice";
    public const string BlockDevice = "BlockDevice";

    private const uint TypeMask = 0xF000;

    /// <summary>The type of what a path names (symlinks followed); null when nothing is there.</summary>
    /// <exception cref="IOException">The path is a FIFO or something else hostPath volumes do not know.</exception>
    public static string? Of(string path)
    {
        if (Libc.FileMode(path) is not { } mode)
        {
            return null;
        }

        return Name(mode) ?? throw new IOException("only recognise file, directory, socket, block device and character device");
    }

    public static string? Name(uint mode) => (mode & TypeMask) switch
    {
        0x4000 => Directory,
        0x8000 => File,
        0xC000 => Socket,
        0x2000 => CharDevice,
        0x6000 => BlockDevice,
        _ => null,
    };

    public static bool IsSymlink(uint mode) => (mode & TypeMask) == 0xA000;

    public static bool IsDirectory(uint mode) => (mode & TypeMask) == 0x4000;
}
