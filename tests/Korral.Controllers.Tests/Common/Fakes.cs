using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Client.Events;
using Korral.Controllers.Common;

namespace Korral.Controllers.Tests.Common;

/// <summary>A clock that moves only when told to.</summary>
public sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>Records events as "Type Reason Message" lines.</summary>
public sealed class RecordingEvents : IEventRecorder
{
    public List<string> Lines { get; } = [];

    public void Event<T>(T obj, string type, string reason, string message)
        where T : class
    {
        lock (Lines)
        {
            Lines.Add($"{type} {reason} {message}");
        }
    }

    public void Event(ObjectReference involvedObject, string type, string reason, string message) => Event((object)involvedObject, type, reason, message);
}

/// <summary>Counts pod writes; creates get names "generateName" + a counter; <see cref="FailCreatesAfter"/> makes later creates fail.</summary>
public sealed class FakePodControl : IPodControl
{
    private int _created;

    public List<Pod> Created { get; } = [];

    public List<string> Deleted { get; } = [];

    public List<(string Name, string Patch)> Patches { get; } = [];

    public int? FailCreatesAfter { get; set; }

    public Task<Pod> CreatePodAsync(string ns, PodTemplateSpec template, string generateName, OwnerReference controllerRef, CancellationToken cancellationToken)
    {
        lock (Created)
        {
            if (FailCreatesAfter is { } n && Created.Count >= n)
            {
                throw new InvalidOperationException("quota exceeded");
            }

            var pod = PodTemplates.NewPod(ns, template, generateName, controllerRef);
            pod.Metadata!.Name = $"{generateName}{++_created:00000}";
            Created.Add(pod);
            return Task.FromResult(pod);
        }
    }

    public Task DeletePodAsync(string ns, string name, CancellationToken cancellationToken)
    {
        lock (Deleted)
        {
            Deleted.Add(name);
        }

        return Task.CompletedTask;
    }

    public Task PatchPodAsync(string ns, string name, string strategicMergePatch, CancellationToken cancellationToken)
    {
        lock (Patches)
        {
            Patches.Add((name, strategicMergePatch));
        }

        return Task.CompletedTask;
    }
}
