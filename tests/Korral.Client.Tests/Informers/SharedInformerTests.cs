using System.Threading.Channels;
using Korral.Api.Models.CoreV1;
using Korral.Client.Informers;
using Korral.Client.Tests.Fixtures;
using Korral.Storage.Contract;

namespace Korral.Client.Tests.Informers;

/// <summary>Informers against a real in-process API server.</summary>
public sealed class SharedInformerTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    private KorralServer Server => fixture.Server;

    private static List<string> Sorted(IEnumerable<string> lines) => [.. lines.Order()];

    [Fact]
    public async Task List_then_watch_delivers_adds_updates_and_deletes_in_order()
    {
        var client = Server.NewClient();
        var ns = await Server.CreateNamespaceAsync(client, "basic");
        var configMaps = client.Resource<ConfigMap>();
        await configMaps.CreateAsync(Objects.ConfigMap(ns, "a"), None);
        await configMaps.CreateAsync(Objects.ConfigMap(ns, "b"), None);
        var informer = new SharedInformer<ConfigMap>(configMaps, new InformerOptions { Namespace = ns, Log = Server.Log });
        var handler = new RecordingHandler<ConfigMap>();
        var registration = informer.AddEventHandler(handler);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);

        await Wait.For(registration.WaitForSyncAsync(None), "the handler to sync", Server.LogText);
        Assert.Equal(["add a initial", "add b initial"], Sorted(await handler.NextAsync(2)));
        Assert.True(informer.HasSynced);
        Assert.Equal(["a", "b"], informer.Lister.List(ns).Select(c => c.Metadata!.Name!).Order());

        await configMaps.CreateAsync(Objects.ConfigMap(ns, "c"), None);
        await configMaps.PatchAsync(ns, "a", PatchType.Merge, """{"data":{"k":"2"}}""", None);
        await configMaps.DeleteAsync(ns, "b", None);

        Assert.Equal(["add c", "update a", "delete b"], await handler.NextAsync(3));
        Assert.Equal("2", informer.Lister.Get(ns, "a")?.Data?["k"]);
        Assert.Null(informer.Lister.Get(ns, "b"));
        Assert.Equal(1, informer.ListCount);

        await stop.CancelAsync();
        await Wait.For(run, "the informer to stop");
    }

    [Fact]
    public async Task A_watch_the_server_ends_resumes_from_the_last_version_without_a_list()
    {
        var client = Server.NewClient();
        var ns = await Server.CreateNamespaceAsync(client, "resume");
        var configMaps = client.Resource<ConfigMap>();
        await configMaps.CreateAsync(Objects.ConfigMap(ns, "a"), None);
        var ended = Channel.CreateUnbounded<int>();
        // Watches ask for timeoutSeconds of 1-2 s, so the server ends them quickly.
        var informer = new SharedInformer<ConfigMap>(configMaps, new InformerOptions { Namespace = ns, MinWatchTimeout = TimeSpan.FromSeconds(1), Log = Server.Log })
        {
            WatchEnded = () => ended.Writer.TryWrite(0),
        };
        var handler = new RecordingHandler<ConfigMap>();
        informer.AddEventHandler(handler);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        Assert.Equal(["add a initial"], await handler.NextAsync(1));

        await Wait.For(ended.Reader.ReadAsync().AsTask(), "the first watch to end", Server.LogText);
        await configMaps.CreateAsync(Objects.ConfigMap(ns, "between"), None);
        await Wait.For(ended.Reader.ReadAsync().AsTask(), "the second watch to end", Server.LogText);
        await configMaps.CreateAsync(Objects.ConfigMap(ns, "later"), None);

        Assert.Equal(["add between", "add later"], await handler.NextAsync(2));
        Assert.Equal(1, informer.ListCount);
        Assert.True(informer.WatchCount >= 3, $"{informer.WatchCount} watches");
        Assert.Empty(handler.Pending());

        await stop.CancelAsync();
        await Wait.For(run, "the informer to stop");
    }

    [Fact]
    public async Task After_410_the_informer_relists_and_reports_what_vanished_as_final_state_unknown()
    {
        await using var server = await KorralServer.StartAsync();
        var client = server.NewClient();
        var ns = await server.CreateNamespaceAsync(client, "relist");
        var configMaps = client.Resource<ConfigMap>();
        foreach (var name in new[] { "keep", "vanish" })
        {
            await configMaps.CreateAsync(Objects.ConfigMap(ns, name), None);
        }

        var informer = new SharedInformer<ConfigMap>(configMaps, new InformerOptions
        {
            Namespace = ns,
            MinWatchTimeout = TimeSpan.FromSeconds(1),
            InitialBackoff = TimeSpan.FromMilliseconds(100),
            MaxBackoff = TimeSpan.FromMilliseconds(500),
            Log = server.Log,
        });
        var handler = new RecordingHandler<ConfigMap>();
        informer.AddEventHandler(handler);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        Assert.Equal(["add keep initial", "add vanish initial"], Sorted(await handler.NextAsync(2)));

        // While the server is down, a change the informer never sees: after the restart the watch cache starts at the
        // store's new revision, so the informer's last version is outside the window and the server answers 410.
        await server.StopAsync();
        await server.Store.TxnAsync(new Txn([], [new DeleteOp($"/registry/configmaps/{ns}/vanish")], []), None);
        await server.StartAgainAsync();

        Assert.Empty(await handler.UntilAsync("delete vanish unknown"));
        Assert.Equal(2, informer.ListCount);
        Assert.Contains("relisting", server.LogText());
        Assert.Equal(["keep"], informer.Lister.List().Select(c => c.Metadata!.Name));

        await configMaps.CreateAsync(Objects.ConfigMap(ns, "after"), None);
        Assert.Equal(["add after"], await handler.NextAsync(1));

        await stop.CancelAsync();
        await Wait.For(run, "the informer to stop");
    }

    [Fact]
    public async Task A_handler_added_to_a_synced_informer_gets_the_cache_first()
    {
        var client = Server.NewClient();
        var ns = await Server.CreateNamespaceAsync(client, "late");
        var configMaps = client.Resource<ConfigMap>();
        await configMaps.CreateAsync(Objects.ConfigMap(ns, "a"), None);
        var informer = new SharedInformer<ConfigMap>(configMaps, new InformerOptions { Namespace = ns, Log = Server.Log });
        var witness = new RecordingHandler<ConfigMap>();
        informer.AddEventHandler(witness);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await Wait.For(informer.WaitForSyncAsync(None), "the informer to sync", Server.LogText);

        var late = new RecordingHandler<ConfigMap>();
        var registration = informer.AddEventHandler(late);
        await Wait.For(registration.WaitForSyncAsync(None), "the late handler to sync");
        await configMaps.CreateAsync(Objects.ConfigMap(ns, "b"), None);

        Assert.Equal(["add a initial", "add b"], await late.NextAsync(2));

        registration.Dispose();
        await configMaps.CreateAsync(Objects.ConfigMap(ns, "c"), None);
        await witness.UntilAsync("add c");
        var still = new RecordingHandler<ConfigMap>();
        informer.AddEventHandler(still);
        Assert.Equal(["add a initial", "add b initial", "add c initial"], Sorted(await still.NextAsync(3)));
        Assert.Empty(late.Pending());

        await stop.CancelAsync();
        await Wait.For(run, "the informer to stop");
    }

    [Fact]
    public async Task A_label_selected_informer_sees_objects_enter_and_leave_the_selection()
    {
        var client = Server.NewClient();
        var ns = await Server.CreateNamespaceAsync(client, "labels");
        var configMaps = client.Resource<ConfigMap>();
        await configMaps.CreateAsync(Objects.ConfigMap(ns, "web-1", labels: new() { ["app"] = "web" }), None);
        await configMaps.CreateAsync(Objects.ConfigMap(ns, "db-1", labels: new() { ["app"] = "db" }), None);
        var informer = new SharedInformer<ConfigMap>(configMaps, new InformerOptions { Namespace = ns, LabelSelector = "app=web", Log = Server.Log });
        var handler = new RecordingHandler<ConfigMap>();
        informer.AddEventHandler(handler);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        Assert.Equal(["add web-1 initial"], await handler.NextAsync(1));

        await configMaps.PatchAsync(ns, "web-1", PatchType.Merge, """{"metadata":{"labels":{"app":"db"}}}""", None);
        await configMaps.PatchAsync(ns, "db-1", PatchType.Merge, """{"metadata":{"labels":{"app":"web"}}}""", None);

        Assert.Equal(["delete web-1", "add db-1"], await handler.NextAsync(2));
        Assert.Equal(["db-1"], informer.Lister.List().Select(c => c.Metadata!.Name));

        await stop.CancelAsync();
        await Wait.For(run, "the informer to stop");
    }

    [Fact]
    public async Task Pods_are_found_by_node_and_owner_through_indices()
    {
        var client = Server.NewClient();
        var ns = await Server.CreateNamespaceAsync(client, "index");
        var pods = client.Resource<Pod>();
        var informer = new SharedInformer<Pod>(pods, new InformerOptions { Namespace = ns, Log = Server.Log });
        informer.Indexer.AddIndex(Indexers.NodeName, Indexers.ByNodeName);
        informer.Indexer.AddIndex(Indexers.OwnerUid, Indexers.ByOwnerUid);
        var handler = new RecordingHandler<Pod>();
        informer.AddEventHandler(handler);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await Wait.For(informer.WaitForSyncAsync(None), "the informer to sync", Server.LogText);

        var owner = await client.Resource<ConfigMap>().CreateAsync(Objects.ConfigMap(ns, "owner"), None);
        var owned = Objects.Pod(ns, "p1", nodeName: "n1");
        owned.Metadata!.OwnerReferences = [new() { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata!.Uid! }];
        await pods.CreateAsync(owned, None);
        await pods.CreateAsync(Objects.Pod(ns, "p2", nodeName: "n1"), None);
        await pods.CreateAsync(Objects.Pod(ns, "p3"), None);
        await handler.NextAsync(3);

        Assert.Equal(["p1", "p2"], informer.Indexer.ByIndex(Indexers.NodeName, "n1").Select(p => p.Metadata!.Name).Order());
        Assert.Equal(["p3"], informer.Indexer.ByIndex(Indexers.NodeName, "").Select(p => p.Metadata!.Name));
        Assert.Equal(["p1"], informer.Indexer.ByIndex(Indexers.OwnerUid, owner.Metadata.Uid!).Select(p => p.Metadata!.Name));

        await pods.BindAsync(ns, "p3", new Binding { Metadata = new() { Name = "p3", Namespace = ns }, Target = new() { Kind = "Node", Name = "n2" } }, None);
        Assert.Equal(["update p3"], await handler.NextAsync(1));
        Assert.Equal(["p3"], informer.Indexer.ByIndex(Indexers.NodeName, "n2").Select(p => p.Metadata!.Name));
        Assert.Empty(informer.Indexer.ByIndex(Indexers.NodeName, ""));

        await stop.CancelAsync();
        await Wait.For(run, "the informer to stop");
    }

    [Fact]
    public async Task The_factory_shares_one_informer_per_resource_and_selection()
    {
        var client = Server.NewClient();
        var ns = await Server.CreateNamespaceAsync(client, "factory");
        await client.Resource<ConfigMap>().CreateAsync(Objects.ConfigMap(ns, "a"), None);
        var factory = new SharedInformerFactory(client, new InformerOptions { Log = Server.Log });

        var pods = factory.Informer<Pod>();
        Assert.Same(pods, factory.Informer<Pod>());
        var resource = client.Resource<ConfigMap>().Resource;
        var inNs = factory.Informer<ConfigMap>(resource, new InformerOptions { Namespace = ns });
        Assert.Same(inNs, factory.Informer<ConfigMap>(resource, new InformerOptions { Namespace = ns }));
        Assert.NotSame(inNs, factory.Informer<ConfigMap>());

        factory.Start(None);
        await Wait.For(factory.WaitForCacheSyncAsync(None), "every informer to sync", Server.LogText);
        Assert.Equal(["a"], inNs.Lister.List().Select(c => c.Metadata!.Name));

        // Asked for after Start: runs at once.
        var late = factory.Informer<Namespace>();
        await Wait.For(late.WaitForSyncAsync(None), "the late informer to sync", Server.LogText);
        Assert.NotNull(late.Lister.Get(null, ns));

        await Wait.For(factory.DisposeAsync().AsTask(), "the factory to stop its informers");
    }

    [Fact]
    public async Task Resync_sends_every_cached_object_as_an_update()
    {
        var client = Server.NewClient();
        var ns = await Server.CreateNamespaceAsync(client, "resync");
        var configMaps = client.Resource<ConfigMap>();
        await configMaps.CreateAsync(Objects.ConfigMap(ns, "a"), None);
        await configMaps.CreateAsync(Objects.ConfigMap(ns, "b"), None);
        var time = new FakeTimeProvider();
        var informer = new SharedInformer<ConfigMap>(configMaps, new InformerOptions
        {
            Namespace = ns,
            ResyncPeriod = TimeSpan.FromMinutes(1),
            Time = time,
            Log = Server.Log,
        });
        var handler = new RecordingHandler<ConfigMap>();
        var registration = informer.AddEventHandler(handler);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await Wait.For(registration.WaitForSyncAsync(None), "the handler to sync", Server.LogText);
        await handler.NextAsync(2);

        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Empty(handler.Pending());
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(["update a", "update b"], Sorted(await handler.NextAsync(2)));

        await stop.CancelAsync();
        await Wait.For(run, "the informer to stop");
    }

    [Fact]
    public async Task Thousands_of_objects_are_listed_in_pages_and_followed_through_their_updates()
    {
        const int count = 1200;
        var client = Server.NewClient();
        var ns = await Server.CreateNamespaceAsync(client, "many");
        var configMaps = client.Resource<ConfigMap>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, ct) => await configMaps.CreateAsync(Objects.ConfigMap(ns, $"cm-{i:D4}"), ct));
        var informer = new SharedInformer<ConfigMap>(configMaps, new InformerOptions { Namespace = ns, PageSize = 100, Log = Server.Log });
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var adds = 0;
        var updates = 0;
        informer.AddEventHandler(
            onAdd: _ => Interlocked.Increment(ref adds),
            onUpdate: (_, n) =>
            {
                if (Interlocked.Increment(ref updates) == count)
                {
                    done.TrySetResult();
                }
            });
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await Wait.For(informer.WaitForSyncAsync(None), "the informer to sync", Server.LogText);
        Assert.Equal(count, informer.Indexer.Count);

        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, ct) => await configMaps.PatchAsync(ns, $"cm-{i:D4}", PatchType.Merge, """{"data":{"k":"updated"}}""", ct));

        await Wait.For(done.Task, $"{count} updates", () => $"{updates} updates so far\n{Server.LogText()}");
        Assert.Equal(count, adds);
        Assert.All(informer.Lister.List(), c => Assert.Equal("updated", c.Data!["k"]));
        Assert.Equal(1, informer.ListCount);

        await stop.CancelAsync();
        await Wait.For(run, "the informer to stop");
    }
}
