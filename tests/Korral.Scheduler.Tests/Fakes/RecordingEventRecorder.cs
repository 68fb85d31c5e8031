using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Client.Events;

namespace Korral.Scheduler.Tests.Fakes;

/// <summary>An event recorder that keeps events as "namespace/name type reason: message" lines.</summary>
public sealed class RecordingEventRecorder : IEventRecorder
{
    private readonly List<string> _events = [];

    public List<string> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public void Event<T>(T obj, string type, string reason, string message)
        where T : class
        => Event(KubeObject.Reference(obj), type, reason, message);

    public void Event(ObjectReference involvedObject, string type, string reason, string message) =>
        Add($"{involvedObject.Namespace}/{involvedObject.Name}", type, reason, message);

    private void Add(string key, string type, string reason, string message)
    {
        lock (_events)
        {
            _events.Add($"{key} {type} {reason}: {message}");
        }
    }
}
