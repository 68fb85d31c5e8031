namespace Korral.Controllers.Manager;

/// <summary>
/// Every controller the manager runs, in one readable map: name → factory and worker count. Each controller's folder
/// adds its line here.
/// </summary>
public static class ControllerRegistry
{
    public static IReadOnlyList<(string Name, int Workers, Func<ControllerContext, IController> Create)> All { get; } =
    [
        ("replicaset", 5, c => new Korral.Controllers.ReplicaSets.ReplicaSetController(c)),
        ("deployment", 5, c => new Korral.Controllers.Deployments.DeploymentController(c)),
        ("endpoint", 5, c => new Korral.Controllers.ServiceEndpoints.EndpointsController(c)),
        ("endpointslice", 5, c => new Korral.Controllers.EndpointSlices.EndpointSliceController(c)),
        ("garbagecollector", 20, c => new GarbageCollector.GarbageCollectorController(c)),
        ("namespace", 10, c => new Namespace.NamespaceController(c)),
        ("serviceaccount", 1, c => new ServiceAccount.ServiceAccountController(c)),
        ("root-ca-cert-publisher", 1, c => new RootCaPublisher.RootCaCertPublisher(c)),
        ("podgc", 1, c => new PodGC.PodGCController(c)),
        ("nodelifecycle", 8, c => new NodeLifecycle.NodeLifecycleController(c)),
        ("tainteviction", 8, c => new NodeLifecycle.TaintEvictionController(c)),
        ("disruption", 1, c => new Disruption.DisruptionController(c)),
        ("persistentvolume-binder", 1, c => new Volumes.PersistentVolumeController(c)),
        ("local-path-provisioner", 1, c => new Volumes.LocalPathProvisioner(c)),
        ("nodeipam", 1, c => new NodeIpam.NodeIpamController(c, c.Options.ToNodeIpamOptions())),
    ];
}
