using System.Collections.Concurrent;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client.Tests.Fixtures;
using Korral.Kubelet.Probes;

namespace Korral.Kubelet.Tests.Probes;

public sealed class ProbeManagerTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();
    private readonly SwitchProber _prober = new();
    private readonly RecordingEvents _events = new();
    private readonly ConcurrentQueue<string> _syncs = new();
    private readonly ProbeManager _manager;
    private readonly Probe _startup = new() { PeriodSeconds = 1, FailureThreshold = 30 };
    private readonly Probe _readiness = new() { PeriodSeconds = 1, FailureThreshold = 1 };
    private readonly Probe _liveness = new() { PeriodSeconds = 1, FailureThreshold = 2 };
    private readonly Pod _pod = new() { Metadata = new ObjectMeta { Uid = "u1", Name = "web", Namespace = "default" } };

    public ProbeManagerTests() =>
        _manager = new ProbeManager(_prober, _events, _time, _syncs.Enqueue, _ => { });

    public ValueTask DisposeAsync() => _manager.DisposeAsync();

    private ProbeTarget Target(Container container, string id) => new(_pod, container, id, _time.GetUtcNow(), "10.0.0.5");

    /// <summary>Lets the probe loops run their next period once each armed its timer.</summary>
    private async Task TickAsync(int workers)
    {
        await Until(() => _time.PendingTimers >= workers);
        _time.Advance(TimeSpan.FromSeconds(1));
    }

    private static async Task Until(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    [Fact]
    public async Task APassingReadinessProbeMakesTheContainerReadyAndAsksForASync()
    {
        _prober.Answer(_readiness, true);
        _manager.UpdatePod(_pod, [Target(new Container { Name = "app", ReadinessProbe = _readiness }, "c1")]);

        await Until(() => _manager.ReadyContainers("u1").Contains("app"));
        Assert.Contains("u1", _syncs);
        Assert.Empty(_manager.StartedContainers("u1"));
    }

    [Fact]
    public async Task ReadinessWaitsForTheStartupProbe()
    {
        _prober.Answer(_readiness, true);
        var container = new Container { Name = "app", StartupProbe = _startup, ReadinessProbe = _readiness };
        _manager.UpdatePod(_pod, [Target(container, "c1")]);

        await TickAsync(workers: 2);
        await TickAsync(workers: 2);
        Assert.Equal(0, _prober.Runs(_readiness));
        Assert.True(_prober.Runs(_startup) >= 2);
        Assert.Empty(_manager.ReadyContainers("u1"));

        _prober.Answer(_startup, true);
        await TickAsync(workers: 2);
        await Until(() => _manager.StartedContainers("u1").Contains("app"));
        for (var tick = 0; tick < 3 && !_manager.ReadyContainers("u1").Contains("app"); tick++)
        {
            await TickAsync(workers: 2);
        }

        await Until(() => _manager.ReadyContainers("u1").Contains("app"));
    }

    [Fact]
    public async Task AFailingLivenessProbeAsksForTheContainersRestartWithUnhealthyEvents()
    {
        var container = new Container { Name = "app", LivenessProbe = _liveness };
        _manager.UpdatePod(_pod, [Target(container, "c1")]);

        await TickAsync(workers: 1);
        await Until(() => _manager.FailedProbe("u1", "app", "c1") is not null);

        Assert.Equal(ProbeType.Liveness, _manager.FailedProbe("u1", "app", "c1"));
        Assert.Null(_manager.FailedProbe("u1", "app", "c2"));
        var unhealthy = _events.Events.Where(e => e.Text.Contains("Unhealthy", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, unhealthy.Count);
        Assert.All(unhealthy, e => Assert.Equal("Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 503", e.Text));
        Assert.Equal("spec.containers{app}", unhealthy[0].Object.FieldPath);
    }

    [Fact]
    public async Task ANewContainerAttemptStartsOverAndAStoppedOneIsForgotten()
    {
        _prober.Answer(_readiness, true);
        var container = new Container { Name = "app", ReadinessProbe = _readiness };
        _manager.UpdatePod(_pod, [Target(container, "c1")]);
        await Until(() => _manager.ReadyContainers("u1").Contains("app"));

        _prober.Answer(_readiness, false);
        _manager.UpdatePod(_pod, [Target(container, "c2")]);
        Assert.Empty(_manager.ReadyContainers("u1"));

        _manager.UpdatePod(_pod, []);
        await Until(() => _time.PendingTimers == 0);
        Assert.Empty(_manager.ReadyContainers("u1"));
    }

    [Fact]
    public void ContainersWithoutProbesGetNoWorker()
    {
        _manager.UpdatePod(_pod, [Target(new Container { Name = "app" }, "c1")]);

        Assert.Equal(0, _time.PendingTimers);
        Assert.Empty(_manager.ReadyContainers("u1"));
        Assert.Null(_manager.FailedProbe("u1", "app", "c1"));
    }

    [Fact]
    public async Task WarningsAndErrorsBecomeUpstreamsEvents()
    {
        _prober.Answer(_readiness, ProbeOutcome.Warned("Probe terminated redirects, Response body: moved"));
        _prober.Answer(_liveness, ProbeOutcome.Errored("port \"web\" not found"));
        _manager.UpdatePod(_pod, [Target(new Container { Name = "app", ReadinessProbe = _readiness, LivenessProbe = _liveness }, "c1")]);

        await Until(() => _manager.ReadyContainers("u1").Contains("app") && _events.Events.Count >= 2);

        var texts = _events.Events.Select(e => e.Text).ToList();
        Assert.Contains("Warning ProbeWarning: Readiness probe warning: Probe terminated redirects, Response body: moved", texts);
        Assert.Contains("Warning Unhealthy: Liveness probe errored and resulted in unknown state: port \"web\" not found", texts);
        Assert.Null(_manager.FailedProbe("u1", "app", "c1"));
    }

    [Fact]
    public async Task APassingStartupProbeRunsTheReadinessProbeAtOnce()
    {
        var startup = new Probe { PeriodSeconds = 1, FailureThreshold = 30 };
        var readiness = new Probe { PeriodSeconds = 60 };
        _prober.Answer(readiness, true);
        _manager.UpdatePod(_pod, [Target(new Container { Name = "app", StartupProbe = startup, ReadinessProbe = readiness }, "c1")]);
        await Until(() => _prober.Runs(startup) == 1 && _time.PendingTimers == 2);

        _prober.Answer(startup, true);
        _time.Advance(TimeSpan.FromSeconds(1));

        // The readiness probe's own period (a minute) has not passed: the startup probe's success ran it.
        await Until(() => _manager.ReadyContainers("u1").Contains("app"));
        Assert.Equal(1, _prober.Runs(readiness));
    }
}
