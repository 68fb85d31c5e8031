using Korral.Cli;
using Korral.Commands;

const string usage = """
    korral: a Kubernetes-compatible cluster in one binary.

    Usage: korral <command> [flags]

    Commands:
      server       run an all-in-one server (API server, store, controller manager, scheduler, and a node)
      agent        join this machine to a cluster as a node
      scheduler    run a scheduler against a cluster (e.g. a second scheduler with its own name)
      kubeconfig   print an admin kubeconfig for a server's data dir
      image        load image archives into a node's image store, list them (load, ls)
      version      print the version

    Run `korral <command> --help` for a command's flags.
    """;

using var shutdown = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    shutdown.Cancel();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx =>
{
    ctx.Cancel = true;
    shutdown.Cancel();
});

try
{
    return args.FirstOrDefault() switch
    {
        "server" => await ServerCommand.RunAsync(args[1..], shutdown.Token),
        "agent" => await AgentCommand.RunAsync(args[1..], shutdown.Token),
        "scheduler" => await SchedulerCommand.RunAsync(args[1..], shutdown.Token),
        "kubeconfig" => KubeconfigCommand.Run(args[1..]),
        "image" => await ImageCommand.RunAsync(args[1..], shutdown.Token),
        "version" => PrintVersion(),
        null or "help" or "--help" or "-h" => PrintUsage(0),
        var other => throw new UsageException($"unknown command \"{other}\""),
    };
}
catch (Korral.Kubelet.Join.NodeJoinException e)
{
    // A refused join (wrong token, another cluster's CA) is the user's to fix: say why, without a stack trace.
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
catch (UsageException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine();
    Console.Error.WriteLine(usage);
    return 2;
}

int PrintUsage(int code)
{
    Console.WriteLine(usage);
    return code;
}

static int PrintVersion()
{
    Console.WriteLine($"korral {typeof(ServerCommand).Assembly.GetName().Version} (Kubernetes API {Korral.ApiServer.Discovery.VersionInfo.KubernetesVersion})");
    return 0;
}
