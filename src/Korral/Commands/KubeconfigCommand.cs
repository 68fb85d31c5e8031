using System.Security.Cryptography.X509Certificates;
using Korral.ApiServer.Security;
using Korral.Cli;
using Korral.Kubeconfig;

namespace Korral.Commands;

/// <summary>`korral kubeconfig`: prints an admin kubeconfig for a server's data dir (like `k3s kubectl config view --raw`).</summary>
public static class KubeconfigCommand
{
    public const string Usage = """
        Usage: korral kubeconfig [--data-dir DIR] [--server URL]

        Prints an admin kubeconfig for the cluster whose state is in DIR.
        """;

    public static int Run(IReadOnlyList<string> args)
    {
        var flags = Flags.Parse(args, new HashSet<string> { "data-dir", "server" }, new HashSet<string> { "help" });
        if (flags.IsSet("help"))
        {
            Console.WriteLine(Usage);
            return 0;
        }

        var root = Environment.UserName == "root";
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var dataDir = flags.Get("data-dir") ?? (root ? "/var/lib/korral/server" : Path.Combine(home, ".korral", "server"));
        var tls = Path.Combine(dataDir, "tls");
        if (!File.Exists(Path.Combine(tls, "ca.crt")))
        {
            Console.Error.WriteLine($"error: no cluster in {dataDir}: start one with `korral server --data-dir {dataDir}`");
            return 1;
        }

        var (certificates, _) = ClusterCertificates.LoadOrCreate(tls, DateTimeOffset.UtcNow);
        var client = ClusterCertificates.TryLoad(Path.Combine(tls, "client-admin.crt"), Path.Combine(tls, "client-admin.key"), DateTimeOffset.UtcNow);
        if (client is null)
        {
            client = certificates.IssueClient("system:admin", ["system:masters"], DateTimeOffset.UtcNow);
            ClusterCertificates.Save(client, Path.Combine(tls, "client-admin.crt"), Path.Combine(tls, "client-admin.key"));
        }

        var server = new Uri(flags.Get("server") ?? "https://127.0.0.1:6443");
        Console.Write(KubeconfigWriter.Render(server, certificates.Authority, client));
        return 0;
    }
}
