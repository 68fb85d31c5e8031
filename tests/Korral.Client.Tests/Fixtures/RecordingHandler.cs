using System.Threading.Channels;
using Korral.Client.Informers;

namespace Korral.Client.Tests.Fixtures;

/// <summary>
/// An informer handler that writes each notification as a line ("add a", "add a initial", "update a", "delete a",
/// "delete a unknown") for tests to await in order; a failed wait shows every line seen.
/// </summary>
public sealed class RecordingHandler<T> : IResourceEventHandler<T>
    where T : class
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _seen = [];

    /// <summary>Only notifications whose object passes this filter are recorded.</summary>
    public Func<T, bool> Filter { get; init; } = _ => true;

    public void OnAdd(T obj, bool isInInitialList) => Record(obj, $"add {Name(obj)}{(isInInitialList ? " initial" : "")}");

    public void OnUpdate(T oldObj, T newObj) => Record(newObj, $"update {Name(newObj)}");

    public void OnDelete(T obj, bool finalStateUnknown) => Record(obj, $"delete {Name(obj)}{(finalStateUnknown ? " unknown" : "")}");

    /// <summary>The next <paramref name="count"/> lines, in order.</summary>
    public async Task<List<string>> NextAsync(int count, TimeSpan? timeout = null)
    {
        var lines = new List<string>();
        using var cts = new CancellationTokenSource(timeout ?? Wait.Default);
        try
        {
            while (lines.Count < count)
            {
                lines.Add(await _lines.Reader.ReadAsync(cts.Token));
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"waited for {count} notifications, got [{string.Join(", ", lines)}]; all seen: [{Seen()}]");
        }

        return lines;
    }

    /// <summary>Reads lines until one equals <paramref name="line"/>; returns the ones read before it.</summary>
    public async Task<List<string>> UntilAsync(string line, TimeSpan? timeout = null)
    {
        var before = new List<string>();
        using var cts = new CancellationTokenSource(timeout ?? Wait.Default);
        try
        {
            while (true)
            {
                var next = await _lines.Reader.ReadAsync(cts.Token);
                if (next == line)
                {
                    return before;
                }

                before.Add(next);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"waited for \"{line}\"; all seen: [{Seen()}]");
        }
    }

    /// <summary>Lines recorded but not read yet.</summary>
    public List<string> Pending()
    {
        var lines = new List<string>();
        while (_lines.Reader.TryRead(out var line))
        {
            lines.Add(line);
        }

        return lines;
    }

    private string Seen()
    {
        lock (_seen)
        {
            return string.Join(", ", _seen);
        }
    }

    private void Record(T obj, string line)
    {
        if (!Filter(obj))
        {
            return;
        }

        lock (_seen)
        {
            _seen.Add(line);
        }

        _lines.Writer.TryWrite(line);
    }

    private static string Name(T obj) => KubeModel<T>.Metadata(obj)?.Name ?? "?";
}
