using Korral.Api.Models.CoreV1;

namespace Korral.Client.Events;

/// <summary>
/// Records Events about objects (what <c>kubectl describe</c> shows). Never blocks and never throws: events are
/// best-effort, written in the background, aggregated and rate-limited, and dropped (with a log line) when the
/// recorder falls behind.
/// </summary>
public interface IEventRecorder
{
    /// <summary>An event about <paramref name="obj"/>; <paramref name="type"/> is <see cref="EventTypes.Normal"/> or <see cref="EventTypes.Warning"/>,
    /// <paramref name="reason"/> a short UpperCamelCase word ("SuccessfulCreate", "FailedScheduling").</summary>
    void Event<T>(T obj, string type, string reason, string message)
        where T : class;

    /// <summary>An event about the object <paramref name="involvedObject"/> refers to.</summary>
    void Event(ObjectReference involvedObject, string type, string reason, string message);
}
