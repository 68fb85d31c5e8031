using System.Diagnostics;
using System.Globalization;
using Korral.Bench.Proxy;
using Korral.Proxy;
using Korral.Proxy.Iptables;
using Korral.Proxy.Rules;
using Korral.Proxy.Sync;

// Service proxy sync time: N services x M endpoints, rules generated and applied with the real iptables-restore inside a
// private network namespace (root). Usage: Korral.Bench.Proxy [--services 1000] [--endpoints 10] [--runs 5]
var services = Arg("--services", 1000);
var endpoints = Arg("--endpoints", 10);
var runs = Arg("--runs", 5);
var cluster = new SyntheticCluster(services, endpoints);
var options = new ProxyOptions
{
    NodeName = "node-0",
    ClusterCidr = "10.40.0.0/14",
    ServiceCidr = "10.96.0.0/12",
    GuardBridge = null,
    FullSyncPeriod = TimeSpan.FromDays(1),
};

Console.WriteLine($"service proxy sync: {services} services x {endpoints} endpoints, {runs} runs each, {Environment.ProcessorCount} cores");

// Generation alone (no iptables): every service's rules and the restore text of a full sync.
var generator = new RuleGenerator(options.Rules);
var writer = new RestoreWriter(options.Rules);
var allServices = cluster.ServiceKeys().Select(k => cluster.Service(k)!).ToList();
var allSlices = cluster.ServiceKeys().SelectMany(cluster.SlicesOf).ToList();
string text = "";
var generate = Measure(runs, () => text = writer.Write(new RestoreInput { Services = generator.ForAll(allServices, allSlices), InsertJumps = JumpRule.For(options.Rules) }));
var lines = text.Count(c => c == '\n');
Report("generate full restore text (in memory)", generate, $"{text.Length / 1024} KiB, {lines} lines");
if (Array.IndexOf(args, "--dump") is var dump and >= 0 && dump + 1 < args.Length)
{
    await File.WriteAllTextAsync(args[dump + 1], text);
    return 0;
}

using var netns = await PrivateNamespace.StartAsync();
var runner = new ProcessCommandRunner(netns.Prefix);
var iptables = new IptablesClient(runner);
var syncer = new ProxySyncer(options, iptables, null);

var first = await syncer.SyncAsync(cluster, CancellationToken.None);
Report("first full sync (empty tables)", [first.Generate + first.Apply], Split(first));

var fulls = new List<SyncResult>();
for (var i = 0; i < runs; i++)
{
    syncer.RequestFullSync();
    fulls.Add(await syncer.SyncAsync(cluster, CancellationToken.None));
}

Report("full sync (chains in place)", fulls.Select(r => r.Generate + r.Apply).ToList(), Split(fulls[^1]));

var partials = new List<SyncResult>();
for (var i = 0; i < runs; i++)
{
    syncer.MarkChanged(cluster.ReplaceOneEndpoint(index: 17 + i, endpoints, generation: i + 1));
    partials.Add(await syncer.SyncAsync(cluster, CancellationToken.None));
}

Report("one endpoint changed (partial sync)", partials.Select(r => r.Generate + r.Apply).ToList(), Split(partials[^1]));

var idle = new List<SyncResult>();
for (var i = 0; i < runs; i++)
{
    idle.Add(await syncer.SyncAsync(cluster, CancellationToken.None));
}

Report("periodic sync, nothing changed", idle.Select(r => r.Generate + r.Apply).ToList(), Split(idle[^1]));

var save = Measure(runs, () => iptables.SaveAsync(options.ChainPrefix, CancellationToken.None).GetAwaiter().GetResult());
Report("iptables-save + parse (full syncs read it)", save, "");
return 0;

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static List<TimeSpan> Measure(int runs, Action action)
{
    action();
    var result = new List<TimeSpan>();
    for (var i = 0; i < runs; i++)
    {
        var started = Stopwatch.GetTimestamp();
        action();
        result.Add(Stopwatch.GetElapsedTime(started));
    }

    return result;
}

static string Split(SyncResult r) =>
    $"generate {r.Generate.TotalMilliseconds:F0} ms + apply {r.Apply.TotalMilliseconds:F0} ms; {r.ServicesRewritten} services' chains, {r.NatChainsWritten} chains, {r.Bytes / 1024} KiB";

static void Report(string what, IReadOnlyList<TimeSpan> times, string detail)
{
    var sorted = times.Order().ToList();
    var median = sorted[sorted.Count / 2];
    Console.WriteLine($"{what,-44} median {median.TotalMilliseconds,7:F0} ms  (min {sorted[0].TotalMilliseconds:F0}, max {sorted[^1].TotalMilliseconds:F0})  {detail}");
}
