namespace Korral.Client;

/// <summary>
/// Exponential backoff with jitter and a cap: <c>Next()</c> gives initial, initial×factor, … up to max, each stretched by
/// a random 0…jitter fraction (so that many clients that failed together do not retry together). <c>Reset()</c> after a
/// success. Not thread-safe: one per loop.
/// </summary>
public sealed class Backoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly double _factor;
    private readonly double _jitter;
    private TimeSpan _current;

    public Backoff(TimeSpan initial, TimeSpan max, double factor = 2.0, double jitter = 0.2)
    {
        if (initial <= TimeSpan.Zero || max < initial || factor < 1 || jitter < 0)
        {
            throw new ArgumentException($"backoff needs 0 < initial ({initial}) <= max ({max}), factor ({factor}) >= 1, jitter ({jitter}) >= 0");
        }

        _initial = initial;
        _max = max;
        _factor = factor;
        _jitter = jitter;
    }

    /// <summary>How many delays were handed out since the last reset.</summary>
    public int Attempts { get; private set; }

    /// <summary>The next delay (jittered), and grows the base for the one after.</summary>
    public TimeSpan Next()
    {
        _current = Attempts == 0 ? _initial : TimeSpan.FromTicks((long)Math.Min(_max.Ticks, _current.Ticks * _factor));
        Attempts++;
        return Jitter(_current, _jitter);
    }

    public void Reset()
    {
        Attempts = 0;
        _current = TimeSpan.Zero;
    }

    /// <summary>The delay of retry number <paramref name="attempt"/> (0-based) without state.</summary>
    public static TimeSpan Exponential(int attempt, TimeSpan initial, TimeSpan max, double jitter = 0.2)
    {
        var ticks = initial.Ticks * Math.Pow(2, Math.Min(attempt, 62));
        return Jitter(TimeSpan.FromTicks((long)Math.Min(max.Ticks, ticks)), jitter);
    }

    /// <summary><paramref name="delay"/> stretched by a random fraction in [0, <paramref name="jitter"/>).</summary>
    public static TimeSpan Jitter(TimeSpan delay, double jitter) =>
        jitter <= 0 ? delay : delay + TimeSpan.FromTicks((long)(delay.Ticks * jitter * Random.Shared.NextDouble()));
}
