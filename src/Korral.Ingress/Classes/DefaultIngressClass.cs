using Korral.Api.Models.MetaV1;
using Korral.Api.Models.NetworkingV1;
using Korral.Client;

namespace Korral.Ingress.Classes;

/// <summary>The IngressClass the controller creates at start, marked as the cluster's default.</summary>
public static class DefaultIngressClass
{
    /// <summary>The class as created: our name and controller, is-default-class "true".</summary>
    public static IngressClass Build(string className, string controllerName) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = className,
            Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "korral" },
            Annotations = new Dictionary<string, string> { [IngressClassFilter.DefaultClassAnnotation] = "true" },
        },
        Spec = new IngressClassSpec { Controller = controllerName },
    };

    /// <summary>
    /// Creates the class unless it exists (then it is left alone: whoever made it decides its controller and whether it
    /// is the default). Retries transient failures until <paramref name="cancellationToken"/>. True when created.
    /// </summary>
    public static async Task<bool> EnsureAsync(KubeClient client, string className, string controllerName, Action<string> log, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (true)
        {
            try
            {
                await client.Resource<IngressClass>().CreateAsync(Build(className, controllerName), cancellationToken);
                log($"ingress: created IngressClass {className} (controller {controllerName}, the default class)");
                return true;
            }
            catch (KubeApiException e) when (e.IsAlreadyExists)
            {
                return false;
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                log($"ingress: creating IngressClass {className} failed (retrying in {delay.TotalSeconds:F1} s): {e.Message}");
                await Task.Delay(delay, time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }
}
