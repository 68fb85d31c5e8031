namespace Korral.Kubelet.Volumes.Projection;

/// <summary>Permission bits of projected files and the directories around them.</summary>
internal static class Modes
{
    /// <summary>What the API defaults defaultMode to (0644).</summary>
    public const int DefaultFile = 420;

    /// <summary>0755: directories anyone may walk.</summary>
    public const UnixFileMode Directory =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>0777: emptyDir volumes, which any container user may write.</summary>
    public const UnixFileMode World = Directory | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>Permission bits of an API mode (0..0777; anything above is dropped).</summary>
    public static UnixFileMode FromInt(int mode) => (UnixFileMode)(mode & 0x1FF);
}
