using System.Diagnostics;
using System.Net;
using Korral.ApiServer.Adapters;
using Korral.ApiServer.Hosting;
using Korral.Cli;
using Korral.Kubeconfig;
using Korral.Storage.Sqlite;

namespace Korral.Commands;

/// <summary>`korral server`: an all-in-one control plane on this machine (flags after k3s).</summary>
public static class ServerCommand
{
    public const string Usage = """
        Usage: korral server [flags]

        Flags:
          --data-dir DIR                     state and certificates (default /var/lib/korral/server as root, ~/.korral/server otherwise)
          --https-listen-port PORT           HTTPS port of the API server (default 6443)
          --bind-address ADDR                address to listen on (default 0.0.0.0)
          --advertise-address ADDR           address other machines reach this server at
          --write-kubeconfig PATH            where to write the admin kubeconfig (default /etc/korral/korral.yaml as root, ~/.korral/korral.yaml otherwise)
          --tls-san NAME                     extra name or address for the serving certificate (repeatable)
          --service-cluster-ip-range CIDR    service addresses (default 10.96.0.0/12)
          --service-node-port-range RANGE    node ports (default 30000-32767)
          --disable-controller-manager       do not run the controller manager in this process
          --controllers LIST                 controllers to run, comma-separated: * (all, the default), NAME, -NAME (as kube-controller-manager)
          --disable-scheduler                do not run the scheduler in this process (another scheduler, e.g. `korral scheduler`, binds pods)
          --simulated-nodes N                run N simulated nodes (sim-node-0…) in this process: pods "start" without containers
          --simulated-zones N                label the simulated nodes with N zones (topology.kubernetes.io/zone zone-0…), round-robin
          --cluster-cidr CIDR                pod addresses; each node gets a /24 of it (default 10.42.0.0/16)
          --token SECRET                     the node join token's secret (default: generated at first start into DATA-DIR/token)

        Node agent (the server is also a node unless --disable-agent):
          --disable-agent                    run no node agent (no containers) in this process
        """ + AgentFlags.Usage;

    private static readonly HashSet<string> ValueFlags =
    [
        "data-dir", "https-listen-port", "bind-address", "advertise-address", "write-kubeconfig", "tls-san",
        "service-cluster-ip-range", "service-node-port-range", "controllers", "simulated-nodes", "simulated-zones", "cluster-cidr", "token",
        .. AgentFlags.ValueFlags,
    ];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        static void Log(string message) => Console.WriteLine($"{DateTimeOffset.Now:HH:mm:ss.fff} {message}");
        var flags = Flags.Parse(args, ValueFlags, new HashSet<string> { "help", "disable-controller-manager", "disable-scheduler", "disable-agent" });
        if (flags.IsSet("help"))
        {
            Console.WriteLine(Usage);
            return 0;
        }

        var root = Environment.UserName == "root";
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var dataDir = flags.Get("data-dir") ?? (root ? "/var/lib/korral/server" : Path.Combine(home, ".korral", "server"));
        var kubeconfigPath = flags.Get("write-kubeconfig") ?? (root ? "/etc/korral/korral.yaml" : Path.Combine(home, ".korral", "korral.yaml"));
        var options = new ApiServerOptions
        {
            DataDir = dataDir,
            Port = flags.GetInt("https-listen-port", 6443),
            BindAddress = ParseAddress(flags.Get("bind-address") ?? "0.0.0.0", "bind-address"),
            AdvertiseAddress = flags.Get("advertise-address") is { } a ? ParseAddress(a, "advertise-address") : null,
            TlsSans = flags.GetAll("tls-san"),
            ServiceClusterIpRange = flags.Get("service-cluster-ip-range") ?? "10.96.0.0/12",
            ServiceNodePortRange = flags.Get("service-node-port-range") ?? "30000-32767",
            Token = flags.Get("token"),
        };
        var components = new InProcessComponents.Settings(
            ControllerManager: !flags.IsSet("disable-controller-manager"),
            Controllers: flags.GetAll("controllers").SelectMany(c => c.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList(),
            SimulatedNodes: flags.GetInt("simulated-nodes", 0),
            Scheduler: !flags.IsSet("disable-scheduler"),
            SimulatedZones: flags.GetInt("simulated-zones", 0),
            ClusterCidr: flags.Get("cluster-cidr") ?? "10.42.0.0/16",
            Agent: flags.IsSet("disable-agent")
                ? null
                : AgentFlags.Options(flags, flags.Get("data-dir") is { } d ? Path.Combine(d, "agent") : null, Log,
                    new Dictionary<string, string> { ["node-role.kubernetes.io/control-plane"] = "true", ["node-role.kubernetes.io/master"] = "true" }));
        var errors = options.Validate().ToList();
        errors.AddRange(new Korral.Controllers.Manager.ControllerManagerOptions
        {
            Controllers = components.Controllers.Count > 0 ? components.Controllers : ["*"],
            ClusterCidr = components.ClusterCidr,
        }.Validate(Korral.Controllers.Manager.ControllerRegistry.All.Select(c => c.Name)));

        if (components.SimulatedNodes < 0)
        {
            errors.Add($"--simulated-nodes must not be negative (got {components.SimulatedNodes})");
        }

        if (components.SimulatedZones < 0)
        {
            errors.Add($"--simulated-zones must not be negative (got {components.SimulatedZones})");
        }

        if (components.Agent is not null && Environment.UserName != "root")
        {
            errors.Add("the node agent runs containers through containerd and needs root: run as root, or pass --disable-agent");
        }

        if (errors.Count > 0)
        {
            throw new UsageException(string.Join("\n", errors));
        }

        Log($"starting korral server (data dir {dataDir})");
        Directory.CreateDirectory(dataDir);
        var store = await SqliteStore.OpenAsync(new SqliteStoreOptions
        {
            DatabasePath = Path.Combine(dataDir, "db", "state.db"),
            Log = Log,
        }, cancellationToken);
        Log($"store open at revision {await store.GetCurrentRevisionAsync(cancellationToken)} ({clock.ElapsedMilliseconds} ms)");

        var server = await ApiServerHost.StartAsync(options, store, DefaultParts.Create(), Log, cancellationToken);
        var kubeconfig = KubeconfigWriter.Render(server.Url, server.Certificates.Authority, AdminCertificate.LoadOrIssue(server, dataDir));
        KubeconfigWriter.Write(kubeconfigPath, kubeconfig);
        Log($"wrote kubeconfig to {kubeconfigPath}");
        var running = await InProcessComponents.StartAsync(server, components, Log, cancellationToken);
        Log($"korral is ready in {clock.ElapsedMilliseconds} ms: KUBECONFIG={kubeconfigPath} kubectl get ns");

        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        Log("shutting down");
        await running.DisposeAsync();
        await server.DisposeAsync();
        await store.DisposeAsync();
        return 0;
    }

    private static IPAddress ParseAddress(string value, string flag) =>
        IPAddress.TryParse(value, out var ip) ? ip : throw new UsageException($"--{flag} \"{value}\" is not an IP address");
}
