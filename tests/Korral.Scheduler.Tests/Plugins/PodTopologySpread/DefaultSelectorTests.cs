using Korral.Api.Models.AppsV1;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.PodTopologySpread;
using static Korral.Scheduler.Tests.Plugins.PodTopologySpread.SpreadObjects;

namespace Korral.Scheduler.Tests.Plugins.PodTopologySpread;

public sealed class DefaultSelectorTests
{
    public sealed record SelectorCase(string Name, PodInfo Pod, SpreadListers Listers, string Expected)
    {
        public override string ToString() => Name;
    }

    private static Dictionary<string, string> WebFront => new() { ["tier"] = "front" };

    public static TheoryData<SelectorCase> Cases => new()
    {
        new("services that select the pod merge their selectors",
            Pod(labels: WebFront),
            Listers(services: [Service("a", new() { ["app"] = "web" }), Service("b", new() { ["tier"] = "front" }), Service("c", new() { ["app"] = "api" })]),
            "app=web,tier=front"),
        new("a service without a selector selects nothing; an empty one selects all and adds nothing",
            Pod(),
            Listers(services: [Service("a", null), Service("b", [])]),
            ""),
        new("services of other namespaces are not looked at",
            Pod(),
            Listers(services: [new Service { Metadata = new ObjectMeta { Name = "a", Namespace = "other" }, Spec = new ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "web" } } }]),
            ""),
        new("a replication controller's selector joins the services'",
            Pod(labels: WebFront, owner: ControlledBy("v1", "ReplicationController", "rc")),
            Listers(services: [Service("a", new() { ["app"] = "web" })], rcs: [new ReplicationController { Metadata = Meta("rc"), Spec = new ReplicationControllerSpec { Selector = new Dictionary<string, string> { ["tier"] = "front" } } }]),
            "app=web,tier=front"),
        new("a replica set's selector requirements are added",
            Pod(owner: ControlledBy("apps/v1", "ReplicaSet", "rs")),
            Listers(replicaSets: [new ReplicaSet { Metadata = Meta("rs"), Spec = new ReplicaSetSpec { Selector = Selector(("app", "web"), ("hash", "abc")) } }]),
            "app=web,hash=abc"),
        new("a stateful set's selector requirements are added",
            Pod(owner: ControlledBy("apps/v1", "StatefulSet", "ss")),
            Listers(statefulSets: [new StatefulSet { Metadata = Meta("ss"), Spec = new StatefulSetSpec { Selector = Selector(("app", "db")) } }]),
            "app=db"),
        new("an owner that is not the controller is ignored",
            Pod(owner: ControlledBy("apps/v1", "ReplicaSet", "rs", controller: false)),
            Listers(replicaSets: [new ReplicaSet { Metadata = Meta("rs"), Spec = new ReplicaSetSpec { Selector = Selector(("app", "web")) } }]),
            ""),
        new("a controller of another kind or missing from the cache adds nothing",
            Pod(owner: ControlledBy("batch/v1", "Job", "rs")),
            Listers(replicaSets: [new ReplicaSet { Metadata = Meta("rs"), Spec = new ReplicaSetSpec { Selector = Selector(("app", "web")) } }]),
            ""),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void DefaultSelector(SelectorCase c) => Assert.Equal(c.Expected, c.Listers.DefaultSelector(c.Pod).ToString());

    private static Service Service(string name, Dictionary<string, string>? selector) => new() { Metadata = Meta(name), Spec = new ServiceSpec { Selector = selector } };

    private static LabelSelector Selector(params (string Key, string Value)[] labels) => new() { MatchLabels = labels.ToDictionary(l => l.Key, l => l.Value) };
}
