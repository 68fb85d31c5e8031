using Korral.Api.Models.CoordinationV1;
using Korral.Api.Models.CoreV1;
using Korral.Controllers.Manager;

namespace Korral.Controllers.Tests.Manager;

/// <summary>Two controller managers against one API server: one leads and runs the controllers; stopping it hands over.</summary>
public sealed class ControllerManagerTests
{
    /// <summary>Records when its manager runs it; stands in for the real controllers.</summary>
    private sealed class ProbeController(string owner, Action<string, bool> report) : IController
    {
        public string Name => "probe";

        public async Task RunAsync(int workers, CancellationToken cancellationToken)
        {
            report(owner, true);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }

            report(owner, false);
        }
    }

    [Fact]
    public async Task Exactly_one_of_two_managers_leads_and_stopping_it_lets_the_other_lead()
    {
        await using var server = await TestApiServer.StartAsync();
        var client = server.NewClient("system:kube-controller-manager");
        var running = new Dictionary<string, bool>();
        var changed = new SemaphoreSlim(0);
        void Report(string owner, bool on)
        {
            lock (running)
            {
                running[owner] = on;
            }

            changed.Release();
        }

        ControllerManager Manager(string identity)
        {
            // Short durations keep the test short; every other setting is the real default.
            var options = new ControllerManagerOptions
            {
                Identity = identity,
                LeaseDuration = TimeSpan.FromSeconds(3),
                RenewDeadline = TimeSpan.FromSeconds(2),
                RetryPeriod = TimeSpan.FromMilliseconds(300),
                Log = server.Log,
            };
            return new ControllerManager(client, options, [("probe", 1, c =>
            {
                // The context carries the manager's shared pieces.
                Assert.NotNull(c.Informers.Informer<Pod>());
                return new ProbeController(identity, Report);
            })]);
        }

        var one = Manager("host-1_" + Guid.NewGuid());
        var two = Manager("host-2_" + Guid.NewGuid());
        using var stopOne = new CancellationTokenSource();
        using var stopTwo = new CancellationTokenSource();
        var runOne = one.RunAsync(stopOne.Token);
        var runTwo = two.RunAsync(stopTwo.Token);

        async Task<string> UntilRunning(Func<Dictionary<string, bool>, string?> pick, string what)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (true)
            {
                lock (running)
                {
                    if (pick(running) is { } found)
                    {
                        return found;
                    }
                }

                var left = deadline - DateTime.UtcNow;
                Assert.True(left > TimeSpan.Zero && await changed.WaitAsync(left), $"timed out waiting for {what}; running: {string.Join(", ", running)}\n{server.LogText()}");
            }
        }

        var leader = await UntilRunning(r => r.FirstOrDefault(kv => kv.Value).Key, "a leader");
        var (leading, follower, stopLeader, runLeader) = leader == one.Identity ? (one, two, stopOne, runOne) : (two, one, stopTwo, runTwo);
        Assert.True(leading.IsLeading);
        Assert.False(follower.IsLeading);
        var lease = await client.Resource<Lease>().GetAsync("kube-system", "kube-controller-manager", CancellationToken.None);
        Assert.Equal(leader, lease.Spec!.HolderIdentity);

        // Several retry periods later the follower still follows.
        using (var window = new CancellationTokenSource(TimeSpan.FromSeconds(1.5)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => UntilRunningFollower(window.Token));
        }

        await stopLeader.CancelAsync();
        await runLeader.WaitAsync(TimeSpan.FromSeconds(10));
        await UntilRunning(r => r.TryGetValue(follower.Identity, out var on) && on ? follower.Identity : null, "the follower to take over");
        lock (running)
        {
            Assert.False(running[leader], "the stopped leader's controllers still run");
        }

        Assert.True(follower.IsLeading);
        lease = await client.Resource<Lease>().GetAsync("kube-system", "kube-controller-manager", CancellationToken.None);
        Assert.Equal(follower.Identity, lease.Spec!.HolderIdentity);

        await (leader == one.Identity ? stopTwo : stopOne).CancelAsync();
        await (leader == one.Identity ? runTwo : runOne).WaitAsync(TimeSpan.FromSeconds(10));

        async Task UntilRunningFollower(CancellationToken ct)
        {
            while (true)
            {
                lock (running)
                {
                    Assert.False(running.TryGetValue(follower.Identity, out var on) && on, "the follower started its controllers while the leader leads");
                }

                await changed.WaitAsync(ct);
            }
        }
    }

    [Fact]
    public void Controllers_flag_selects_by_name_star_and_minus()
    {
        var all = new ControllerManagerOptions();
        Assert.True(all.IsEnabled("endpoint"));
        var without = new ControllerManagerOptions { Controllers = ["*", "-endpoint"] };
        Assert.False(without.IsEnabled("endpoint"));
        Assert.True(without.IsEnabled("endpointslice"));
        var only = new ControllerManagerOptions { Controllers = ["endpointslice"] };
        Assert.False(only.IsEnabled("endpoint"));
        Assert.True(only.IsEnabled("endpointslice"));
        Assert.Contains("unknown controller \"nope\"", Assert.Single(new ControllerManagerOptions { Controllers = ["nope"] }.Validate(["endpoint"])));
    }
}
