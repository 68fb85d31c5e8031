namespace Korral.Scheduler.Plugins.PodTopologySpread;

/// <summary>
/// The two domains with the fewest matching pods for one constraint (upstream's criticalPaths): the first always holds the
/// minimum; the second is at least as large but not necessarily the second smallest. Two suffice because a preemption
/// what-if only changes pods on one node, i.e. in one domain at a time.
/// </summary>
internal struct CriticalPaths
{
    private string _value0;
    private int _count0;
    private string _value1;
    private int _count1;

    public static CriticalPaths Empty => new() { _value0 = "", _count0 = int.MaxValue, _value1 = "", _count1 = int.MaxValue };

    /// <summary>The smallest count (int.MaxValue while no domain is known).</summary>
    public readonly int MinCount => _count0;

    public readonly string MinValue => _value0;

    /// <summary>Records that domain <paramref name="value"/> now holds <paramref name="count"/> matching pods.</summary>
    public void Update(string value, int count)
    {
        if (value == _value0 || value == _value1)
        {
            if (value == _value0)
            {
                _count0 = count;
            }
            else
            {
                _count1 = count;
            }

            if (_count0 > _count1)
            {
                (_value0, _count0, _value1, _count1) = (_value1, _count1, _value0, _count0);
            }
        }
        else if (count < _count0)
        {
            (_value1, _count1) = (_value0, _count0);
            (_value0, _count0) = (value, count);
        }
        else if (count < _count1)
        {
            (_value1, _count1) = (value, count);
        }
    }
}
