using System.Collections.Concurrent;
using Korral.Api.Models.CoreV1;
using Korral.Client.Events;

namespace Korral.Kubelet.Tests.Probes;

/// <summary>Keeps every event as "Type Reason: message" with the object's field path.</summary>
public sealed class RecordingEvents : IEventRecorder
{
    private readonly ConcurrentQueue<(ObjectReference Object, string Text)> _events = new();

    public IReadOnlyList<(ObjectReference Object, string Text)> Events => [.. _events];

    public void Event<T>(T obj, string type, string reason, string message)
        where T : class => throw new NotSupportedException();

    public void Event(ObjectReference involvedObject, string type, string reason, string message) =>
        _events.Enqueue((involvedObject, $"{type} {reason}: {message}"));
}
