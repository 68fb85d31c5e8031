using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using Korral.Bench.Dns;
using Korral.Dns.Server;

// Cluster DNS benchmark: the server, its index and a fake upstream in this process; clients over loopback UDP/TCP.
DnsBenchOptions options;
try
{
    options = DnsBenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(DnsBenchOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var records = BenchCluster.Build(options.Services);
await using var upstream = new BenchUpstream();
await using var server = await DnsServer.StartAsync(new DnsServerOptions
{
    Listen = [new IPEndPoint(IPAddress.Loopback, 0)],
    Upstreams = [upstream.Endpoint],
    MaxTcpConnections = Math.Max(256, options.Clients * 2),
    Log = line => Console.Error.WriteLine(line),
}, records, cancel.Token);

var results = new List<(LoadResult Result, double CpuCores)>();
foreach (var scenario in Scenario.All(options.Services).Where(s => options.Scenarios.Contains(s.Name)))
{
    var endpoint = scenario.Transport == Korral.Dns.Forwarding.DnsTransport.Udp ? server.UdpEndpoints[0] : server.TcpEndpoints[0];
    Console.Error.WriteLine($"{scenario.Name}: warm-up {options.Warmup.TotalSeconds:F0} s, then {options.Duration.TotalSeconds:F0} s with {options.Clients} clients");
    await LoadGenerator.RunAsync(scenario, endpoint, options.Clients, options.Warmup, cancel.Token);
    GC.Collect();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var result = await LoadGenerator.RunAsync(scenario, endpoint, options.Clients, options.Duration, cancel.Token);
    var cores = (Process.GetCurrentProcess().TotalProcessorTime - cpu) / result.Elapsed;
    results.Add((result, cores));
    Console.Error.WriteLine($"{scenario.Name}: {result.QueriesPerSecond:F0} q/s, p50 {result.P50:F0} µs, p99 {result.P99:F0} µs");
}

var report = new StringBuilder();
report.AppendLine(CultureInfo.InvariantCulture, $"Cluster DNS benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {Environment.ProcessorCount} cores, "
    + $"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, load average {LoadAverage()} at the end; "
    + $"{options.Clients} clients, {options.Services} Services + 100 headless, {options.Duration.TotalSeconds:F0} s per scenario.");
report.AppendLine();
report.AppendLine("| scenario | queries/s | p50 | p90 | p99 | p99.9 | max | answers | timeouts | cores used (server + clients) |");
report.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|");
foreach (var (r, cores) in results)
{
    report.AppendLine(CultureInfo.InvariantCulture,
        $"| {r.Scenario.Name} | **{r.QueriesPerSecond:N0}** | {Us(r.P50)} | {Us(r.P90)} | **{Us(r.P99)}** | {Us(r.P999)} | {Us(r.Max)} | {r.Rcodes}{(r.Truncated > 0 ? $", TC {r.Truncated}" : "")} | {r.Timeouts} | {cores:F2} |");
}

report.AppendLine();
foreach (var (r, _) in results)
{
    report.AppendLine(CultureInfo.InvariantCulture, $"- {r.Scenario.Name}: {r.Scenario.Description}");
}

Console.WriteLine(report);
if (options.Output is { } output)
{
    await File.WriteAllTextAsync(output, report.ToString(), cancel.Token);
}

return 0;

static string Us(double microseconds) => microseconds >= 1000
    ? (microseconds / 1000).ToString("F2", CultureInfo.InvariantCulture) + " ms"
    : microseconds.ToString("F0", CultureInfo.InvariantCulture) + " µs";

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
