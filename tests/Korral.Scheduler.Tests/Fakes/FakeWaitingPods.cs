using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Tests.Fakes;

/// <summary>Pods held at Permit, by UID; allowing or rejecting one takes it out and is recorded.</summary>
public sealed class FakeWaitingPods : IWaitingPods
{
    private readonly object _lock = new();
    private readonly HashSet<string> _waiting = new(StringComparer.Ordinal);
    private readonly List<string> _decisions = [];

    public IReadOnlyCollection<string> WaitingPodUids
    {
        get
        {
            lock (_lock)
            {
                return [.. _waiting];
            }
        }
    }

    /// <summary>"allow uid by plugin" or "reject uid by plugin: message", in order.</summary>
    public List<string> Decisions
    {
        get
        {
            lock (_lock)
            {
                return [.. _decisions];
            }
        }
    }

    public void Add(string podUid)
    {
        lock (_lock)
        {
            _waiting.Add(podUid);
        }
    }

    public bool Allow(string podUid, string plugin) => Decide(podUid, $"allow {podUid} by {plugin}");

    public bool Reject(string podUid, string plugin, string message) => Decide(podUid, $"reject {podUid} by {plugin}: {message}");

    private bool Decide(string podUid, string decision)
    {
        lock (_lock)
        {
            if (!_waiting.Remove(podUid))
            {
                return false;
            }

            _decisions.Add(decision);
            return true;
        }
    }
}
