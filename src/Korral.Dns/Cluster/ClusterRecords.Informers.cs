using Korral.Api.Models.CoreV1;
using Korral.Api.Models.DiscoveryV1;
using Korral.Client.Informers;

namespace Korral.Dns.Cluster;

public sealed partial class ClusterRecords
{
    private IReadOnlyList<IEventHandlerRegistration> _registrations = [];

    /// <summary>
    /// Keeps the index in step with the informers of <paramref name="informers"/>: Services, EndpointSlices, Namespaces
    /// and, with <paramref name="watchPods"/> (for <see cref="PodRecordsMode.Verified"/>), Pods. Every watch event
    /// updates the index at once. Start the factory afterwards (or before: handlers added to running informers get the
    /// cache first). Dispose the result to stop following.
    /// </summary>
    public IDisposable Watch(SharedInformerFactory informers, bool watchPods = false)
    {
        var registrations = new List<IEventHandlerRegistration>
        {
            informers.Informer<Service>().AddEventHandler(SetService, (_, s) => SetService(s), RemoveService),
            informers.Informer<EndpointSlice>().AddEventHandler(SetEndpointSlice, (_, s) => SetEndpointSlice(s), RemoveEndpointSlice),
            informers.Informer<Namespace>().AddEventHandler(SetNamespace, (_, n) => SetNamespace(n), RemoveNamespace),
        };
        if (watchPods)
        {
            registrations.Add(informers.Informer<Pod>().AddEventHandler(SetPod, (_, p) => SetPod(p), RemovePod));
        }

        _registrations = registrations;
        return new Registrations(registrations);
    }

    /// <summary>Completes when every watched resource's first list is in the index.</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_registrations.Select(r => r.WaitForSyncAsync(cancellationToken)));

    private bool CheckRegistrationsSynced()
    {
        var registrations = _registrations;
        if (registrations.Count == 0 || !registrations.All(r => r.HasSynced))
        {
            return false;
        }

        _synced = true;
        return true;
    }

    private sealed class Registrations(List<IEventHandlerRegistration> registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }
}
