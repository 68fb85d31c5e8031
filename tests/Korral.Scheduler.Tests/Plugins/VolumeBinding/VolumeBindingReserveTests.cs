using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.VolumeBinding;
using static Korral.Scheduler.Tests.Plugins.VolumeBinding.Objects;

namespace Korral.Scheduler.Tests.Plugins.VolumeBinding;

public sealed class VolumeBindingReserveTests
{
    [Fact]
    public void A_reserved_volume_is_not_offered_to_the_next_pod_until_it_is_unreserved()
    {
        var fixture = new VolumeFixture().Add(Class("local"), Claim("a", "local"), Claim("b", "local"), Node("n1", "a"), Volume("pv1", "1Gi", "local"));
        var first = Pod("first", "a");
        var second = Pod("second", "b");

        var firstState = fixture.Reserve(first, "n1");
        var (secondState, _) = fixture.PreFilter(second);
        var whileReserved = fixture.Filter(secondState, second)["n1"];
        fixture.Plugin.Unreserve(firstState, PodInfo.From(first), "n1");
        (secondState, _) = fixture.PreFilter(second);
        var afterUnreserve = fixture.Filter(secondState, second)["n1"];

        Assert.Equal("node(s) didn't find available persistent volumes to bind", whileReserved.Message);
        Assert.True(afterUnreserve.IsSuccess, afterUnreserve.ToString());
        // Reserve wrote nothing: the choice lives in memory until PreBind.
        Assert.Empty(fixture.Api.Writes);
        Assert.Null(fixture.Volume("pv1").Spec!.ClaimRef);
    }

    [Fact]
    public void Two_pods_in_one_burst_get_different_volumes()
    {
        var fixture = new VolumeFixture().Add(
            Class("local"), Claim("a", "local"), Claim("b", "local"), Node("n1", "a"), Volume("pv1", "1Gi", "local"), Volume("pv2", "1Gi", "local"));

        var first = fixture.Reserve(Pod("first", "a"), "n1");
        var second = fixture.Reserve(Pod("second", "b"), "n1");

        Assert.Equal("pv1", VolumeFixture.ChosenVolume(first, "n1", "a"));
        Assert.Equal("pv2", VolumeFixture.ChosenVolume(second, "n1", "b"));
    }

    [Fact]
    public void The_assumed_volume_points_at_the_claim_as_the_controller_would_bind_it()
    {
        var fixture = new VolumeFixture().Add(Class("local"), Claim("a", "local"), Node("n1", "a"), Volume("pv1", "1Gi", "local"));

        var state = fixture.Reserve(Pod("first", "a"), "n1");

        var assumed = state.Read<VolumeBindingState>(VolumeBindingPlugin.PluginName)!.ByNode["n1"].StaticBindings.Single().Volume;
        var claimRef = assumed.Spec!.ClaimRef!;
        Assert.Equal(("PersistentVolumeClaim", "v1", Ns, "a", "uid-a"), (claimRef.Kind, claimRef.ApiVersion, claimRef.Namespace, claimRef.Name, claimRef.Uid));
        Assert.Equal("yes", assumed.Metadata!.Annotations!["pv.kubernetes.io/bound-by-controller"]);
        Assert.Equal(fixture.Volume("pv1").Metadata!.ResourceVersion, assumed.Metadata.ResourceVersion);
    }

    [Fact]
    public void A_claim_annotated_for_provisioning_keeps_a_second_pod_on_the_same_node()
    {
        var fixture = new VolumeFixture().Add(Class("csi", provisioner: "example.com/csi"), Claim("shared", "csi"), Node("n1", "a"), Node("n2", "b"));
        var second = Pod("second", "shared");

        fixture.Reserve(Pod("first", "shared"), "n2");
        var (state, _) = fixture.PreFilter(second);
        var filter = fixture.Filter(state, second);

        Assert.Equal("node(s) didn't find available persistent volumes to bind", filter["n1"].Message);
        Assert.True(filter["n2"].IsSuccess);
    }

    [Fact]
    public void A_newer_version_from_the_informer_replaces_the_assumed_one()
    {
        var fixture = new VolumeFixture().Add(Class("local"), Claim("a", "local"), Claim("b", "local"), Node("n1", "a"), Volume("pv1", "1Gi", "local"));
        fixture.Reserve(Pod("first", "a"), "n1");

        // Someone else changed the volume (a new resourceVersion, still unbound): the assumption is gone.
        fixture.Change(fixture.Volume("pv1"), v => v.Metadata!.Labels = new Dictionary<string, string> { ["touched"] = "yes" });
        var second = Pod("second", "b");
        var (state, _) = fixture.PreFilter(second);

        Assert.True(fixture.Filter(state, second)["n1"].IsSuccess);
    }

    [Fact]
    public void A_pod_without_claims_or_with_bound_claims_has_nothing_to_bind()
    {
        var fixture = new VolumeFixture().Add(BoundClaim("data", "local", "pv1"), Volume("pv1", "1Gi", "local"), Node("n1", "a"));

        var withoutClaims = fixture.Reserve(Pod("plain"), "n1");
        var withBoundClaim = fixture.Reserve(Pod("web", "data"), "n1");

        Assert.True(withoutClaims.Read<VolumeBindingState>(VolumeBindingPlugin.PluginName)!.AllBound);
        Assert.True(withBoundClaim.Read<VolumeBindingState>(VolumeBindingPlugin.PluginName)!.AllBound);
    }
}
