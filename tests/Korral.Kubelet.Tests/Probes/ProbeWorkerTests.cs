using Korral.Api.Models.CoreV1;
using Korral.Client.Tests.Fixtures;
using Korral.Kubelet.Probes;

namespace Korral.Kubelet.Tests.Probes;

public sealed class ProbeWorkerTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ScriptedProber _prober = new();
    private readonly List<ProbeOutcome> _failures = [];
    private bool _started = true;

    private ProbeWorker Worker(ProbeType type, Probe probe) =>
        new(type, probe, new ProbeTarget(new Pod(), new Container { Name = "app" }, "c1", _time.GetUtcNow(), "10.0.0.5"), _prober, _time,
            () => _started, (_, outcome) => _failures.Add(outcome));

    private static Probe Probe(int? delay = null, int? success = null, int? failure = null) =>
        new() { Exec = new ExecAction { Command = ["true"] }, InitialDelaySeconds = delay, SuccessThreshold = success, FailureThreshold = failure };

    private async Task<List<(bool Changed, bool? Result)>> StepsAsync(ProbeWorker worker, int count)
    {
        var results = new List<(bool, bool?)>();
        for (var i = 0; i < count; i++)
        {
            results.Add((await worker.StepAsync(CancellationToken.None), worker.Result));
            _time.Advance(worker.Settings.Period);
        }

        return results;
    }

    [Theory]
    [InlineData(ProbeType.Readiness, false)]
    [InlineData(ProbeType.Liveness, true)]
    [InlineData(ProbeType.Startup, null)]
    public void StartsWithUpstreamsInitialResult(ProbeType type, bool? expected) =>
        Assert.Equal(expected, Worker(type, Probe()).Result);

    [Fact]
    public async Task ReadinessFlipsOnlyAfterSuccessThresholdSuccesses()
    {
        _prober.Then(true, true);
        var worker = Worker(ProbeType.Readiness, Probe(success: 2));

        Assert.Equal([(false, false), (true, true), (false, true)], await StepsAsync(worker, 3));
    }

    [Fact]
    public async Task ReadinessFailsAfterFailureThresholdConsecutiveFailures()
    {
        // A success in between starts the count again: F F S F F keeps it ready, the third F in a row does not.
        _prober.Then(true, false, false, true, false, false, false);
        var worker = Worker(ProbeType.Readiness, Probe(failure: 3));

        var results = await StepsAsync(worker, 7);

        Assert.Equal([true, true, true, true, true, true, false], results.Select(r => r.Result));
        Assert.Equal(5, _failures.Count);
        Assert.All(_failures, f => Assert.Equal(ProbeOutcome.Failed("HTTP probe failed with statuscode: 500"), f));
    }

    [Fact]
    public async Task ReadinessKeepsProbingAfterItFailed()
    {
        _prober.Then(false, true);
        var worker = Worker(ProbeType.Readiness, Probe(failure: 1));

        Assert.Equal([(false, false), (true, true)], await StepsAsync(worker, 2));
        Assert.Equal(2, _prober.Runs);
    }

    [Fact]
    public async Task NothingRunsBeforeTheInitialDelay()
    {
        var worker = Worker(ProbeType.Readiness, Probe(delay: 5));

        await worker.StepAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(4));
        await worker.StepAsync(CancellationToken.None);
        Assert.Equal(0, _prober.Runs);
        Assert.False(worker.Result);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await worker.StepAsync(CancellationToken.None));
        Assert.Equal(1, _prober.Runs);
    }

    [Theory]
    [InlineData(ProbeType.Liveness)]
    [InlineData(ProbeType.Readiness)]
    public async Task LivenessAndReadinessWaitForTheStartupProbe(ProbeType type)
    {
        _started = false;
        var worker = Worker(type, Probe());
        var initial = worker.Result;

        await StepsAsync(worker, 3);
        Assert.Equal(0, _prober.Runs);
        Assert.Equal(initial, worker.Result);

        _started = true;
        await worker.StepAsync(CancellationToken.None);
        Assert.Equal(1, _prober.Runs);
    }

    [Theory]
    [InlineData(ProbeType.Liveness)]
    [InlineData(ProbeType.Startup)]
    public async Task AFailedLivenessOrStartupProbeHoldsUntilTheContainerIsReplaced(ProbeType type)
    {
        _prober.Otherwise = ProbeOutcome.Failed("command \"false\" exited");
        var worker = Worker(type, Probe(failure: 2));

        var results = await StepsAsync(worker, 5);

        Assert.Equal([false, true, false, false, false], results.Select(r => r.Changed));
        Assert.False(worker.Result);
        Assert.Equal(2, _prober.Runs);
    }

    [Fact]
    public async Task AStartupProbeStopsOnceItSucceeded()
    {
        _prober.Then(false, true);
        var worker = Worker(ProbeType.Startup, Probe());

        var results = await StepsAsync(worker, 4);

        Assert.Equal([null, true, true, true], results.Select(r => r.Result));
        Assert.Equal(2, _prober.Runs);
    }

    [Fact]
    public void DefaultsAreUpstreams()
    {
        Assert.Equal(new ProbeSettings(TimeSpan.Zero, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), 1, 3), ProbeSettings.Of(new Probe()));
        Assert.Equal(new ProbeSettings(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), 2, 5),
            ProbeSettings.Of(new Probe { InitialDelaySeconds = 2, PeriodSeconds = 1, TimeoutSeconds = 4, SuccessThreshold = 2, FailureThreshold = 5 }));
    }

    [Fact]
    public async Task AProbeThatKeepsErroringIsTriedThreeTimesAndThrownAway()
    {
        var error = ProbeOutcome.Errored("port \"web\" not found");
        _prober.Then(error, error, error, error);
        var worker = Worker(ProbeType.Liveness, Probe(failure: 1));

        Assert.False(await worker.StepAsync(CancellationToken.None));

        Assert.True(worker.Result);
        Assert.Equal(3, _prober.Runs);
        Assert.Equal([error], _failures);
    }

    [Fact]
    public async Task AnErrorThenAFailureCountsTheFailure()
    {
        _prober.Then(ProbeOutcome.Errored("rpc error: code = Unavailable desc = connection closed"), ProbeOutcome.Failed("boom"));
        var worker = Worker(ProbeType.Liveness, Probe(failure: 1));

        Assert.True(await worker.StepAsync(CancellationToken.None));

        Assert.False(worker.Result);
        Assert.Equal(2, _prober.Runs);
        Assert.Equal([ProbeOutcome.Failed("boom")], _failures);
    }

    [Fact]
    public async Task AWarningCountsAsASuccessAndIsReported()
    {
        var warning = ProbeOutcome.Warned("Probe terminated redirects, Response body: moved");
        _prober.Then(warning);
        var worker = Worker(ProbeType.Readiness, Probe());

        Assert.True(await worker.StepAsync(CancellationToken.None));

        Assert.True(worker.Result);
        Assert.Equal([warning], _failures);
    }

    [Fact]
    public async Task ATriggerRunsTheNextProbeBeforeThePeriodEnds()
    {
        _prober.Then(false, true);
        var worker = Worker(ProbeType.Readiness, Probe(failure: 1));
        using var stop = new CancellationTokenSource();
        var loop = worker.RunAsync(_ => { }, _ => { }, stop.Token);
        await Until(() => _prober.Runs == 1 && _time.PendingTimers == 1);

        worker.Trigger();

        await Until(() => worker.Result == true);
        Assert.Equal(2, _prober.Runs);
        await stop.CancelAsync();
        await loop;
    }

    private static async Task Until(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
