using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Korral.Bench.Cluster;

// Controller manager benchmark: `korral server --simulated-nodes N`, a Deployment of R replicas created, rolled to a new
// image and deleted with background propagation; each phase timed from the request to the condition seen on a watch.
string? serverBinary = null;
var nodes = 100;
var replicas = 1000;
var phaseTimeout = TimeSpan.FromMinutes(5);
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--server-binary": serverBinary = args[++i]; break;
        case "--nodes": nodes = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--replicas": replicas = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--phase-timeout-seconds": phaseTimeout = TimeSpan.FromSeconds(int.Parse(args[++i], CultureInfo.InvariantCulture)); break;
        default:
            Console.Error.WriteLine("usage: Korral.Bench.Controllers [--server-binary PATH] [--nodes 100] [--replicas 1000] [--phase-timeout-seconds 300]");
            return 2;
    }
}

var binary = ServerBinary.Find(serverBinary);
Console.Error.WriteLine($"server: {binary.Path}; {nodes} simulated nodes; {replicas} replicas");
await using var server = await ServerProcess.StartAsync(binary, ["--simulated-nodes", nodes.ToString(CultureInfo.InvariantCulture)], HttpVersion.Version20, CancellationToken.None);
using var api = new ApiClient(server.Kubeconfig, HttpVersion.Version20);
const string Ns = "bench-controllers";
const string Name = "web";
var deployments = $"/apis/apps/v1/namespaces/{Ns}/deployments";
var rows = new List<(string Phase, string Result, TimeSpan Elapsed, string Detail, long RssBytes)>();
var failed = false;

(await api.CreateAsync("/api/v1/namespaces", Encoding.UTF8.GetBytes($$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{Ns}}}"}}"""), CancellationToken.None)).Dispose();

// 1. Create → all replicas available.
var body = """
    {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"NAME"},
     "spec":{"replicas":REPLICAS,"selector":{"matchLabels":{"app":"NAME"}},
       "template":{"metadata":{"labels":{"app":"NAME"}},"spec":{"containers":[{"name":"web","image":"nginx:1.26"}]}}}}
    """.Replace("NAME", Name, StringComparison.Ordinal).Replace("REPLICAS", replicas.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
var clock = Stopwatch.StartNew();
string rv;
using (var created = await api.CreateAsync(deployments, Encoding.UTF8.GetBytes(body), CancellationToken.None))
{
    rv = created.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString()!;
}

var (ok, last, milestones) = await WaitForDeploymentAsync(rv, 1, clock);
Record("create → all available", ok, clock.Elapsed, $"{last}; {milestones}");

// 2. Image change → fully rolled out (rollout status's condition: observed, all updated, all available, no old pods).
if (ok)
{
    clock.Restart();
    var patch = new StringContent("""{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}""", Encoding.UTF8);
    patch.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
    using var patched = await api.Http.PatchAsync($"{deployments}/{Name}", patch);
    var patchedJson = JsonNode.Parse(await patched.Content.ReadAsStringAsync())!;
    if (patched.StatusCode != HttpStatusCode.OK)
    {
        throw new InvalidOperationException($"PATCH: {(int)patched.StatusCode} {patchedJson.ToJsonString()}");
    }

    var generation = patchedJson["metadata"]!["generation"]!.GetValue<long>();
    (ok, last, milestones) = await WaitForDeploymentAsync(patchedJson["metadata"]!["resourceVersion"]!.GetValue<string>(), generation, clock);
    Record("rolling update → rolled out", ok, clock.Elapsed, $"{last}; {milestones}");
}

// 3. DELETE with background propagation → every pod gone (the garbage collector deletes the ReplicaSets, then their pods).
{
    var (podNames, podsRv) = await ListPodsAsync();
    clock.Restart();
    using var request = new HttpRequestMessage(HttpMethod.Delete, $"{deployments}/{Name}")
    {
        Content = new StringContent("""{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Background"}""", Encoding.UTF8, "application/json"),
    };
    using var deleted = await api.Http.SendAsync(request);
    if (!deleted.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"DELETE: {(int)deleted.StatusCode} {await deleted.Content.ReadAsStringAsync()}");
    }

    var start = podNames.Count;
    var half = TimeSpan.Zero;
    var done = podNames.Count == 0 || await WatchAsync($"/api/v1/namespaces/{Ns}/pods", podsRv, (type, obj) =>
    {
        var podName = obj.GetProperty("metadata").GetProperty("name").GetString()!;
        if (type == "DELETED")
        {
            podNames.Remove(podName);
        }
        else if (type == "ADDED")
        {
            podNames.Add(podName);
        }

        if (half == TimeSpan.Zero && podNames.Count <= start / 2)
        {
            half = clock.Elapsed;
        }

        return podNames.Count == 0;
    }, phaseTimeout);
    Record("delete (background) → all pods gone", done, clock.Elapsed, $"{start} pods at the DELETE, {podNames.Count} left; half gone at {Seconds(half)}");
}

var peak = server.ReadMemory("VmHWM");
await server.StopAsync();

var table = new StringBuilder();
table.AppendLine(CultureInfo.InvariantCulture, $"Deployment of {replicas} replicas on {nodes} simulated nodes ({binary.Path})");
table.AppendLine();
table.AppendLine("| phase | result | time | server RSS after | detail |");
table.AppendLine("|---|---|---:|---:|---|");
foreach (var row in rows)
{
    table.AppendLine(CultureInfo.InvariantCulture, $"| {row.Phase} | {row.Result} | {Seconds(row.Elapsed)} | {row.RssBytes / (1024 * 1024)} MiB | {row.Detail} |");
}

table.AppendLine();
table.AppendLine(CultureInfo.InvariantCulture, $"Server peak RSS (VmHWM): {peak / (1024 * 1024)} MiB");
Console.WriteLine(table);
return failed ? 1 : 0;

void Record(string phase, bool success, TimeSpan elapsed, string detail)
{
    failed |= !success;
    rows.Add((phase, success ? "ok" : $"TIMED OUT ({phaseTimeout.TotalSeconds:0} s)", elapsed, detail, server.ReadMemory("VmRSS")));
    Console.Error.WriteLine($"{phase}: {(success ? "ok" : "timed out")} in {Seconds(elapsed)} ({detail})");
}

static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

// Watches the Deployment until its status shows a finished rollout of `generation`; notes when 10/50/90 % were available.
async Task<(bool Ok, string Last, string Milestones)> WaitForDeploymentAsync(string fromRv, long generation, Stopwatch phaseClock)
{
    var last = "";
    var marks = new SortedDictionary<int, TimeSpan>();
    var ok = await WatchAsync($"{deployments}?fieldSelector=metadata.name%3D{Name}", fromRv, (_, obj) =>
    {
        var status = obj.TryGetProperty("status", out var s) ? s : default;
        long Field(string field) => status.ValueKind == JsonValueKind.Object && status.TryGetProperty(field, out var v) ? v.GetInt64() : 0;
        var (observed, total, updated, available) = (Field("observedGeneration"), Field("replicas"), Field("updatedReplicas"), Field("availableReplicas"));
        last = $"replicas {total}, updated {updated}, available {available}";
        foreach (var percent in new[] { 10, 50, 90 })
        {
            if (observed >= generation && updated * 100 >= replicas * percent && available * 100 >= replicas * percent)
            {
                marks.TryAdd(percent, phaseClock.Elapsed);
            }
        }

        return observed >= generation && total == replicas && updated == replicas && available == replicas;
    }, phaseTimeout);
    return (ok, last, string.Join(", ", marks.Select(m => $"{m.Key} % at {Seconds(m.Value)}")));
}

async Task<(HashSet<string> Names, string Rv)> ListPodsAsync()
{
    using var list = await api.GetJsonAsync($"/api/v1/namespaces/{Ns}/pods", CancellationToken.None);
    var names = list.RootElement.GetProperty("items").EnumerateArray()
        .Select(p => p.GetProperty("metadata").GetProperty("name").GetString()!).ToHashSet(StringComparer.Ordinal);
    return (names, list.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString()!);
}

// Follows a watch from `fromRv` (reconnecting from the last event if the server ends it) until `done` says so or time runs out.
async Task<bool> WatchAsync(string path, string fromRv, Func<string, JsonElement, bool> done, TimeSpan timeout)
{
    using var cancel = new CancellationTokenSource(timeout);
    var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
    try
    {
        while (true)
        {
            using var response = await api.Http.GetAsync($"{path}{separator}watch=1&allowWatchBookmarks=true&resourceVersion={fromRv}",
                HttpCompletionOption.ResponseHeadersRead, cancel.Token);
            response.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
            while (await reader.ReadLineAsync(cancel.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                using var ev = JsonDocument.Parse(line);
                var type = ev.RootElement.GetProperty("type").GetString()!;
                var obj = ev.RootElement.GetProperty("object");
                if (type == "ERROR")
                {
                    throw new InvalidOperationException($"watch {path}: {obj}");
                }

                fromRv = obj.GetProperty("metadata").GetProperty("resourceVersion").GetString()!;
                if (type != "BOOKMARK" && done(type, obj))
                {
                    return true;
                }
            }
        }
    }
    catch (OperationCanceledException) when (cancel.IsCancellationRequested)
    {
        return false;
    }
}
