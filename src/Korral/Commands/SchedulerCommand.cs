using Korral.Cli;
using Korral.Client;
using Korral.Scheduler.Hosting;
using Korral.Scheduler.Scheduling;

namespace Korral.Commands;

/// <summary>
/// `korral scheduler`: the scheduler as its own process against any cluster (flags after kube-scheduler's). With
/// <c>--scheduler-name</c> it schedules only pods that ask for it by <c>spec.schedulerName</c>, beside the default one.
/// </summary>
public static class SchedulerCommand
{
    public const string Usage = """
        Usage: korral scheduler --kubeconfig PATH [flags]

        Flags:
          --kubeconfig PATH                     credentials of the scheduler (a kubeconfig file)
          --scheduler-name NAME                 schedule pods with this spec.schedulerName (default default-scheduler)
          --leader-elect BOOL                   campaign for a Lease before scheduling (default true)
          --leader-elect-resource-name NAME     the Lease's name (default kube-scheduler, or the scheduler name when set)
          --leader-elect-resource-namespace NS  the Lease's namespace (default kube-system)
          --percentage-of-nodes-to-score N      0 (adaptive, the default) to 100
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var flags = Flags.Parse(args,
            new HashSet<string> { "kubeconfig", "scheduler-name", "leader-elect-resource-name", "leader-elect-resource-namespace", "percentage-of-nodes-to-score" },
            new HashSet<string> { "help", "leader-elect" });
        if (flags.IsSet("help"))
        {
            Console.WriteLine(Usage);
            return 0;
        }

        var kubeconfig = flags.Get("kubeconfig") ?? Environment.GetEnvironmentVariable("KUBECONFIG")
            ?? throw new UsageException("--kubeconfig is required (or set KUBECONFIG)");
        var name = flags.Get("scheduler-name") ?? Scheduler.Runtime.SchedulingFramework.DefaultSchedulerName;
        void Log(string message) => Console.WriteLine($"{DateTimeOffset.Now:HH:mm:ss.fff} {message}");
        var scheduler = new SchedulerOptions
        {
            SchedulerName = name,
            PercentageOfNodesToScore = flags.GetInt("percentage-of-nodes-to-score", 0),
            Log = Log,
        };
        var errors = scheduler.Validate();
        if (errors.Count > 0)
        {
            throw new UsageException(string.Join("\n", errors));
        }

        var clientOptions = Korral.Client.Kubeconfig.Load(kubeconfig) with { Log = Log };
        using var client = new KubeClient(clientOptions);
        var host = new SchedulerHost(client, new SchedulerHostOptions
        {
            LeaderElect = flags.Get("leader-elect") is not ("false" or "0"),
            LeaseName = flags.Get("leader-elect-resource-name") ?? (name == Scheduler.Runtime.SchedulingFramework.DefaultSchedulerName ? "kube-scheduler" : name),
            LeaseNamespace = flags.Get("leader-elect-resource-namespace") ?? "kube-system",
            Scheduler = scheduler,
        });
        Log($"scheduler {name}: starting against {clientOptions.Server}");
        await host.RunAsync(cancellationToken);
        return 0;
    }
}
