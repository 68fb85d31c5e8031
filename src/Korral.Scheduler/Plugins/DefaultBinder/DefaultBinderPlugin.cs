using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Scheduler.Framework;
using ObjectMeta = Korral.Api.Models.MetaV1.ObjectMeta;

namespace Korral.Scheduler.Plugins.DefaultBinder;

/// <summary>
/// Upstream's DefaultBinder: binds through the API (<c>POST pods/{name}/binding</c> with the pod's name, namespace and
/// UID, target the node). The UID makes the server refuse the binding if the pod was deleted and recreated meanwhile.
/// A failed request is an Error status carrying the server's message; the framework then forgets the assumed pod and
/// retries it with backoff.
/// </summary>
public sealed class DefaultBinderPlugin(IFrameworkHandle handle) : IBindPlugin
{
    public const string PluginName = "DefaultBinder";

    public string Name => PluginName;

    public async Task<Status> BindAsync(CycleState state, PodInfo pod, string nodeName, CancellationToken cancellationToken)
    {
        var binding = new Binding
        {
            Metadata = new ObjectMeta
            {
                Namespace = pod.Namespace,
                Name = pod.Name,
                Uid = pod.Uid.Length == 0 ? null : pod.Uid,
            },
            Target = new ObjectReference { Kind = "Node", Name = nodeName },
        };
        try
        {
            await handle.Client.Resource<Pod>().BindAsync(pod.Namespace, pod.Name, binding, cancellationToken);
            return Status.Success;
        }
        catch (KubeApiException e)
        {
            return Status.Error(e.Status.Message is { Length: > 0 } message ? message : e.Message);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException)
        {
            return Status.Error(e.Message);
        }
    }
}
