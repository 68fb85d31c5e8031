using Korral.Api.Models.CoordinationV1;
using Korral.Client.LeaderElection;
using Korral.Client.Tests.Fixtures;

namespace Korral.Client.Tests.LeaderElection;

/// <summary>Two candidates in one process, one server, real time with short leases.</summary>
public sealed class LeaderElectorTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>
    /// The server rejects every Lease write today: Korral.Api's SchemaValidator.IsRfc3339 parses fractions with the
    /// format "ss.FFFFFFFFFK" (9 F, .NET allows 7), so any MicroTime with a fraction ("…52.183153Z", what
    /// KubeMicroTimeConverter writes) is a 400. These tests pass with that format fixed to 7 F; remove this skip then.
    /// </summary>

    private KorralServer Server => fixture.Server;

    /// <summary>One candidate, with its callbacks turned into awaitable signals.</summary>
    private sealed class Candidate
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Stopped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<string> Leaders { get; } = [];

        public TaskCompletionSource<string> SawOther { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenSource Stop { get; } = new();

        public required LeaderElector Elector { get; init; }

        public Task? Run { get; set; }

        public CancellationToken WorkToken { get; set; }
    }

    private Candidate NewCandidate(KubeClient client, string ns, string identity, TimeSpan lease, TimeSpan renew, bool release, KorralServer? server = null)
    {
        Candidate? candidate = null;
        var elector = new LeaderElector(client, new LeaderElectionConfig
        {
            LeaseNamespace = ns,
            LeaseName = "controller",
            Identity = identity,
            LeaseDuration = lease,
            RenewDeadline = renew,
            RetryPeriod = TimeSpan.FromMilliseconds(500),
            ReleaseOnCancel = release,
            Log = (server ?? Server).Log,
            OnStartedLeading = async token =>
            {
                candidate!.WorkToken = token;
                candidate.Started.TrySetResult();
                await Task.Delay(Timeout.Infinite, token);
            },
            OnStoppedLeading = () => candidate!.Stopped.TrySetResult(),
            OnNewLeader = leader =>
            {
                lock (candidate!.Leaders)
                {
                    candidate.Leaders.Add(leader);
                }

                if (leader != identity)
                {
                    candidate.SawOther.TrySetResult(leader);
                }
            },
        });
        candidate = new Candidate { Elector = elector };
        return candidate;
    }

    private static void Start(Candidate c) => c.Run = c.Elector.RunAsync(c.Stop.Token);

    private async Task<Lease> LeaseAsync(KubeClient client, string ns) => await client.Resource<Lease>().GetAsync(ns, "controller", None);

    [Fact]
    public async Task Exactly_one_of_two_candidates_leads_and_both_see_it()
    {
        var client = Server.NewClient();
        var ns = await Server.CreateNamespaceAsync(client, "elect");
        var a = NewCandidate(client, ns, "a", TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), release: true);
        var b = NewCandidate(client, ns, "b", TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), release: true);
        Start(a);
        Start(b);

        var first = await Wait.For(Task.WhenAny(a.Started.Task, b.Started.Task), "a leader", Server.LogText);
        var (leader, follower) = first == a.Started.Task ? (a, b) : (b, a);
        var leaderId = leader == a ? "a" : "b";

        Assert.Equal(leaderId, await Wait.For(follower.SawOther.Task, "the follower to see the leader", Server.LogText));
        Assert.True(leader.Elector.IsLeader);
        Assert.False(follower.Elector.IsLeader);
        Assert.False(follower.Started.Task.IsCompleted);
        var lease = await LeaseAsync(client, ns);
        Assert.Equal(leaderId, lease.Spec?.HolderIdentity);
        Assert.Equal(3, lease.Spec?.LeaseDurationSeconds);
        Assert.Equal(0, lease.Spec?.LeaseTransitions);

        await a.Stop.CancelAsync();
        await b.Stop.CancelAsync();
        await Wait.For(Task.WhenAll(a.Run!, b.Run!), "both candidates to stop");
    }

    [Fact]
    public async Task A_leader_that_stops_without_releasing_is_replaced_once_its_lease_expires()
    {
        var client = Server.NewClient();
        var ns = await Server.CreateNamespaceAsync(client, "expire");
        var a = NewCandidate(client, ns, "a", TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), release: false);
        var b = NewCandidate(client, ns, "b", TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), release: false);
        Start(a);
        await Wait.For(a.Started.Task, "a to lead", Server.LogText);
        Start(b);
        await Wait.For(b.SawOther.Task, "b to see a lead", Server.LogText);

        var stopped = System.Diagnostics.Stopwatch.StartNew();
        await a.Stop.CancelAsync();
        await Wait.For(a.Stopped.Task, "a to stop leading");
        Assert.True(a.WorkToken.IsCancellationRequested);
        Assert.Equal("a", (await LeaseAsync(client, ns)).Spec?.HolderIdentity);

        await Wait.For(b.Started.Task, "b to take over", Server.LogText);
        stopped.Stop();

        // b waited for the lease to expire (3 s after it last saw a renew, which was at most ~1 s before a stopped).
        Assert.InRange(stopped.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3 + 3));
        var lease = await LeaseAsync(client, ns);
        Assert.Equal("b", lease.Spec?.HolderIdentity);
        Assert.Equal(1, lease.Spec?.LeaseTransitions);

        await b.Stop.CancelAsync();
        await Wait.For(b.Run!, "b to stop");
    }

    [Fact]
    public async Task A_leader_that_releases_on_cancel_is_replaced_at_once()
    {
        var client = Server.NewClient();
        var ns = await Server.CreateNamespaceAsync(client, "release");
        // A long lease: if b had to wait for it to expire, it would take 10 s.
        var a = NewCandidate(client, ns, "a", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), release: true);
        var b = NewCandidate(client, ns, "b", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), release: true);
        Start(a);
        await Wait.For(a.Started.Task, "a to lead", Server.LogText);
        Start(b);
        await Wait.For(b.SawOther.Task, "b to see a lead", Server.LogText);

        var stopped = System.Diagnostics.Stopwatch.StartNew();
        await a.Stop.CancelAsync();
        await Wait.For(a.Run!, "a to stop and release");
        Assert.True(a.Stopped.Task.IsCompleted);
        var released = await LeaseAsync(client, ns);
        Assert.True(string.IsNullOrEmpty(released.Spec?.HolderIdentity) || released.Spec.HolderIdentity == "b");

        await Wait.For(b.Started.Task, "b to take over", Server.LogText);
        stopped.Stop();

        // One retry period (500 ms, jittered up to 1.2×) plus the requests; far below the 10 s lease.
        Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(4), $"takeover took {stopped.Elapsed}");
        var lease = await LeaseAsync(client, ns);
        Assert.Equal("b", lease.Spec?.HolderIdentity);
        Assert.Equal(1, lease.Spec?.LeaseTransitions);
        Assert.Equal(10, lease.Spec?.LeaseDurationSeconds);

        await b.Stop.CancelAsync();
        await Wait.For(b.Run!, "b to stop");
    }

    [Fact]
    public async Task A_leader_that_cannot_renew_gives_up_after_the_renew_deadline()
    {
        await using var server = await KorralServer.StartAsync();
        var client = server.NewClient(o => o with { MaxRetries = 0, RequestTimeout = TimeSpan.FromSeconds(1) });
        var ns = await server.CreateNamespaceAsync(client, "lost");
        var a = NewCandidate(client, ns, "a", TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), release: true, server);
        Start(a);
        await Wait.For(a.Started.Task, "a to lead", server.LogText);

        await server.StopAsync();

        await Wait.For(a.Run!, "a to give up leadership", server.LogText);
        Assert.True(a.Stopped.Task.IsCompleted);
        Assert.True(a.WorkToken.IsCancellationRequested);
        Assert.False(a.Elector.IsLeader);
        Assert.Contains("leadership lost", server.LogText());
    }

    [Fact]
    public void Invalid_timings_are_rejected()
    {
        var client = Server.NewClient();
        var e = Assert.Throws<ArgumentException>(() => new LeaderElector(client, new LeaderElectionConfig
        {
            LeaseNamespace = "kube-system",
            LeaseName = "x",
            Identity = "",
            LeaseDuration = TimeSpan.FromSeconds(5),
            RenewDeadline = TimeSpan.FromSeconds(5),
            RetryPeriod = TimeSpan.FromSeconds(5),
        }));

        Assert.Contains("identity", e.Message);
        Assert.Contains("greater than renew deadline", e.Message);
        Assert.Contains("greater than retry period", e.Message);
    }
}
