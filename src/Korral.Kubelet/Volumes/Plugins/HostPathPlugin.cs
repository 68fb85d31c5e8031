using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Volumes.Host;

namespace Korral.Kubelet.Volumes.Plugins;

/// <summary>hostPath: the node's path itself, after upstream's type checks (creating it for the *OrCreate types).</summary>
internal sealed class HostPathPlugin : VolumePlugin
{
    public const string PluginName = "kubernetes.io~host-path";

    public override string Name => PluginName;

    public override bool Handles(Volume volume) => volume.HostPath is not null;

    public override Task<PodVolume> SetUpAsync(VolumeSetupContext context, Volume volume, CancellationToken cancellationToken)
    {
        var source = volume.HostPath!;
        var path = source.Path ?? "";
        Check(path, source.Type ?? "");
        return Task.FromResult(new PodVolume(volume.Name!, PluginName, path, ReadOnly: false, IsFile: IsFile(path)));
    }

    /// <summary>Whether a path is something other than a directory (a file, socket or device is mounted as such).</summary>
    public static bool IsFile(string path)
    {
        try
        {
            return FileTypes.Of(path) is { } type && type != FileTypes.Directory;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Upstream's hostPath type check, with its messages.</summary>
    /// <exception cref="VolumeSetupError">The path is not what the type asks for.</exception>
    public static void Check(string path, string type)
    {
        switch (type)
        {
            case "":
                return;
            case "DirectoryOrCreate" when !Exists(path):
                Directory.CreateDirectory(path);
                UnixModes.Set(path, Projection.Modes.Directory);
                return;
            case "DirectoryOrCreate" or "Directory":
                Matches(path, FileTypes.Directory, "directory");
                return;
            case "FileOrCreate" when !Exists(path):
                // Like upstream: an empty 0644 file, its parent directory is not created.
                try
                {
                    using (File.Open(path, FileMode.CreateNew, FileAccess.Write))
                    {
                    }

                    UnixModes.Set(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                }
                catch (IOException e)
                {
                    throw new VolumeSetupError($"open {path}: {e.Message}");
                }

                return;
            case "FileOrCreate" or "File":
                Matches(path, FileTypes.File, "file");
                return;
            case "Socket":
                Matches(path, FileTypes.Socket, "socket file");
                return;
            case "CharDevice":
                Matches(path, FileTypes.CharDevice, "character device");
                return;
            case "BlockDevice":
                Matches(path, FileTypes.BlockDevice, "block device");
                return;
            default:
                throw new VolumeSetupError($"{type} is an invalid volume type");
        }
    }

    private static bool Exists(string path) => Libc.FileMode(path) is not null;

    private static void Matches(string path, string expected, string description)
    {
        string? actual;
        try
        {
            actual = FileTypes.Of(path);
        }
        catch (IOException e)
        {
            throw new VolumeSetupError($"hostPath type check failed, {path} is not a {description}, unable to determine its type: {e.Message}");
        }

        if (actual is null)
        {
            throw new VolumeSetupError($"hostPath {path} doesn't exist");
        }

        if (actual != expected)
        {
            throw new VolumeSetupError($"hostPath type check failed: {path} is not a {description}, it's a {actual}");
        }
    }
}
