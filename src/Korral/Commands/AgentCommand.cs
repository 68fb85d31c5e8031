using System.Diagnostics;
using System.Net;
using Korral.Cli;
using Korral.Client;
using Korral.Kubelet.Hosting;
using Korral.Kubelet.Join;

namespace Korral.Commands;

/// <summary>`korral agent`: join this machine to a cluster as a node (flags after k3s's agent).</summary>
public static class AgentCommand
{
    public const string Usage = """
        Usage: korral agent --server URL --token TOKEN [flags]

        Flags:
          --server URL                       the server to join, e.g. https://10.0.0.1:6443
          --token TOKEN                      the server's node token (its data dir's token file: K10<ca hash>::server:<secret>)
          --token-file PATH                  read the token from this file
        """ + AgentFlags.Usage;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var flags = Flags.Parse(args, new HashSet<string>(["server", "token", "token-file", .. AgentFlags.ValueFlags]), new HashSet<string> { "help" });
        if (flags.IsSet("help"))
        {
            Console.WriteLine(Usage);
            return 0;
        }

        var server = flags.Get("server") ?? throw new UsageException("--server is required (the URL of a korral server)");
        if (!Uri.TryCreate(server, UriKind.Absolute, out var serverUrl) || serverUrl.Scheme != "https")
        {
            throw new UsageException($"--server \"{server}\" is not an https URL");
        }

        var token = flags.Get("token") ?? (flags.Get("token-file") is { } file ? (await File.ReadAllTextAsync(file, cancellationToken)).Trim() : null)
            ?? throw new UsageException("--token or --token-file is required (the server's data dir holds it in the file \"token\")");
        static void Log(string message) => Console.WriteLine($"{DateTimeOffset.Now:HH:mm:ss.fff} {message}");
        var options = AgentFlags.Options(flags, null, Log);
        if (Environment.UserName != "root")
        {
            throw new UsageException("the node agent runs containers through containerd and needs root");
        }

        var addresses = new List<IPAddress> { IPAddress.Parse(options.NodeIp ?? Korral.Kubelet.Nodes.MachineInfo.PrimaryAddress()) };
        Log($"joining {serverUrl} as node {options.NodeName}");
        // As k3s's agent: a server that cannot be reached yet is waited for (a refused token is not: NodeJoinException).
        using var credentials = await WhenReachableAsync(() => new NodeJoinClient(Log).LoadOrJoinAsync(serverUrl, token, options.NodeName, addresses,
            NodeCredentialStore.DefaultDirectory(options.DataDir), cancellationToken), Log, cancellationToken);
        using var client = new KubeClient(credentials.ClientOptions(serverUrl) with { Log = Log });
        await using var agent = await WhenReachableAsync(() => NodeAgent.StartAsync(client, options with { ServingCertificate = credentials.ServingCertificate },
            credentials.Authority, cancellationToken), Log, cancellationToken);
        Log($"korral agent is ready in {clock.ElapsedMilliseconds} ms: node {options.NodeName}");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        Log("shutting down");
        return 0;
    }

    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    private static async Task<T> WhenReachableAsync<T>(Func<Task<T>> attempt, Action<string> log, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await attempt();
            }
            catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
            {
                log($"waiting for the server: {e.Message}; trying again in {RetryInterval.TotalSeconds} s");
            }
            catch (KubeApiException e) when (e.Code >= 500 && !cancellationToken.IsCancellationRequested)
            {
                log($"waiting for the server: {e.Message}; trying again in {RetryInterval.TotalSeconds} s");
            }

            await Task.Delay(RetryInterval, cancellationToken);
        }
    }
}
