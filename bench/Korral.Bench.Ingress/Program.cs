using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Korral.Bench.Ingress;
using Korral.Ingress.Nginx;
using Korral.Ingress.Tls;
using Korral.Ingress.Translation;

// Requests per second straight to a pod and through the ingress controller's nginx in front of it (docs/benchmarks.md "Ingress").
var options = BenchOptions.Parse(args, out var usageError);
if (options is null)
{
    if (usageError is not null)
    {
        Console.Error.WriteLine($"error: {usageError}\n");
    }

    Console.Error.WriteLine(BenchOptions.Usage);
    return usageError is null ? 0 : 2;
}

var nginx = NginxBinary.Find("nginx");
if (nginx is null)
{
    Console.Error.WriteLine("error: nginx is not installed (scripts/install-packages installs it)");
    return 1;
}

var root = Path.Combine(Path.GetTempPath(), "korral-ingress-bench", Guid.NewGuid().ToString("n")[..12]);
Directory.CreateDirectory(Path.Combine(root, "html"));
File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101);
File.SetUnixFileMode(Path.GetDirectoryName(root)!, (UnixFileMode)0b111_101_101);
await File.WriteAllTextAsync(Path.Combine(root, "html", "index.html"), PodNginx.WelcomePage());
void Log(string line) => Console.Error.WriteLine($"{DateTimeOffset.Now:HH:mm:ss} {line}");

var podPort = FreePort();
var (httpPort, httpsPort) = (FreePort(), FreePort());
var podLayout = new NginxLayout(Path.Combine(root, "pod"));
var ingressLayout = new NginxLayout(Path.Combine(root, "ingress"));
await using var pod = new NginxSupervisor(nginx, podLayout, Log, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
await using var ingress = new NginxSupervisor(nginx, ingressLayout, Log, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
try
{
    Check(await pod.ApplyAsync(PodNginx.Configuration(podLayout, Path.Combine(root, "html"), podPort, options.Workers), CancellationToken.None), "pod nginx");

    // Scenario C.2: 05-webapp-ingress.yaml → webapp-service:80 → the pod.
    var objects = new ScenarioObjects(podPort);
    var certificates = new CertificateStore(ingressLayout.CertsDir, (_, _) => null, TimeProvider.System);
    var configuration = IngressTranslator.Translate([objects.Ingress], objects, certificates);
    var text = NginxConfigWriter.Render(configuration, new NginxRenderOptions
    {
        Layout = ingressLayout,
        HttpPort = httpPort,
        HttpsPort = httpsPort,
        ListenAddresses = [IPAddress.Loopback],
        WorkerProcesses = options.Workers,
    });
    Check(await ingress.ApplyAsync(text, CancellationToken.None), "ingress nginx");
    Log($"pod nginx on 127.0.0.1:{podPort} (pid {pod.MasterPid}), ingress nginx on 127.0.0.1:{httpPort} (pid {ingress.MasterPid}), {options.Workers} worker(s) each");

    var rows = new List<(string Path, LoadResult Result, TimeSpan IngressCpu, TimeSpan PodCpu)>();
    foreach (var connections in options.Connections)
    {
        foreach (var (name, port) in new[] { ("straight to the pod", podPort), ("through the ingress", httpPort) })
        {
            var ingressCpu = CpuTime.OfGroup(ingress.MasterPid!.Value);
            var podCpu = CpuTime.OfGroup(pod.MasterPid!.Value);
            var result = await LoadGenerator.RunAsync(port, "mywebapp.example.com", connections, options.Warmup, options.Duration, CancellationToken.None);
            // The CPU deltas include the warm-up; scaled to the measured share of the phase.
            var scale = options.Duration / (options.Duration + options.Warmup);
            rows.Add((name, result, (CpuTime.OfGroup(ingress.MasterPid!.Value) - ingressCpu) * scale, (CpuTime.OfGroup(pod.MasterPid!.Value) - podCpu) * scale));
            Log($"{name}, {connections} connection(s): {result.PerSecond:F0} req/s, p50 {result.P50Ms:F3} ms, p99 {result.P99Ms:F3} ms, {result.Errors} errors");
        }
    }

    var report = Report(rows, options, File.ReadAllText("/proc/loadavg").Trim());
    Console.WriteLine(report);
    if (options.Output is { } output)
    {
        await File.WriteAllTextAsync(output, report);
    }

    return rows.Any(r => r.Result.Errors > 0 || r.Result.Requests == 0) ? 1 : 0;
}
finally
{
    await ingress.StopAsync();
    await pod.StopAsync();
    Directory.Delete(root, recursive: true);
}

static void Check(NginxApplyResult result, string what)
{
    if (result.Outcome != NginxApplyOutcome.Started)
    {
        throw new InvalidOperationException($"{what} did not start: {result.Outcome} {result.Message}");
    }
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static string Report(List<(string Path, LoadResult Result, TimeSpan IngressCpu, TimeSpan PodCpu)> rows, BenchOptions options, string load)
{
    var text = new StringBuilder();
    text.AppendLine(CultureInfo.InvariantCulture, $"{options.Duration.TotalSeconds:F0} s per phase after {options.Warmup.TotalSeconds:F0} s of warm-up, {options.Workers} nginx worker(s) each; load average after: {load}");
    text.AppendLine();
    text.AppendLine("| path | connections | requests/s | vs. straight | p50 ms | p99 ms | errors | CPU client | CPU ingress nginx | CPU pod nginx | ingress CPU µs/request |");
    text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var group in rows.GroupBy(r => r.Result.Connections))
    {
        var straight = group.First().Result.PerSecond;
        foreach (var (path, result, ingressCpu, podCpu) in group)
        {
            var seconds = result.Elapsed.TotalSeconds;
            var perRequest = path.StartsWith("through", StringComparison.Ordinal) ? $"{ingressCpu.TotalMicroseconds / result.Requests:F0}" : "–";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {path} | {result.Connections} | {result.PerSecond:F0} | {result.PerSecond / straight:P0} | {result.P50Ms:F3} | {result.P99Ms:F3} | {result.Errors} | " +
                $"{result.ClientCpu.TotalSeconds / seconds:P0} | {ingressCpu.TotalSeconds / seconds:P0} | {podCpu.TotalSeconds / seconds:P0} | {perRequest} |");
        }
    }

    text.AppendLine();
    text.AppendLine("CPU columns: share of one core during the measured time (2 cores = 200 %).");
    return text.ToString();
}
