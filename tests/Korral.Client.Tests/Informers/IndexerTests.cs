using Korral.Api.Models.CoreV1;
using OwnerReference = Korral.Api.Models.MetaV1.OwnerReference;
using Korral.Api.Selectors;
using Korral.Client.Informers;
using Korral.Client.Tests.Fixtures;

namespace Korral.Client.Tests.Informers;

public sealed class IndexerTests
{
    private static Pod Pod(string ns, string name, string? node = null, string rv = "1", string? owner = null, Dictionary<string, string>? labels = null)
    {
        var pod = Objects.Pod(ns, name, node, labels);
        pod.Metadata!.ResourceVersion = rv;
        if (owner is not null)
        {
            pod.Metadata.OwnerReferences = [new OwnerReference { Uid = owner, Kind = "ReplicaSet", Name = owner, ApiVersion = "apps/v1" }];
        }

        return pod;
    }

    private static List<string> Names(IEnumerable<Pod> pods) => [.. pods.Select(p => p.Metadata!.Name!).Order()];

    [Fact]
    public void Objects_are_keyed_by_namespace_and_name()
    {
        var indexer = new Indexer<Pod>();
        indexer.Upsert(Pod("a", "p"));
        indexer.Upsert(Pod("b", "p"));

        Assert.Equal(2, indexer.Count);
        Assert.Equal("a", indexer.Get("a/p")?.Metadata?.Namespace);
        Assert.Equal("b", indexer.Get("b", "p")?.Metadata?.Namespace);
        Assert.Null(indexer.Get("c/p"));
        Assert.Equal(["a/p", "b/p"], indexer.ListKeys().Order());
    }

    [Fact]
    public void Indices_follow_updates_and_deletes()
    {
        var indexer = new Indexer<Pod>();
        indexer.AddIndex(Indexers.NodeName, Indexers.ByNodeName);
        indexer.AddIndex(Indexers.OwnerUid, Indexers.ByOwnerUid);
        indexer.Upsert(Pod("ns", "p1", node: "n1", owner: "rs-1"));
        indexer.Upsert(Pod("ns", "p2", node: "n1", owner: "rs-2"));
        indexer.Upsert(Pod("ns", "p3", owner: "rs-1"));

        Assert.Equal(["p1", "p2"], Names(indexer.ByIndex(Indexers.NodeName, "n1")));
        Assert.Equal(["p3"], Names(indexer.ByIndex(Indexers.NodeName, "")));
        Assert.Equal(["p1", "p3"], Names(indexer.ByIndex(Indexers.OwnerUid, "rs-1")));

        var old = indexer.Upsert(Pod("ns", "p1", node: "n2", rv: "2", owner: "rs-1"));
        Assert.Equal("1", old?.Metadata?.ResourceVersion);
        Assert.Equal(["p2"], Names(indexer.ByIndex(Indexers.NodeName, "n1")));
        Assert.Equal(["p1"], Names(indexer.ByIndex(Indexers.NodeName, "n2")));

        indexer.Remove("ns/p2");
        Assert.Empty(indexer.ByIndex(Indexers.NodeName, "n1"));
        Assert.DoesNotContain("n1", indexer.IndexValues(Indexers.NodeName));
        Assert.Equal(["ns/p1", "ns/p3"], indexer.IndexKeys(Indexers.OwnerUid, "rs-1").Order());
    }

    [Fact]
    public void An_index_added_later_covers_what_is_cached()
    {
        var indexer = new Indexer<Pod>();
        indexer.Upsert(Pod("ns", "p1", labels: new() { ["app"] = "web" }));
        indexer.Upsert(Pod("ns", "p2", labels: new() { ["app"] = "db" }));

        indexer.AddIndex(Indexers.Labels, Indexers.ByLabels);
        indexer.AddIndex("app", Indexers.ByLabel<Pod>("app"));

        Assert.Equal(["p1"], Names(indexer.ByIndex(Indexers.Labels, "app=web")));
        Assert.Equal(["p2"], Names(indexer.ByIndex("app", "db")));
        Assert.Throws<InvalidOperationException>(() => indexer.AddIndex("app", Indexers.ByLabel<Pod>("app")));
        Assert.Throws<KeyNotFoundException>(() => indexer.ByIndex("nope", "x"));
    }

    [Fact]
    public void The_lister_filters_by_namespace_and_labels()
    {
        var lister = new Lister<Pod>(new Indexer<Pod>());
        lister.Indexer.Upsert(Pod("a", "web-1", labels: new() { ["app"] = "web" }));
        lister.Indexer.Upsert(Pod("a", "db-1", labels: new() { ["app"] = "db" }));
        lister.Indexer.Upsert(Pod("b", "web-2", labels: new() { ["app"] = "web" }));

        Assert.Equal(["db-1", "web-1"], Names(lister.List("a")));
        Assert.Equal(["web-1", "web-2"], Names(lister.List(LabelSelector.Parse("app=web"))));
        Assert.Equal(["web-2"], Names(lister.List("b", LabelSelector.Parse("app in (web)"))));
        Assert.Empty(lister.List("c"));
        Assert.Equal("db-1", lister.Get("a/db-1")?.Metadata?.Name);
    }

    [Fact]
    public void Replace_reports_added_changed_and_vanished_objects()
    {
        var indexer = new Indexer<Pod>();
        indexer.AddIndex(Indexers.NodeName, Indexers.ByNodeName);
        indexer.Upsert(Pod("ns", "same", rv: "1"));
        indexer.Upsert(Pod("ns", "changed", node: "n1", rv: "1"));
        indexer.Upsert(Pod("ns", "gone", node: "n1", rv: "1"));

        var result = indexer.Replace([Pod("ns", "same", rv: "1"), Pod("ns", "changed", node: "n2", rv: "5"), Pod("ns", "new", rv: "6")]);

        Assert.Equal(["new"], Names(result.Added));
        Assert.Equal(["changed"], Names(result.Updated.Select(u => u.New)));
        Assert.Equal("1", result.Updated[0].Old.Metadata?.ResourceVersion);
        Assert.Equal(["gone"], Names(result.Removed));
        Assert.Equal(["changed", "new", "same"], Names(indexer.List()));
        Assert.Empty(indexer.ByIndex(Indexers.NodeName, "n1"));
    }

    [Fact]
    public void Replace_of_many_objects_is_linear()
    {
        var indexer = new Indexer<Pod>();
        indexer.AddIndex(Indexers.NodeName, Indexers.ByNodeName);
        var first = Enumerable.Range(0, 100_000).Select(i => Pod($"ns-{i % 100}", $"p-{i}", node: $"n-{i % 500}")).ToList();
        var second = Enumerable.Range(50_000, 100_000).Select(i => Pod($"ns-{i % 100}", $"p-{i}", node: $"n-{i % 500}", rv: "2")).ToList();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        indexer.Replace(first);
        var result = indexer.Replace(second);
        clock.Stop();

        Assert.Equal((50_000, 50_000, 50_000), (result.Added.Count, result.Updated.Count, result.Removed.Count));
        Assert.Equal(200, indexer.ByIndex(Indexers.NodeName, "n-7").Count);
        // Quadratic work on 100k objects would take minutes; linear work takes well under a second even on a busy machine.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"two replaces of 100k objects took {clock.Elapsed}");
    }
}
