using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.VolumeBinding;
using static Korral.Scheduler.Tests.Plugins.VolumeBinding.Objects;

namespace Korral.Scheduler.Tests.Plugins.VolumeBinding;

public sealed class VolumeBindingPreBindTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_static_binding_ends_as_the_PV_controller_would_leave_it()
    {
        var fixture = new VolumeFixture().Add(
            Class("local"), Claim("data", "local", request: "1Gi", modes: ["ReadWriteOnce"]), Node("n1", "a"),
            Volume("pv1", "2Gi", "local", modes: ["ReadWriteOnce", "ReadOnlyMany"]));
        var pod = Pod("web", "data");
        var state = fixture.Reserve(pod, "n1");

        var status = await fixture.PreBindAsync(state, pod, "n1").WaitAsync(TestTimeout);

        Assert.True(status.IsSuccess, status.ToString());
        // The scheduler's own write, then what upstream's PV controller does in its bind().
        Assert.Equal(["update pv/pv1", "status pv/pv1", "update pvc/default/data", "status pvc/default/data"], fixture.Api.Writes);
        var volume = fixture.Volume("pv1");
        Assert.Equal(("data", "uid-data"), (volume.Spec!.ClaimRef!.Name, volume.Spec.ClaimRef.Uid));
        Assert.Equal("yes", volume.Metadata!.Annotations!["pv.kubernetes.io/bound-by-controller"]);
        Assert.Equal("Bound", volume.Status!.Phase);
        var claim = fixture.Claim("data");
        Assert.Equal("pv1", claim.Spec!.VolumeName);
        Assert.Equal("yes", claim.Metadata!.Annotations!["pv.kubernetes.io/bind-completed"]);
        Assert.Equal("yes", claim.Metadata.Annotations["pv.kubernetes.io/bound-by-controller"]);
        Assert.Equal("Bound", claim.Status!.Phase);
        Assert.Equal("2Gi", claim.Status.Capacity!["storage"].ToString());
        Assert.Equal(["ReadWriteOnce", "ReadOnlyMany"], claim.Status.AccessModes);
        Assert.Equal("1Gi", claim.Spec.Resources!.Requests!["storage"].ToString());
    }

    [Fact]
    public async Task A_claim_write_that_loses_a_race_is_retried_on_the_claim_read_again()
    {
        var fixture = new VolumeFixture().Add(Class("local"), Claim("data", "local"), Node("n1", "a"), Volume("pv1", "1Gi", "local"));
        var pod = Pod("web", "data");
        var state = fixture.Reserve(pod, "n1");
        fixture.Api.ConflictOnce("pvc/default/data");

        var status = await fixture.PreBindAsync(state, pod, "n1").WaitAsync(TestTimeout);

        Assert.True(status.IsSuccess, status.ToString());
        Assert.Equal(["update pv/pv1", "status pv/pv1", "update pvc/default/data", "update pvc/default/data", "status pvc/default/data"], fixture.Api.Writes);
        Assert.True(VolumeRules.IsFullyBound(fixture.Claim("data")));
    }

    [Fact]
    public async Task A_claim_deleted_and_created_again_since_Reserve_is_not_bound()
    {
        var fixture = new VolumeFixture().Add(Class("local"), Claim("data", "local"), Node("n1", "a"), Volume("pv1", "1Gi", "local"));
        var pod = Pod("web", "data");
        var state = fixture.Reserve(pod, "n1");
        fixture.Change(fixture.Claim("data"), c => c.Metadata!.Uid = "uid-data-2");

        var status = await fixture.PreBindAsync(state, pod, "n1").WaitAsync(TestTimeout);

        Assert.Equal(StatusCode.Error, status.Code);
        Assert.Equal("binding volumes: persistentvolumeclaim \"data\" was replaced while it was being bound", status.Message);
        Assert.Null(fixture.Claim("data").Spec!.VolumeName);
    }

    [Fact]
    public async Task Without_completion_PreBind_waits_for_the_PV_controller()
    {
        var fixture = new VolumeFixture(new VolumeBindingArgs { CompleteStaticBindings = false })
            .Add(Class("local"), Claim("data", "local"), Node("n1", "a"), Volume("pv1", "1Gi", "local"));
        var pod = Pod("web", "data");
        var state = fixture.Reserve(pod, "n1");

        var preBind = fixture.PreBindAsync(state, pod, "n1");
        var waitingAfterOwnWrite = !preBind.IsCompleted;
        fixture.Change(fixture.Claim("data"), c =>
        {
            c.Spec!.VolumeName = "pv1";
            c.Metadata!.Annotations = new Dictionary<string, string> { ["pv.kubernetes.io/bind-completed"] = "yes" };
        });
        var status = await preBind.WaitAsync(TestTimeout);

        Assert.True(waitingAfterOwnWrite);
        Assert.True(status.IsSuccess, status.ToString());
        Assert.Equal(["update pv/pv1"], fixture.Api.Writes);
    }

    [Fact]
    public async Task Dynamic_provisioning_annotates_the_claim_and_waits_for_the_provisioned_volume()
    {
        var fixture = new VolumeFixture().Add(Class("csi", provisioner: "example.com/csi"), Claim("data", "csi"), Node("n1", "a"));
        var pod = Pod("web", "data");
        var state = fixture.Reserve(pod, "n1");

        var preBind = fixture.PreBindAsync(state, pod, "n1");
        var annotated = fixture.Claim("data").Metadata!.Annotations!["volume.kubernetes.io/selected-node"];
        var waiting = !preBind.IsCompleted;
        // The provisioner creates a volume for the node; the PV controller binds the claim to it.
        fixture.Add(Volume("pvc-123", "1Gi", "csi", In("zone", "a")));
        fixture.Change(fixture.Claim("data"), c =>
        {
            c.Spec!.VolumeName = "pvc-123";
            c.Metadata!.Annotations!["pv.kubernetes.io/bind-completed"] = "yes";
        });
        var status = await preBind.WaitAsync(TestTimeout);

        Assert.Equal("n1", annotated);
        Assert.True(waiting);
        Assert.True(status.IsSuccess, status.ToString());
        Assert.Equal(["update pvc/default/data"], fixture.Api.Writes);
    }

    [Fact]
    public async Task A_provisioner_that_gives_up_removes_the_selected_node_and_fails_the_binding()
    {
        var fixture = new VolumeFixture().Add(Class("csi", provisioner: "example.com/csi"), Claim("data", "csi"), Node("n1", "a"));
        var pod = Pod("web", "data");
        var state = fixture.Reserve(pod, "n1");

        var preBind = fixture.PreBindAsync(state, pod, "n1");
        fixture.Change(fixture.Claim("data"), c => c.Metadata!.Annotations!.Remove("volume.kubernetes.io/selected-node"));
        var status = await preBind.WaitAsync(TestTimeout);

        Assert.Equal(StatusCode.Error, status.Code);
        Assert.Equal("binding volumes: provisioning failed for PVC \"data\"", status.Message);
    }

    [Fact]
    public async Task PreBind_gives_up_after_the_bind_timeout()
    {
        var fixture = new VolumeFixture().Add(Class("csi", provisioner: "example.com/csi"), Claim("data", "csi"), Node("n1", "a"));
        var pod = Pod("web", "data");
        var state = fixture.Reserve(pod, "n1");

        var preBind = fixture.PreBindAsync(state, pod, "n1");
        fixture.Time.Advance(TimeSpan.FromSeconds(599));
        var waitingBeforeTimeout = !preBind.IsCompleted;
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        var status = await preBind.WaitAsync(TestTimeout);

        Assert.True(waitingBeforeTimeout);
        Assert.Equal(StatusCode.Error, status.Code);
        Assert.Equal("binding volumes: context deadline exceeded", status.Message);
    }

    [Fact]
    public async Task A_volume_changed_since_Reserve_fails_the_write_and_is_free_again()
    {
        var fixture = new VolumeFixture().Add(Class("local"), Claim("a", "local"), Claim("b", "local"), Node("n1", "a"), Volume("pv1", "1Gi", "local"));
        var pod = Pod("first", "a");
        var state = fixture.Reserve(pod, "n1");
        fixture.Change(fixture.Volume("pv1"), v => v.Metadata!.Labels = new Dictionary<string, string> { ["touched"] = "yes" });

        var status = await fixture.PreBindAsync(state, pod, "n1").WaitAsync(TestTimeout);
        fixture.Plugin.Unreserve(state, PodInfo.From(pod), "n1");

        Assert.Equal(StatusCode.Error, status.Code);
        Assert.StartsWith("Operation cannot be fulfilled on pv \"pv1\"", status.Message, StringComparison.Ordinal);
        Assert.Null(fixture.Volume("pv1").Spec!.ClaimRef);
        var second = Pod("second", "b");
        var (secondState, _) = fixture.PreFilter(second);
        Assert.True(fixture.Filter(secondState, second)["n1"].IsSuccess);
    }

    [Fact]
    public async Task Nothing_is_written_when_every_claim_is_bound()
    {
        var fixture = new VolumeFixture().Add(BoundClaim("data", "local", "pv1"), Volume("pv1", "1Gi", "local"), Node("n1", "a"));
        var pod = Pod("web", "data");
        var state = fixture.Reserve(pod, "n1");

        var status = await fixture.PreBindAsync(state, pod, "n1").WaitAsync(TestTimeout);

        Assert.True(status.IsSuccess);
        Assert.Empty(fixture.Api.Writes);
    }
}
