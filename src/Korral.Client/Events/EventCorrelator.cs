using System.Globalization;
using System.Text.Json.Nodes;
using Korral.Api.Models.CoreV1;

namespace Korral.Client.Events;

/// <summary>
/// Decides what one new Event becomes, as upstream's EventCorrelator: dropped by the per-object spam filter, combined
/// with similar events of the same reason, or counted into the identical Event recorded shortly before (a PATCH of
/// count, lastTimestamp and message). Owned by the recorder's single writer loop: not thread-safe.
/// </summary>
internal sealed class EventCorrelator(EventRecorderOptions options)
{
    public const string CombinedPrefix = "(combined from similar events): ";

    private readonly LruCache<string, SpamBucket> _spam = new(options.CacheSize);
    private readonly LruCache<string, AggregateRecord> _aggregates = new(options.CacheSize);
    private readonly LruCache<string, Observed> _observed = new(options.CacheSize);

    public Correlation Correlate(Event e, DateTimeOffset now)
    {
        if (!Allow(SpamKey(e), now))
        {
            return new Correlation(e, null, "", Skip: true);
        }

        var (aggregated, key) = Aggregate(e, now);
        return Observe(aggregated, key, now);
    }

    /// <summary>Remembers what the server stored for <paramref name="key"/> (name, resourceVersion, count) for the next repeat.</summary>
    public void Saved(string key, Event saved, DateTimeOffset now)
    {
        _observed.Set(key, new Observed(saved.Count ?? 1, saved.FirstTimestamp ?? now, now, saved.Metadata?.Name ?? "", saved.Metadata?.ResourceVersion));
    }

    private bool Allow(string key, DateTimeOffset now)
    {
        if (!_spam.TryGet(key, out var bucket))
        {
            bucket = new SpamBucket(options.SpamBurst, now);
            _spam.Set(key, bucket);
        }

        return bucket.TryTake(now, options.SpamBurst, options.SpamRefillInterval);
    }

    private (Event Event, string Key) Aggregate(Event e, DateTimeOffset now)
    {
        var aggregateKey = AggregateKey(e);
        if (!_aggregates.TryGet(aggregateKey, out var record) || now - record.Last > options.AggregationWindow)
        {
            record = new AggregateRecord();
        }

        record.Messages.Add(e.Message ?? "");
        record.Last = now;
        _aggregates.Set(aggregateKey, record);
        if (record.Messages.Count < options.MaxSimilarEvents)
        {
            return (e, EventKey(e));
        }

        // Too many different messages for one reason: count them all in one combined Event, keyed without the message.
        e.Message = CombinedPrefix + e.Message;
        return (e, aggregateKey);
    }

    private Correlation Observe(Event e, string key, DateTimeOffset now)
    {
        if (_observed.TryGet(key, out var seen) && now - seen.Last <= options.AggregationWindow && seen.Name.Length > 0)
        {
            var count = seen.Count + 1;
            var meta = e.Metadata!;
            meta.Name = seen.Name;
            meta.ResourceVersion = seen.ResourceVersion;
            e.Count = count;
            e.FirstTimestamp = seen.First;
            _observed.Set(key, seen with { Count = count, Last = now });
            var patch = new JsonObject
            {
                ["count"] = count,
                ["lastTimestamp"] = e.LastTimestamp?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["message"] = e.Message,
            };
            return new Correlation(e, patch.ToJsonString(), key, Skip: false);
        }

        _observed.Set(key, new Observed(1, e.FirstTimestamp ?? now, now, "", null));
        return new Correlation(e, null, key, Skip: false);
    }

    private static string SpamKey(Event e) => Join(e.Source?.Component, e.Source?.Host, e.InvolvedObject?.Kind, e.InvolvedObject?.Namespace,
        e.InvolvedObject?.Name, e.InvolvedObject?.Uid, e.InvolvedObject?.ApiVersion);

    private static string AggregateKey(Event e) => Join(e.Source?.Component, e.Source?.Host, e.InvolvedObject?.Kind, e.InvolvedObject?.Namespace,
        e.InvolvedObject?.Name, e.InvolvedObject?.FieldPath, e.InvolvedObject?.Uid, e.InvolvedObject?.ApiVersion, e.Type, e.Reason);

    private static string EventKey(Event e) => Join(AggregateKey(e), e.Message);

    private static string Join(params ReadOnlySpan<string?> parts) => string.Join('\u001f', parts!);

    private sealed class AggregateRecord
    {
        public HashSet<string> Messages { get; } = [];

        public DateTimeOffset Last { get; set; }
    }

    private sealed record Observed(int Count, DateTimeOffset First, DateTimeOffset Last, string Name, string? ResourceVersion);

    /// <summary>A token bucket: burst tokens, one back per refill interval.</summary>
    private sealed class SpamBucket(int tokens, DateTimeOffset last)
    {
        private double _tokens = tokens;
        private DateTimeOffset _last = last;

        public bool TryTake(DateTimeOffset now, int burst, TimeSpan refill)
        {
            if (now > _last)
            {
                _tokens = Math.Min(burst, _tokens + ((now - _last) / refill));
                _last = now;
            }

            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }
}

/// <summary>What to write for one event: create <see cref="Event"/>, or PATCH it with <see cref="Patch"/>; or nothing.</summary>
internal sealed record Correlation(Event Event, string? Patch, string Key, bool Skip);
