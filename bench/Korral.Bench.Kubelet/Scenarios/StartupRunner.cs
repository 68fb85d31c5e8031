using System.Globalization;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Bench.Kubelet.Cluster;
using Korral.Bench.Kubelet.Measurement;
using Korral.Bench.Kubelet.Reporting;
using Korral.Client;

namespace Korral.Bench.Kubelet.Scenarios;

/// <summary>
/// Creates, watches and deletes the measured pods on the one node: a warm-up pod per variant (pulls the image and the
/// sandbox image, JIT-compiles the paths), then per variant N single pods one after the other and a batch created at
/// once. Every scenario ends with its pods deleted, gone, their sandboxes removed from containerd and their volumes unmounted, so the next one
/// starts on an idle node.
/// </summary>
public sealed class StartupRunner(AgentServer server, PodWatch watch, PodStartupOptions options, BenchLog log)
{
    public const string Namespace = "pod-startup-bench";
    public const string AppLabel = "pod-startup-bench";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private KubeClient Client => server.Client;

    /// <summary>Creates the namespace and waits for its default ServiceAccount (pods are refused until it exists).</summary>
    public static async Task PrepareNamespaceAsync(KubeClient client, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await client.Resource<Namespace>().CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = Namespace } }, cancellationToken);
        }
        catch (KubeApiException e) when (e.IsAlreadyExists)
        {
        }

        await PollAsync(async ct => await client.Resource<ServiceAccount>().TryGetAsync(Namespace, "default", ct) is not null,
            timeout, "the namespace's default ServiceAccount", cancellationToken);
    }

    /// <summary>One pod, started and deleted, not measured: the image, the pause image and the code paths are warm afterwards.</summary>
    public async Task WarmUpAsync(PullPolicyVariant variant, CancellationToken cancellationToken)
    {
        var pod = Timeline($"warmup-{variant.Key}", "warm-up", variant);
        await CreateAsync(pod, variant, cancellationToken);
        await watch.WaitAsync(() => pod.Running is not null, options.Timeout, $"warm-up pod {pod.Name} running", cancellationToken);
        await DeleteAsync(pod, cancellationToken);
        await watch.WaitAsync(() => pod.Gone is not null, options.Timeout, $"warm-up pod {pod.Name} gone", cancellationToken);
        await WaitForIdleRuntimeAsync(cancellationToken);
        log.Progress(Inv($"warm-up {variant.Key}: running after {Ms(pod.Startup)} ms, gone after {Ms(pod.DeleteToGone)} ms"));
    }

    /// <summary>
    /// A few pods at once, not measured: without it the first measured batch paid for JIT-compiling the concurrent paths
    /// (its create → scheduled took 180–320 ms at the median, the second batch's 30–60 ms).
    /// </summary>
    public async Task WarmUpBatchAsync(PullPolicyVariant variant, int count, CancellationToken cancellationToken)
    {
        var pods = Enumerable.Range(1, count).Select(i => Timeline($"warmup-batch-{i}", "warm-up", variant)).ToList();
        await Task.WhenAll(pods.Select(p => CreateAsync(p, variant, cancellationToken)));
        await watch.WaitAsync(() => pods.All(p => p.Running is not null), options.Timeout, "warm-up batch running", cancellationToken);
        await Task.WhenAll(pods.Select(p => DeleteAsync(p, cancellationToken)));
        await watch.WaitAsync(() => pods.All(p => p.Gone is not null), options.Timeout, "warm-up batch gone", cancellationToken);
        await WaitForIdleRuntimeAsync(cancellationToken);
        log.Progress(Inv($"warm-up batch of {count}: all running after {Ms(Latest(pods.Select(p => p.Running)) - pods.Min(p => p.CreateSent))} ms"));
    }

    /// <summary>N pods, each alone on the node: created, seen running, deleted, seen gone, sandbox removed; then the next.</summary>
    public async Task<ScenarioResult> SequentialAsync(PullPolicyVariant variant, CancellationToken cancellationToken)
    {
        var pods = Enumerable.Range(1, options.Runs).Select(i => Timeline($"seq-{variant.Key}-{i}", "sequential", variant)).ToList();
        var result = new ScenarioResult("sequential", variant, pods) { Start = Sample() };
        double nodeCpu = 0, serverCpu = 0, shimCpu = 0;
        foreach (var pod in pods)
        {
            var before = Sample();
            await CreateAsync(pod, variant, cancellationToken);
            await watch.WaitAsync(() => pod.Running is not null, options.Timeout, $"{pod.Name} running", cancellationToken);
            var after = Sample();
            nodeCpu += MachineSample.NodeCpuMs(before, after);
            serverCpu += MachineSample.ServerCpuMs(before, after);
            shimCpu += MachineSample.CpuMs(server.ShimPids());
            await DeleteAsync(pod, cancellationToken);
            await watch.WaitAsync(() => pod.Gone is not null, options.Timeout, $"{pod.Name} gone", cancellationToken);
            await WaitForIdleRuntimeAsync(cancellationToken);
            log.Progress(Inv($"{pod.Name}: running after {Ms(pod.Startup)} ms (creationTimestamp: {Ms(pod.StartupFromCreationTimestamp)} ms), gone after {Ms(pod.DeleteToGone)} ms"));
        }

        result.End = Sample();
        result.NodeCpuMsPerPod = nodeCpu / pods.Count;
        result.ServerCpuMsPerPod = serverCpu / pods.Count;
        result.ShimCpuMsPerPod = shimCpu / pods.Count;
        Finish(result);
        return result;
    }

    /// <summary>A batch of pods created at once (concurrent creates), seen running, then deleted at once and seen gone.</summary>
    public async Task<ScenarioResult> ParallelAsync(PullPolicyVariant variant, CancellationToken cancellationToken)
    {
        var pods = Enumerable.Range(1, options.Parallel).Select(i => Timeline($"par-{variant.Key}-{i}", "parallel", variant)).ToList();
        var result = new ScenarioResult("parallel", variant, pods) { Start = Sample() };
        await Task.WhenAll(pods.Select(p => CreateAsync(p, variant, cancellationToken)));
        try
        {
            await watch.WaitAsync(() => pods.All(p => p.Running is not null), options.Timeout, $"{pods.Count} parallel pods running", cancellationToken);
        }
        catch (TimeoutException e)
        {
            result.Problems.Add(Inv($"{e.Message}: {pods.Count(p => p.Running is null)} not running"));
        }

        result.AllRunning = Latest(pods.Select(p => p.Running)) - pods.Min(p => p.CreateSent);
        var allRunning = Sample();
        result.NodeCpuMsPerPod = MachineSample.NodeCpuMs(result.Start, allRunning) / pods.Count;
        result.ServerCpuMsPerPod = MachineSample.ServerCpuMs(result.Start, allRunning) / pods.Count;
        result.ShimCpuMsPerPod = MachineSample.CpuMs(server.ShimPids()) / pods.Count;
        log.Progress(Inv($"parallel {variant.Key}: {pods.Count(p => p.Running is not null)}/{pods.Count} running after {Ms(result.AllRunning)} ms"));

        await Task.WhenAll(pods.Select(p => DeleteAsync(p, cancellationToken)));
        var firstDelete = pods.Min(p => p.DeleteSent!.Value);
        try
        {
            await watch.WaitAsync(() => pods.All(p => p.Gone is not null), options.Timeout, $"{pods.Count} parallel pods gone", cancellationToken);
        }
        catch (TimeoutException e)
        {
            result.Problems.Add(Inv($"{e.Message}: {pods.Count(p => p.Gone is null)} not gone"));
        }

        result.AllGone = Latest(pods.Select(p => p.Gone)) - firstDelete;
        await WaitForIdleRuntimeAsync(cancellationToken);
        result.RuntimeCleared = DateTimeOffset.UtcNow - firstDelete;
        result.End = Sample();
        log.Progress(Inv($"parallel {variant.Key}: all gone after {Ms(result.AllGone)} ms, node idle after {Ms(result.RuntimeCleared)} ms"));
        Finish(result);
        return result;
    }

    /// <summary>After a failure: deletes every pod of the benchmark and waits (bounded) until the node's sandboxes are gone.</summary>
    public async Task DeleteAllAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Client.Resource<Pod>().DeleteCollectionAsync(Namespace, new ListOptions { LabelSelector = $"app={AppLabel}" }, null, cancellationToken);
            await WaitForIdleRuntimeAsync(cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or KubeApiException or HttpRequestException)
        {
            log.Progress($"clean-up after the failure did not finish: {e.Message}");
        }
    }

    /// <summary>Joins each pod with what containerd logged for it and counts the pulls served while the pods started.</summary>
    private void Finish(ScenarioResult result)
    {
        var runtime = ContainerdLog.Read(server.ContainerdLogPath);
        foreach (var pod in result.Pods)
        {
            pod.Runtime = pod.Uid is { } uid ? runtime.For(uid) : null;
            if (pod.Runtime is null)
            {
                result.Problems.Add($"{pod.Name}: no RunPodSandbox for it in {server.ContainerdLogPath}");
            }
        }

        // Pulls from the first create to the last pod seen running (in sequential runs: within each pod's own window).
        var pulls = runtime.Pulls
            .Where(p => result.Pods.Any(pod => p.Start >= pod.CreateSent && p.Start <= (pod.Running ?? DateTimeOffset.MaxValue)))
            .ToList();
        result.Pulls = pulls.Count;
        result.PullDurations = Summary.Of(pulls.Select(p => p.End - p.Start));
    }

    private async Task CreateAsync(PodTimeline timeline, PullPolicyVariant variant, CancellationToken cancellationToken)
    {
        var pod = new Pod
        {
            Metadata = new ObjectMeta
            {
                Name = timeline.Name,
                Namespace = Namespace,
                Labels = new Dictionary<string, string> { ["app"] = AppLabel, ["scenario"] = timeline.Scenario, ["variant"] = variant.Key },
            },
            Spec = new PodSpec
            {
                Containers = [new Container { Name = "nginx", Image = options.Image, ImagePullPolicy = variant.PullPolicy }],
            },
        };
        watch.Track(timeline);
        timeline.CreateSent = DateTimeOffset.UtcNow;
        var created = await Client.Resource<Pod>().CreateAsync(pod, cancellationToken);
        timeline.CreateReturned = DateTimeOffset.UtcNow;
        timeline.Uid ??= created.Metadata?.Uid;
        timeline.CreationTimestamp = created.Metadata?.CreationTimestamp;
        timeline.PullPolicy = created.Spec?.Containers?.FirstOrDefault()?.ImagePullPolicy;
    }

    private async Task DeleteAsync(PodTimeline timeline, CancellationToken cancellationToken)
    {
        // Pacing, not synchronisation: the pod is known to run; it gets the minimum age before it is asked to stop.
        if (timeline.Running is { } running && running + options.MinAge - DateTimeOffset.UtcNow is { } wait && wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken);
        }

        timeline.DeleteSent = DateTimeOffset.UtcNow;
        await Client.Resource<Pod>().DeleteAsync(Namespace, timeline.Name, cancellationToken);
    }

    /// <summary>Waits until the node is idle: no shim of it runs and no pod volume is mounted (the kubelet has cleaned up every pod).</summary>
    private Task WaitForIdleRuntimeAsync(CancellationToken cancellationToken) =>
        PollAsync(_ => Task.FromResult(server.ShimPids().Count == 0 && server.AgentMounts().Count == 0), options.Timeout,
            "every sandbox and pod volume of the node removed", cancellationToken);

    private MachineSample Sample() => MachineSample.Take(server.Pid, server.ContainerdPid);

    private static PodTimeline Timeline(string name, string scenario, PullPolicyVariant variant) => new(name, scenario) { PullPolicy = variant.PullPolicy };

    private static async Task PollAsync(Func<CancellationToken, Task<bool>> done, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (!await done(deadline.Token))
            {
                await Task.Delay(PollInterval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{what}: not done within {timeout.TotalSeconds} s");
        }
    }

    private static DateTimeOffset? Latest(IEnumerable<DateTimeOffset?> times) => times.Any(t => t is null) ? null : times.Max();

    private static string Ms(TimeSpan? t) => t is { } v ? v.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) : "—";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
