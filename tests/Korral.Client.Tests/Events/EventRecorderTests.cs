using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client.Events;
using Korral.Client.Tests.Fixtures;

namespace Korral.Client.Tests.Events;

/// <summary>The recorder against a real server, with fake time for its windows and buckets.</summary>
public sealed class EventRecorderTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    private KorralServer Server => fixture.Server;

    private async Task<(KubeClient Client, string Ns, ConfigMap Target)> SetUpAsync(string prefix)
    {
        var client = Server.NewClient();
        var ns = await Server.CreateNamespaceAsync(client, prefix);
        var target = await client.Resource<ConfigMap>().CreateAsync(Objects.ConfigMap(ns, "target"), None);
        return (client, ns, target);
    }

    private EventRecorder Recorder(KubeClient client, FakeTimeProvider time) =>
        new(client, new EventRecorderOptions { Component = "test-controller", Host = "host-1", Time = time, Log = Server.Log });

    private static async Task<List<Event>> EventsAsync(KubeClient client, string ns) =>
        [.. (await client.Resource<Event>().ListAsync(ns, null, None)).Items.OrderBy(e => e.Metadata!.Name, StringComparer.Ordinal)];

    [Fact]
    public async Task A_repeated_event_increments_the_count_of_the_first()
    {
        var (client, ns, target) = await SetUpAsync("repeat");
        var time = new FakeTimeProvider();
        var start = time.GetUtcNow();
        await using var recorder = Recorder(client, time);

        recorder.Event(target, EventTypes.Normal, "Synced", "all good");
        time.Advance(TimeSpan.FromMinutes(3));
        recorder.Event(target, EventTypes.Normal, "Synced", "all good");
        time.Advance(TimeSpan.FromMinutes(3));
        recorder.Event(target, EventTypes.Normal, "Synced", "all good");
        await Wait.For(recorder.FlushAsync(None), "the recorder to write", Server.LogText);

        var e = Assert.Single(await EventsAsync(client, ns));
        Assert.Equal(3, e.Count);
        Assert.Equal(start, e.FirstTimestamp);
        Assert.Equal(start.AddMinutes(6), e.LastTimestamp);
        var nanos = (start.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        Assert.Equal($"target.{nanos:x}", e.Metadata!.Name);
        Assert.Equal(("Normal", "Synced", "all good"), (e.Type, e.Reason, e.Message));
        Assert.Equal(("test-controller", "host-1"), (e.Source?.Component, e.Source?.Host));
        Assert.Equal(("ConfigMap", "v1", ns, "target", target.Metadata!.Uid), (e.InvolvedObject?.Kind, e.InvolvedObject?.ApiVersion,
            e.InvolvedObject?.Namespace, e.InvolvedObject?.Name, e.InvolvedObject?.Uid));
    }

    [Fact]
    public async Task A_repeat_after_the_window_is_a_new_event()
    {
        var (client, ns, target) = await SetUpAsync("window");
        var time = new FakeTimeProvider();
        await using var recorder = Recorder(client, time);

        recorder.Event(target, EventTypes.Warning, "Failed", "boom");
        time.Advance(TimeSpan.FromMinutes(11));
        recorder.Event(target, EventTypes.Warning, "Failed", "boom");
        await Wait.For(recorder.FlushAsync(None), "the recorder to write", Server.LogText);

        var events = await EventsAsync(client, ns);
        Assert.Equal([1, 1], events.Select(e => e.Count));
        Assert.Equal(2, events.Select(e => e.Metadata!.Name).Distinct().Count());
    }

    [Fact]
    public async Task Many_messages_of_one_reason_are_combined_into_one_event()
    {
        var (client, ns, target) = await SetUpAsync("combine");
        var time = new FakeTimeProvider();
        await using var recorder = Recorder(client, time);

        for (var i = 1; i <= 12; i++)
        {
            recorder.Event(target, EventTypes.Warning, "FailedCreate", $"attempt {i} failed");
            time.Advance(TimeSpan.FromSeconds(1));
        }

        await Wait.For(recorder.FlushAsync(None), "the recorder to write", Server.LogText);

        var events = await EventsAsync(client, ns);
        Assert.Equal(10, events.Count);
        var combined = Assert.Single(events, e => e.Message!.StartsWith("(combined from similar events): ", StringComparison.Ordinal));
        Assert.Equal("(combined from similar events): attempt 12 failed", combined.Message);
        Assert.Equal(3, combined.Count);
        Assert.Equal(Enumerable.Range(1, 9).Select(i => $"attempt {i} failed").Order(),
            events.Where(e => e != combined).Select(e => e.Message!).Order());
    }

    [Fact]
    public async Task An_object_gets_a_burst_of_25_then_one_event_per_5_minutes()
    {
        var (client, ns, target) = await SetUpAsync("spam");
        var time = new FakeTimeProvider();
        await using var recorder = Recorder(client, time);

        for (var i = 0; i < 30; i++)
        {
            recorder.Event(target, EventTypes.Normal, $"Reason{i}", "m");
        }

        await Wait.For(recorder.FlushAsync(None), "the recorder to write", Server.LogText);
        Assert.Equal(25, (await EventsAsync(client, ns)).Count);

        time.Advance(TimeSpan.FromMinutes(5));
        recorder.Event(target, EventTypes.Normal, "Later1", "m");
        recorder.Event(target, EventTypes.Normal, "Later2", "m");
        await Wait.For(recorder.FlushAsync(None), "the recorder to write", Server.LogText);

        var reasons = (await EventsAsync(client, ns)).Select(e => e.Reason).ToList();
        Assert.Equal(26, reasons.Count);
        Assert.Contains("Later1", reasons);
    }

    [Fact]
    public async Task Events_about_cluster_scoped_objects_go_to_the_default_namespace()
    {
        var client = Server.NewClient();
        var name = $"ns-event-{Guid.NewGuid():n}"[..20];
        var nsObject = await client.Resource<Namespace>().CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = name } }, None);
        await using var recorder = Recorder(client, new FakeTimeProvider());

        recorder.Event(nsObject, EventTypes.Normal, "Created", "namespace made");
        recorder.Event(nsObject, "Bogus", "Ignored", "an unsupported type is not recorded");
        await Wait.For(recorder.FlushAsync(None), "the recorder to write", Server.LogText);

        var events = (await client.Resource<Event>().ListAsync("default", null, None)).Items.Where(e => e.InvolvedObject?.Name == name).ToList();
        var e = Assert.Single(events);
        Assert.Equal("Namespace", e.InvolvedObject?.Kind);
        Assert.Null(e.InvolvedObject?.Namespace);
        Assert.Contains("unsupported event type \"Bogus\"", Server.LogText());
    }

    [Fact]
    public async Task Recording_never_blocks_and_drops_with_a_log_when_the_queue_is_full()
    {
        var lines = new List<string>();
        var firstFailure = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Log(string line)
        {
            lock (lines)
            {
                lines.Add(line);
            }

            if (line.Contains("failed"))
            {
                firstFailure.TrySetResult();
            }
        }

        // Nothing listens on port 1: the first write fails and its retry waits on fake time that never moves.
        using var client = new KubeClient(new KubeClientOptions { Server = new Uri("https://127.0.0.1:1"), MaxRetries = 0 });
        var recorder = new EventRecorder(client, new EventRecorderOptions
        {
            Component = "c",
            QueueCapacity = 2,
            Time = new FakeTimeProvider(),
            ShutdownTimeout = TimeSpan.FromMilliseconds(100),
            Log = Log,
        });
        var target = Objects.ConfigMap("n", "x");
        recorder.Event(target, EventTypes.Normal, "First", "m");
        await Wait.For(firstFailure.Task, "the first write to fail", () => string.Join("\n", lines));

        for (var i = 0; i < 4; i++)
        {
            recorder.Event(target, EventTypes.Normal, $"More{i}", "m");
        }

        Assert.Equal(2, recorder.Dropped);
        Assert.Contains(lines, l => l.Contains("queue full (2): dropped More2"));
        await Wait.For(recorder.DisposeAsync().AsTask(), "the recorder to give up and stop");
    }
}
