using Korral.Controllers.NodeLifecycle;

namespace Korral.Controllers.Tests.NodeLifecycle;

/// <summary>Records evictions as "ns/name" with the time they happened; <see cref="Failures"/> makes the next ones throw.</summary>
public sealed class FakeTaintEvictionWriter(TimeProvider time) : ITaintEvictionWriter
{
    public List<(string Pod, DateTimeOffset At)> Evicted { get; } = [];

    public int Failures { get; set; }

    public Task<bool> EvictAsync(string ns, string name, CancellationToken cancellationToken)
    {
        lock (Evicted)
        {
            if (Failures > 0)
            {
                Failures--;
                throw new HttpRequestException("connection refused");
            }

            Evicted.Add(($"{ns}/{name}", time.GetUtcNow()));
        }

        return Task.FromResult(true);
    }
}
