using Korral.Client.Queues;
using Korral.Client.Tests.Fixtures;

namespace Korral.Client.Tests.Queues;

public sealed class RateLimiterTests
{
    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void Per_item_backoff_doubles_from_5_ms_and_is_capped_at_1000_s()
    {
        var limiter = RateLimiters.DefaultController<string>();

        var delays = Enumerable.Range(0, 5).Select(_ => limiter.When("a")).ToList();
        Assert.Equal([Ms(5), Ms(10), Ms(20), Ms(40), Ms(80)], delays);
        Assert.Equal(5, limiter.NumRequeues("a"));

        // Another item has its own count.
        Assert.Equal(Ms(5), limiter.When("b"));

        for (var i = 0; i < 100; i++)
        {
            limiter.When("a");
        }

        Assert.Equal(TimeSpan.FromSeconds(1000), limiter.When("a"));
    }

    [Fact]
    public void Forget_resets_an_items_backoff()
    {
        var limiter = new ItemExponentialFailureRateLimiter<string>(Ms(1), TimeSpan.FromSeconds(1));
        limiter.When("a");
        limiter.When("a");

        limiter.Forget("a");

        Assert.Equal(0, limiter.NumRequeues("a"));
        Assert.Equal(Ms(1), limiter.When("a"));
    }

    [Fact]
    public void The_bucket_allows_a_burst_then_spaces_retries_by_one_over_qps()
    {
        var time = new FakeTimeProvider();
        var bucket = new BucketRateLimiter<string>(qps: 10, burst: 3, time);

        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero], Enumerable.Range(0, 3).Select(i => bucket.When($"i{i}")).ToList());
        Assert.Equal(Ms(100), bucket.When("x"));
        Assert.Equal(Ms(200), bucket.When("y"));

        // Time pays back the debt first: after 300 ms there is exactly one token again.
        time.Advance(Ms(300));
        Assert.Equal(TimeSpan.Zero, bucket.When("z"));
        Assert.Equal(Ms(100), bucket.When("w"));
        Assert.Equal(0, bucket.NumRequeues("x"));
    }

    [Fact]
    public void The_bucket_refills_to_the_burst_and_no_further()
    {
        var time = new FakeTimeProvider();
        var bucket = new BucketRateLimiter<string>(qps: 1, burst: 2, time);
        bucket.When("a");
        bucket.When("a");

        time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(TimeSpan.Zero, bucket.When("a"));
        Assert.Equal(TimeSpan.Zero, bucket.When("a"));
        Assert.Equal(TimeSpan.FromSeconds(1), bucket.When("a"));
    }

    [Fact]
    public void Max_of_takes_the_longest_delay_and_forgets_in_all()
    {
        var time = new FakeTimeProvider();
        var limiter = RateLimiters.DefaultController<string>(time, overallQps: 1, overallBurst: 1);

        Assert.Equal(Ms(5), limiter.When("a"));
        Assert.Equal(TimeSpan.FromSeconds(1), limiter.When("b"));
        Assert.Equal(1, limiter.NumRequeues("a"));

        limiter.Forget("a");
        Assert.Equal(0, limiter.NumRequeues("a"));
    }

    [Fact]
    public void The_default_controller_limiter_has_no_overall_bucket()
    {
        var limiter = RateLimiters.DefaultController<int>();
        var delays = Enumerable.Range(0, 1000).Select(limiter.When).Distinct().ToList();
        Assert.Equal([Ms(5)], delays);
    }

    [Fact]
    public void Rate_limited_adds_wait_their_backoff_on_the_queue()
    {
        var time = new FakeTimeProvider();
        var q = new RateLimitingQueue<string>(time: time);

        q.AddRateLimited("a");
        Assert.Equal(0, q.Count);
        time.Advance(Ms(5));
        Assert.Equal(1, q.Count);

        q.AddRateLimited("b");
        q.AddRateLimited("b");
        Assert.Equal(2, q.NumRequeues("b"));
        time.Advance(Ms(5));
        // b waits the shorter of its two delays (5 ms, then 10 ms): the earlier time wins.
        Assert.Equal(2, q.Count);

        q.Forget("b");
        Assert.Equal(0, q.NumRequeues("b"));
    }

    [Fact]
    public async Task Workers_forget_successes_and_requeue_failures_with_backoff()
    {
        var time = new FakeTimeProvider();
        var q = new DoneSignallingQueue(new RateLimitingQueue<string>(time: time));
        var attempts = 0;
        var log = new List<string>();
        using var stop = new CancellationTokenSource();

        var run = QueueWorkers.RunAsync(q, 2, (key, _) =>
            Interlocked.Increment(ref attempts) == 1 ? throw new InvalidOperationException("boom") : Task.CompletedTask,
            line =>
            {
                lock (log)
                {
                    log.Add(line);
                }
            }, stop.Token);

        q.Add("ns/a");
        Assert.Equal("ns/a", await Wait.For(q.Done.Reader.ReadAsync().AsTask(), "the first, failing attempt to finish"));
        Assert.Equal(1, q.NumRequeues("ns/a"));
        Assert.Equal(0, q.Count);

        time.Advance(Ms(5));
        Assert.Equal("ns/a", await Wait.For(q.Done.Reader.ReadAsync().AsTask(), "the retry after 5 ms to finish"));
        Assert.Equal(2, attempts);
        Assert.Equal(0, q.NumRequeues("ns/a"));

        await stop.CancelAsync();
        await Wait.For(run, "the workers to stop");
        Assert.Contains(log, l => l.Contains("ns/a") && l.Contains("boom"));
    }

    /// <summary>A queue that reports every Done (which QueueWorkers calls last, after Forget or AddRateLimited).</summary>
    private sealed class DoneSignallingQueue(RateLimitingQueue<string> inner) : IRateLimitingQueue<string>
    {
        public System.Threading.Channels.Channel<string> Done { get; } = System.Threading.Channels.Channel.CreateUnbounded<string>();

        public int Count => inner.Count;

        public bool ShuttingDown => inner.ShuttingDown;

        public void Add(string item) => inner.Add(item);

        public void AddAfter(string item, TimeSpan delay) => inner.AddAfter(item, delay);

        public void AddRateLimited(string item) => inner.AddRateLimited(item);

        public void Forget(string item) => inner.Forget(item);

        public int NumRequeues(string item) => inner.NumRequeues(item);

        public ValueTask<(string Item, bool ShutDown)> GetAsync(CancellationToken cancellationToken) => inner.GetAsync(cancellationToken);

        void IWorkQueue<string>.Done(string item)
        {
            inner.Done(item);
            Done.Writer.TryWrite(item);
        }

        public void ShutDown() => inner.ShutDown();

        public Task ShutDownWithDrainAsync(CancellationToken cancellationToken) => inner.ShutDownWithDrainAsync(cancellationToken);
    }
}
