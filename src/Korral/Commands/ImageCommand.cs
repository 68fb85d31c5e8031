using Korral.Cli;
using Korral.Kubelet.Hosting;
using Korral.Kubelet.Images.Mirror;

namespace Korral.Commands;

/// <summary>
/// `korral image`: the node's own image store, which its embedded registry mirror serves to containerd
/// (`korral image load` is k3s's air-gap image import, done by hand; a running node sees loaded images at once).
/// </summary>
public static class ImageCommand
{
    public const string Usage = """
        Usage: korral image <subcommand> [flags]

        Subcommands:
          load [--data-dir DIR] [--base-name NAME] ARCHIVE...   import image archives (docker save or OCI layout tars, optionally gzip-compressed)
          ls [--data-dir DIR]                                    list the images in the store

        Flags:
          --data-dir DIR     the node's agent data dir (default /var/lib/korral/agent as root, ~/.korral/agent otherwise;
                             for `korral server --data-dir D` it is D/agent); --agent-data-dir is the same flag
          --base-name NAME   repository for OCI archives that name images only by tag (e.g. docker.io/library/app)
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var flags = Flags.Parse(args, new HashSet<string> { "data-dir", "agent-data-dir", "base-name" }, new HashSet<string> { "help" });
        if (flags.IsSet("help") || flags.Positional.Count == 0)
        {
            Console.WriteLine(Usage);
            return flags.IsSet("help") ? 0 : 2;
        }

        var dataDir = flags.Get("data-dir") ?? flags.Get("agent-data-dir") ?? NodeAgentOptions.DefaultDataDir();
        var operands = flags.Positional.Skip(1).ToList();
        return flags.Positional[0] switch
        {
            "load" => await LoadAsync(dataDir, flags.Get("base-name"), operands, cancellationToken),
            "ls" or "list" => operands.Count == 0 ? List(dataDir) : throw new UsageException("korral image ls takes no arguments"),
            var other => throw new UsageException($"unknown image subcommand \"{other}\""),
        };
    }

    private static async Task<int> LoadAsync(string dataDir, string? baseName, IReadOnlyList<string> archives, CancellationToken cancellationToken)
    {
        if (archives.Count == 0)
        {
            throw new UsageException("korral image load needs at least one archive");
        }

        var missing = archives.Where(a => !File.Exists(a)).ToList();
        if (missing.Count > 0)
        {
            foreach (var archive in missing)
            {
                Console.Error.WriteLine($"error: {archive}: no such file");
            }

            return 1;
        }

        var importer = new ArchiveImporter(new ImageStore(ImageStore.DefaultDirectory(dataDir)));
        var failed = false;
        foreach (var archive in archives)
        {
            try
            {
                foreach (var image in await importer.ImportAsync(archive, baseName, cancellationToken))
                {
                    Console.WriteLine($"loaded {image.Reference} ({image.Target.Digest})");
                }
            }
            catch (ImageArchiveException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                failed = true;
            }
        }

        return failed ? 1 : 0;
    }

    private static int List(string dataDir)
    {
        var directory = ImageStore.DefaultDirectory(dataDir);
        var images = Directory.Exists(directory) ? new ImageStore(directory).ListImages() : [];
        var rows = images.OrderBy(i => i.Reference.ToString(), StringComparer.Ordinal)
            .Select(i => (Name: i.Reference.ToString(), i.Target.Digest, Size: i.Target.Size)).ToList();
        var width = Math.Max("REFERENCE".Length, rows.Count == 0 ? 0 : rows.Max(r => r.Name.Length));
        Console.WriteLine($"{"REFERENCE".PadRight(width)}   DIGEST");
        foreach (var row in rows)
        {
            Console.WriteLine($"{row.Name.PadRight(width)}   {row.Digest}");
        }

        return 0;
    }
}
