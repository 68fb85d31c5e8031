using Korral.Proxy.Host;
using Korral.Proxy.Iptables;
using Korral.Proxy.Sync;
using Korral.Proxy.Tests.Fixtures;
using static Korral.Proxy.Tests.Fixtures.Objects;

namespace Korral.Proxy.Tests.Netns;

/// <summary>The syncer against the real iptables, in a private namespace that also holds rules of "someone else".</summary>
public sealed class SyncerNetnsTests
{
    private static readonly string[] Foreign =
    [
        "iptables -w -t nat -N OTHER-DNAT",
        "iptables -w -t nat -A OTHER-DNAT -p tcp --dport 2222 -j DNAT --to-destination 10.1.1.1:22",
        "iptables -w -t nat -A PREROUTING -j OTHER-DNAT",
        "iptables -w -t filter -A INPUT -p tcp --dport 22 -j ACCEPT",
        "iptables -w -t filter -A FORWARD -i eth9 -j DROP",
    ];

    [NetnsFact]
    public async Task SyncsAreIdempotentPartialSyncsDeleteStaleChainsAndOtherRulesStay()
    {
        await using var netns = await PrivateNetns.StartAsync();
        foreach (var command in Foreign)
        {
            var words = command.Split(' ');
            (await netns.RunAsync(words[0], words[1..])).EnsureSuccess();
        }

        var baseline = await netns.SaveAsync();
        var source = new MemorySource();
        source.Set(Service("web", "10.96.0.10"), Slice("web", Ready("10.42.1.5"), Ready("10.42.2.7")));
        source.Set(Service("api", "10.96.0.11", Port("http", 80, 8080, nodePort: 30080)).With(s => s.Type = "NodePort"),
            Slice("api", "api-x1", [SlicePort("http", 8080)], Ready("10.42.1.9")));
        var options = new ProxyOptions { NodeName = ThisNode, ClusterCidr = "10.42.0.0/16", ServiceCidr = "10.96.0.0/12" };
        var host = new HostNetwork(netns.Runner, _ => { });
        var syncer = new ProxySyncer(options, new IptablesClient(netns.Runner), host);

        var first = await syncer.SyncAsync(source, CancellationToken.None);
        Assert.True(first.Full);
        var applied = await netns.SaveAsync();
        Assert.Contains("-A KORRAL-SEP-", applied);
        Assert.Contains("--to-destination 10.42.1.9:8080", applied);
        AssertForeignRulesKept(baseline, applied);
        AssertEachJumpOnce(applied);
        Assert.Contains("10.96.0.0/12 dev korral-svc0", (await netns.RunAsync("ip", "route")).Stdout);

        // A second full sync (a restart, or the periodic one) changes nothing.
        syncer.RequestFullSync();
        Assert.True((await syncer.SyncAsync(source, CancellationToken.None)).Full);
        Assert.Equal(applied, await netns.SaveAsync());

        // A partial sync: one service gone, one endpoint replaced.
        syncer.MarkChanged(source.Remove("api"));
        syncer.MarkChanged(source.Set(Service("web", "10.96.0.10"), Slice("web", Ready("10.42.1.5"), Ready("10.42.3.3"))));
        var partial = await syncer.SyncAsync(source, CancellationToken.None);
        Assert.False(partial.Full);
        Assert.Equal(4, partial.StaleChainsDeleted); // api's SVC, EXT and SEP, web's endpoint 10.42.2.7
        var after = await netns.SaveAsync();
        Assert.DoesNotContain("10.42.1.9", after);
        Assert.DoesNotContain("10.42.2.7", after);
        Assert.Contains("--to-destination 10.42.3.3:8080", after);
        Assert.Equal(ChainCount(applied) - 4 + 1, ChainCount(after)); // the four stale ones gone, web's new endpoint added
        AssertForeignRulesKept(baseline, after);
        AssertEachJumpOnce(after);

        // A new process (fresh state) whose first full sync finds chains of services that are gone meanwhile.
        source.Remove("web");
        var restarted = new ProxySyncer(options, new IptablesClient(netns.Runner), host);
        var fresh = await restarted.SyncAsync(source, CancellationToken.None);
        Assert.True(fresh.Full);
        var empty = await netns.SaveAsync();
        Assert.DoesNotContain("KORRAL-SVC-", empty);
        Assert.DoesNotContain("KORRAL-SEP-", empty);
        AssertEachJumpOnce(empty);

        var cleanup = await ProxyCleanup.RunAsync(new ProxyCleanupOptions { CommandPrefix = netns.Prefix }, CancellationToken.None);
        Assert.True(cleanup.GuardBridgeDeleted);
        Assert.Equal(13, cleanup.JumpRulesDeleted);
        Assert.Equal(baseline, await netns.SaveAsync());
        Assert.DoesNotContain("korral-svc0", (await netns.RunAsync("ip", "link")).Stdout);
        Assert.DoesNotContain("10.96.0.0", (await netns.RunAsync("ip", "route")).Stdout);

        // Clean-up with nothing left is a no-op.
        var again = await ProxyCleanup.RunAsync(new ProxyCleanupOptions { CommandPrefix = netns.Prefix }, CancellationToken.None);
        Assert.Equal(new ProxyCleanupResult(0, 0, false), again);
    }

    [NetnsFact]
    public async Task OutdatedAndDuplicateJumpRulesAreReplacedOnAFullSync()
    {
        await using var netns = await PrivateNetns.StartAsync();
        // What an older version (another comment) and a double insert might have left.
        (await netns.RunAsync("iptables", "-w", "-t", "nat", "-N", "KORRAL-SERVICES")).EnsureSuccess();
        (await netns.RunAsync("iptables", "-w", "-t", "nat", "-I", "PREROUTING", "-m", "comment", "--comment", "old portals", "-j", "KORRAL-SERVICES")).EnsureSuccess();
        (await netns.RunAsync("iptables", "-w", "-t", "nat", "-I", "OUTPUT", "-m", "comment", "--comment", "korral service portals", "-j", "KORRAL-SERVICES")).EnsureSuccess();
        (await netns.RunAsync("iptables", "-w", "-t", "nat", "-I", "OUTPUT", "-m", "comment", "--comment", "korral service portals", "-j", "KORRAL-SERVICES")).EnsureSuccess();
        (await netns.RunAsync("iptables", "-w", "-t", "nat", "-N", "KORRAL-SEP-LEFTOVER")).EnsureSuccess();

        var options = new ProxyOptions { NodeName = ThisNode, GuardBridge = null };
        var syncer = new ProxySyncer(options, new IptablesClient(netns.Runner), null);
        await syncer.SyncAsync(new MemorySource(), CancellationToken.None);

        var save = await netns.SaveAsync();
        Assert.DoesNotContain("old portals", save);
        Assert.DoesNotContain("KORRAL-SEP-LEFTOVER", save);
        AssertEachJumpOnce(save);
    }

    [NetnsFact]
    public async Task APeriodicSyncRestoresHooksThatSomeoneFlushed()
    {
        await using var netns = await PrivateNetns.StartAsync();
        var source = new MemorySource();
        source.Set(Service("web", "10.96.0.10"), Slice("web", Ready("10.42.1.5")));
        var syncer = new ProxySyncer(new ProxyOptions { NodeName = ThisNode, GuardBridge = null }, new IptablesClient(netns.Runner), null);
        await syncer.SyncAsync(source, CancellationToken.None);
        var applied = await netns.SaveAsync();

        // A firewall reload: the built-in chains flushed, our chains left as they were.
        (await netns.RunAsync("iptables", "-w", "-t", "nat", "-F", "PREROUTING")).EnsureSuccess();
        (await netns.RunAsync("iptables", "-w", "-t", "filter", "-F", "FORWARD")).EnsureSuccess();
        var periodic = await syncer.SyncAsync(source, CancellationToken.None);

        Assert.True(periodic.Full);
        Assert.Equal(applied, await netns.SaveAsync());
    }

    [NetnsFact]
    public async Task TwoProxiesWithTwoPrefixesShareAHostWithoutTouchingEachOther()
    {
        await using var netns = await PrivateNetns.StartAsync();
        var first = new MemorySource();
        first.Set(Service("web", "10.96.0.10"), Slice("web", Ready("10.42.1.5")));
        var second = new MemorySource();
        second.Set(Service("api", "10.97.0.10"), Slice("api", Ready("10.77.1.5")));
        var a = new ProxySyncer(new ProxyOptions { NodeName = ThisNode, ServiceCidr = "10.96.0.0/16", GuardBridge = "korral-svc0" },
            new IptablesClient(netns.Runner), new HostNetwork(netns.Runner, _ => { }));
        var b = new ProxySyncer(new ProxyOptions { NodeName = ThisNode, ServiceCidr = "10.97.0.0/16", GuardBridge = "korral2-svc0", ChainPrefix = "KORRAL2-" },
            new IptablesClient(netns.Runner), new HostNetwork(netns.Runner, _ => { }));

        await a.SyncAsync(first, CancellationToken.None);
        await b.SyncAsync(second, CancellationToken.None);
        a.RequestFullSync();
        await a.SyncAsync(first, CancellationToken.None);
        var both = await netns.SaveAsync();
        Assert.Contains("--to-destination 10.42.1.5:8080", both);
        Assert.Contains("--to-destination 10.77.1.5:8080", both);
        Assert.Contains(":KORRAL2-SERVICES", both);

        await ProxyCleanup.RunAsync(new ProxyCleanupOptions { CommandPrefix = netns.Prefix }, CancellationToken.None);
        var left = await netns.SaveAsync();
        Assert.DoesNotContain("KORRAL-", left);
        Assert.Contains("--to-destination 10.77.1.5:8080", left);
        Assert.Contains("korral2-svc0", (await netns.RunAsync("ip", "link")).Stdout);

        await ProxyCleanup.RunAsync(new ProxyCleanupOptions { CommandPrefix = netns.Prefix, ChainPrefix = "KORRAL2-", GuardBridge = "korral2-svc0" }, CancellationToken.None);
        Assert.DoesNotContain("KORRAL", await netns.SaveAsync());
    }

    private static int ChainCount(string save) => save.Split('\n').Count(l => l.StartsWith(":KORRAL-", StringComparison.Ordinal));

    private static void AssertForeignRulesKept(string baseline, string save)
    {
        foreach (var line in baseline.Split('\n').Where(l => l.StartsWith("-A ", StringComparison.Ordinal) || l.StartsWith(":OTHER", StringComparison.Ordinal)))
        {
            Assert.Contains(line, save.Split('\n'));
        }
    }

    private static void AssertEachJumpOnce(string save)
    {
        var jumps = save.Split('\n').Where(l => l.StartsWith("-A ", StringComparison.Ordinal) && !l.StartsWith("-A KORRAL-", StringComparison.Ordinal) && l.Contains("-j KORRAL-", StringComparison.Ordinal)).ToList();
        Assert.Equal(13, jumps.Count); // nat 3, filter 10 (with the localnet guard)
        Assert.Equal(jumps.Count, jumps.Distinct().Count());
    }
}
