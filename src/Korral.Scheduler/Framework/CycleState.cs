using System.Collections.Concurrent;

namespace Korral.Scheduler.Framework;

/// <summary>
/// Per-pod, per-cycle scratch space where PreFilter/PreScore plugins leave what Filter/Score read. Filter runs in
/// parallel, so values must be read-only once written; preemption clones the state (<see cref="Clone"/>) and then
/// changes the clones of values that implement <see cref="IStateData"/>.
/// </summary>
public sealed class CycleState
{
    private readonly ConcurrentDictionary<string, object> _data;

    public CycleState()
    {
        _data = new ConcurrentDictionary<string, object>(StringComparer.Ordinal);
    }

    private CycleState(ConcurrentDictionary<string, object> data) => _data = data;

    /// <summary>Plugins whose PreFilter said Skip: their Filter is not run.</summary>
    public HashSet<string> SkipFilterPlugins { get; private init; } = new(StringComparer.Ordinal);

    /// <summary>Plugins whose PreScore said Skip: their Score is not run.</summary>
    public HashSet<string> SkipScorePlugins { get; private init; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The filter plugins to skip by position in the framework's Filter list, computed once after PreFilter so that the
    /// per-node loop does not look names up; null means "consult <see cref="SkipFilterPlugins"/>".
    /// </summary>
    internal bool[]? FilterSkipMask { get; set; }

    public void Write(string key, object value) => _data[key] = value;

    public T? Read<T>(string key) where T : class => _data.TryGetValue(key, out var v) ? v as T : null;

    /// <summary>A copy for preemption's what-if runs: values that are <see cref="IStateData"/> are cloned.</summary>
    public CycleState Clone()
    {
        var copy = new ConcurrentDictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, value) in _data)
        {
            copy[key] = value is IStateData data ? data.Clone() : value;
        }

        return new CycleState(copy)
        {
            SkipFilterPlugins = new HashSet<string>(SkipFilterPlugins, StringComparer.Ordinal),
            SkipScorePlugins = new HashSet<string>(SkipScorePlugins, StringComparer.Ordinal),
            FilterSkipMask = FilterSkipMask,
        };
    }
}
