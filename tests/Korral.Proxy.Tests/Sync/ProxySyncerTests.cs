using Korral.Proxy.Iptables;
using Korral.Proxy.Sync;
using Korral.Proxy.Tests.Fixtures;
using static Korral.Proxy.Tests.Fixtures.Objects;

namespace Korral.Proxy.Tests.Sync;

/// <summary>Full versus partial syncs and what each restore holds, with a recording runner and fake time.</summary>
public sealed class ProxySyncerTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingRunner _runner = new();
    private readonly MemorySource _source = new();

    private ProxySyncer NewSyncer() => new(
        new ProxyOptions { NodeName = ThisNode, ClusterCidr = "10.42.0.0/16", GuardBridge = null, Time = _time, FullSyncPeriod = TimeSpan.FromMinutes(10) },
        new IptablesClient(_runner),
        null);

    [Fact]
    public async Task FirstSyncIsFullThenOnlyChangedServicesRewriteTheirChains()
    {
        _source.Set(Service("a", "10.96.0.1"), Slice("a", Ready("10.42.1.1")));
        _source.Set(Service("b", "10.96.0.2"), Slice("b", Ready("10.42.1.2")));
        var syncer = NewSyncer();

        var first = await syncer.SyncAsync(_source, CancellationToken.None);
        Assert.True(first.Full);
        Assert.Single(_runner.Calls, c => c.Command == "iptables-save");
        Assert.Contains("--to-destination 10.42.1.1:8080", _runner.Restores[^1], StringComparison.Ordinal);
        Assert.Contains("-I PREROUTING 1 ", _runner.Restores[^1], StringComparison.Ordinal);

        syncer.MarkChanged(_source.Set(Service("b", "10.96.0.2"), Slice("b", Ready("10.42.1.3"))));
        var partial = await syncer.SyncAsync(_source, CancellationToken.None);
        var text = _runner.Restores[^1];
        Assert.False(partial.Full);
        Assert.Equal(1, partial.ServicesRewritten);
        Assert.Single(_runner.Calls, c => c.Command == "iptables-save");
        // Both services stay in the shared chain; only b's chains are redeclared, and b's old endpoint chain is deleted.
        Assert.Contains("-d 10.96.0.1/32", text, StringComparison.Ordinal);
        Assert.DoesNotContain("10.42.1.1", text, StringComparison.Ordinal);
        Assert.Contains("--to-destination 10.42.1.3:8080", text, StringComparison.Ordinal);
        Assert.Equal(1, partial.StaleChainsDeleted);
        Assert.Contains("-X KORRAL-SEP-", text, StringComparison.Ordinal);
        Assert.DoesNotContain("-I PREROUTING", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailedRestoreMakesTheNextSyncFull()
    {
        _source.Set(Service("a", "10.96.0.1"), Slice("a", Ready("10.42.1.1")));
        var syncer = NewSyncer();
        await syncer.SyncAsync(_source, CancellationToken.None);

        _runner.FailRestores = true;
        syncer.MarkChanged(_source.Set(Service("a", "10.96.0.1"), Slice("a", Ready("10.42.1.9"))));
        var error = await Assert.ThrowsAsync<IptablesException>(() => syncer.SyncAsync(_source, CancellationToken.None));
        Assert.Contains("line 3 failed", error.Message, StringComparison.Ordinal);

        _runner.FailRestores = false;
        var next = await syncer.SyncAsync(_source, CancellationToken.None);
        Assert.True(next.Full);
        Assert.Contains("--to-destination 10.42.1.9:8080", _runner.Restores[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task FullSyncComesBackAfterTheFullSyncPeriod()
    {
        var syncer = NewSyncer();
        Assert.True((await syncer.SyncAsync(_source, CancellationToken.None)).Full);
        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.False((await syncer.SyncAsync(_source, CancellationToken.None)).Full);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await syncer.SyncAsync(_source, CancellationToken.None)).Full);
    }

    [Fact]
    public async Task FullSyncDeletesLeftoverChainsAndReinsertsMissingJumpsOnly()
    {
        _runner.Save = """
            *nat
            :PREROUTING ACCEPT [0:0]
            :KORRAL-SERVICES - [0:0]
            :KORRAL-SEP-GONE - [0:0]
            -A PREROUTING -m comment --comment "korral service portals" -j KORRAL-SERVICES
            COMMIT
            *filter
            :KORRAL-OLD-CHAIN - [0:0]
            COMMIT
            """;
        await NewSyncer().SyncAsync(_source, CancellationToken.None);

        var text = _runner.Restores[^1];
        Assert.Contains(":KORRAL-SEP-GONE - [0:0]\n", text, StringComparison.Ordinal);
        Assert.Contains("-X KORRAL-SEP-GONE\n", text, StringComparison.Ordinal);
        Assert.Contains("-X KORRAL-OLD-CHAIN\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("-I PREROUTING", text, StringComparison.Ordinal);
        Assert.Contains("-I OUTPUT 1 -m comment --comment \"korral service portals\" -j KORRAL-SERVICES\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PastAThousandEndpointChainsCommentsGoEverywhere()
    {
        for (var i = 0; i < 101; i++)
        {
            _source.Set(Service($"s{i}", $"10.96.1.{i}"), Slice($"s{i}", [.. Enumerable.Range(1, 10).Select(e => Ready($"10.42.{i}.{e}"))]));
        }

        await NewSyncer().SyncAsync(_source, CancellationToken.None);

        var text = _runner.Restores[^1];
        Assert.DoesNotContain(" -> 10.42.", text, StringComparison.Ordinal);
        Assert.Contains("cluster IP\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConntrackEntriesOfRemovedUdpEndpointsAreDeletedAfterTheRestore()
    {
        var dns = Service("dns", "10.96.0.10", Port("dns", 53, 5353, "UDP"));
        _source.Set(dns, Slice("dns", "dns-1", [SlicePort("dns", 5353, "UDP")], Ready("10.42.1.5"), Ready("10.42.1.6")));
        var syncer = NewSyncer();
        await syncer.SyncAsync(_source, CancellationToken.None);

        syncer.MarkChanged(_source.Set(dns, Slice("dns", "dns-1", [SlicePort("dns", 5353, "UDP")], Ready("10.42.1.6"))));
        await syncer.SyncAsync(_source, CancellationToken.None);

        var calls = _runner.Calls.Select(c => c.Command).ToList();
        var conntrack = calls.FindIndex(c => c.StartsWith("conntrack", StringComparison.Ordinal));
        Assert.Equal("conntrack -D -p udp --orig-dst 10.96.0.10 --dst-nat 10.42.1.5", calls[conntrack]);
        Assert.True(conntrack > calls.FindLastIndex(c => c.StartsWith("iptables-restore", StringComparison.Ordinal)), "conntrack ran before the restore");
    }

    [Fact]
    public async Task APeriodicSyncThatFindsItsJumpsGoneSyncsEverything()
    {
        var syncer = NewSyncer();
        await syncer.SyncAsync(_source, CancellationToken.None);
        Assert.False((await syncer.SyncAsync(_source, CancellationToken.None)).Full);

        _runner.Flush("nat", "PREROUTING");
        var healed = await syncer.SyncAsync(_source, CancellationToken.None);

        Assert.True(healed.Full);
        Assert.False((await syncer.SyncAsync(_source, CancellationToken.None)).Full);
    }
}
