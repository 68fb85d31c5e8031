using Korral.Api.Models.CoreV1;
using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.VolumeBinding;
using static Korral.Scheduler.Tests.Plugins.VolumeBinding.Objects;

namespace Korral.Scheduler.Tests.Plugins.VolumeBinding;

public sealed class VolumeBindingFilterTests
{
    private const string BindConflict = "node(s) didn't find available persistent volumes to bind";
    private const string NodeConflict = "node(s) had volume node affinity conflict";

    public static TheoryData<string> Unsuitable => [.. UnsuitableVolumes.Keys];

    // Each volume alone would not do for a 1Gi ReadWriteOnce Filesystem claim of class "local".
    private static readonly Dictionary<string, PersistentVolume> UnsuitableVolumes = new()
    {
        ["too small"] = Volume("pv", "500Mi", "local"),
        ["other class"] = Volume("pv", "1Gi", "other"),
        ["no class"] = Volume("pv", "1Gi", null),
        ["missing access mode"] = Volume("pv", "1Gi", "local", modes: ["ReadOnlyMany"]),
        ["block volume"] = Volume("pv", "1Gi", "local").With(v => v.Spec!.VolumeMode = "Block"),
        ["released"] = Volume("pv", "1Gi", "local").With(v => v.Status!.Phase = "Released"),
        ["being deleted"] = Volume("pv", "1Gi", "local").With(v => v.Metadata!.DeletionTimestamp = DateTimeOffset.UnixEpoch),
        ["claimed by another claim"] = Volume("pv", "1Gi", "local").With(v => v.Spec!.ClaimRef = new ObjectReference { Namespace = Ns, Name = "other" }),
        ["beta class annotation wins"] = Volume("pv", "1Gi", "local").With(v => v.Metadata!.Annotations = new Dictionary<string, string>
        {
            ["volume.beta.kubernetes.io/storage-class"] = "other",
        }),
        ["node affinity elsewhere"] = Volume("pv", "1Gi", "local", In("zone", "b")),
    };

    [Theory]
    [MemberData(nameof(Unsuitable))]
    public void An_unbound_claim_without_a_suitable_volume_and_no_provisioner_does_not_fit(string name)
    {
        var fixture = new VolumeFixture().Add(Class("local"), Claim("data", "local"), Node("n1", "a"), UnsuitableVolumes[name]);
        var pod = Pod("web", "data");

        var (state, _) = fixture.PreFilter(pod);
        var status = fixture.Filter(state, pod)["n1"];

        Assert.Equal(StatusCode.UnschedulableAndUnresolvable, status.Code);
        Assert.Equal(BindConflict, status.Message);
    }

    [Fact]
    public void The_smallest_volume_that_fits_is_chosen()
    {
        var fixture = new VolumeFixture().Add(
            Class("local"), Claim("data", "local", request: "2Gi"), Node("n1", "a"),
            Volume("pv-1g", "1Gi", "local"), Volume("pv-5g", "5Gi", "local"), Volume("pv-2g", "2Gi", "local"), Volume("pv-3g", "3Gi", "local"));

        var state = fixture.Reserve(Pod("web", "data"), "n1");

        Assert.Equal("pv-2g", VolumeFixture.ChosenVolume(state, "n1", "data"));
    }

    [Fact]
    public void The_claim_selector_and_the_volume_node_affinity_narrow_the_choice()
    {
        var fixture = new VolumeFixture().Add(
            Class("local"),
            Claim("data", "local").With(c => c.Spec!.Selector = new Api.Models.MetaV1.LabelSelector { MatchLabels = new Dictionary<string, string> { ["tier"] = "gold" } }),
            Node("n1", "a"), Node("n2", "b"),
            Volume("plain", "1Gi", "local"),
            Volume("gold-a", "1Gi", "local", In("zone", "a")).With(v => v.Metadata!.Labels = new Dictionary<string, string> { ["tier"] = "gold" }));
        var pod = Pod("web", "data");

        var (state, _) = fixture.PreFilter(pod);
        var filter = fixture.Filter(state, pod);

        Assert.True(filter["n1"].IsSuccess);
        Assert.Equal(BindConflict, filter["n2"].Message);
        fixture.Plugin.Reserve(state, PodInfo.From(pod), "n1");
        Assert.Equal("gold-a", VolumeFixture.ChosenVolume(state, "n1", "data"));
    }

    [Fact]
    public void A_volume_pre_bound_to_the_claim_is_taken_even_when_bigger_but_only_where_it_fits()
    {
        var fixture = new VolumeFixture().Add(
            Class("local"), Claim("data", "local"), Node("n1", "a"), Node("n2", "b"),
            Volume("small", "1Gi", "local"),
            Volume("reserved", "10Gi", "local", In("zone", "a")).With(v => v.Spec!.ClaimRef = new ObjectReference { Namespace = Ns, Name = "data" }));
        var pod = Pod("web", "data");

        var (state, _) = fixture.PreFilter(pod);
        var filter = fixture.Filter(state, pod);
        fixture.Plugin.Reserve(state, PodInfo.From(pod), "n1");

        Assert.Equal("reserved", VolumeFixture.ChosenVolume(state, "n1", "data"));
        // Node n2 may not use the pre-bound volume, and no other volume is considered for the claim there.
        Assert.Equal(BindConflict, filter["n2"].Message);
    }

    [Fact]
    public void Two_claims_of_one_pod_never_get_the_same_volume()
    {
        var fixture = new VolumeFixture().Add(Class("local"), Claim("a", "local"), Claim("b", "local"), Node("n1", "a"), Volume("pv1", "1Gi", "local"));
        var pod = Pod("web", "a", "b");

        var (state, _) = fixture.PreFilter(pod);
        Assert.Equal(BindConflict, fixture.Filter(state, pod)["n1"].Message);

        fixture.Add(Volume("pv2", "1Gi", "local"));
        (state, _) = fixture.PreFilter(pod);
        Assert.True(fixture.Filter(state, pod)["n1"].IsSuccess);
        fixture.Plugin.Reserve(state, PodInfo.From(pod), "n1");
        Assert.Equal(["pv1", "pv2"], new[] { VolumeFixture.ChosenVolume(state, "n1", "a"), VolumeFixture.ChosenVolume(state, "n1", "b") }.Order());
    }

    [Fact]
    public void A_bound_claims_volume_must_accept_the_node()
    {
        var fixture = new VolumeFixture().Add(
            BoundClaim("data", "local", "pv1"), Volume("pv1", "1Gi", "local", In("zone", "a")), Node("n1", "a"), Node("n2", "b"));
        var pod = Pod("web", "data");

        var (state, _) = fixture.PreFilter(pod);
        var filter = fixture.Filter(state, pod);

        Assert.True(filter["n1"].IsSuccess);
        Assert.Equal(StatusCode.UnschedulableAndUnresolvable, filter["n2"].Code);
        Assert.Equal(NodeConflict, filter["n2"].Message);
    }

    [Fact]
    public void A_claim_bound_to_a_volume_that_does_not_exist_fits_nowhere()
    {
        var fixture = new VolumeFixture().Add(BoundClaim("data", "local", "gone"), Node("n1", "a"));
        var pod = Pod("web", "data");

        var (state, _) = fixture.PreFilter(pod);

        Assert.Equal("node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)", fixture.Filter(state, pod)["n1"].Message);
    }

    [Fact]
    public void Reasons_are_listed_in_upstreams_order()
    {
        var fixture = new VolumeFixture().Add(
            Class("local"), BoundClaim("old", "local", "pv-b"), Volume("pv-b", "1Gi", "local", In("zone", "b")), Claim("new", "local"), Node("n1", "a"));
        var pod = Pod("web", "old", "new");

        var (state, _) = fixture.PreFilter(pod);

        Assert.Equal([NodeConflict, BindConflict], fixture.Filter(state, pod)["n1"].Reasons);
    }

    [Fact]
    public void A_class_with_a_provisioner_provisions_where_its_allowed_topologies_allow()
    {
        var zoneA = new TopologySelectorTerm { MatchLabelExpressions = [new TopologySelectorLabelRequirement { Key = "zone", Values = ["a"] }] };
        var fixture = new VolumeFixture().Add(
            Class("csi", provisioner: "example.com/csi", allowed: [zoneA]), Claim("data", "csi"), Node("n1", "a"), Node("n2", "b"));
        var pod = Pod("web", "data");

        var (state, _) = fixture.PreFilter(pod);
        var filter = fixture.Filter(state, pod);

        Assert.True(filter["n1"].IsSuccess);
        Assert.Equal(BindConflict, filter["n2"].Message);
    }

    [Fact]
    public void A_claim_without_a_matching_volume_is_provisioned_while_the_others_take_volumes()
    {
        var fixture = new VolumeFixture().Add(
            Class("csi", provisioner: "example.com/csi"), Claim("small", "csi"), Claim("big", "csi", request: "100Gi"), Node("n1", "a"), Volume("pv1", "1Gi", "csi"));
        var pod = Pod("web", "small", "big");

        var state = fixture.Reserve(pod, "n1");

        var volumes = state.Read<VolumeBindingState>("VolumeBinding")!.ByNode["n1"];
        Assert.Equal("pv1", VolumeFixture.ChosenVolume(state, "n1", "small"));
        Assert.Equal("big", Assert.Single(volumes.DynamicProvisions).Metadata!.Name);
    }

    [Fact]
    public void Filter_without_PreFilter_state_is_an_error()
    {
        var fixture = new VolumeFixture().Add(Node("n1", "a"));

        var status = fixture.Filter(new CycleState(), Pod("web", "data"))["n1"];

        Assert.Equal(StatusCode.Error, status.Code);
    }
}
