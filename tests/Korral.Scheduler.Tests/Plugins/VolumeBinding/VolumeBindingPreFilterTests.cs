using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Scheduler.Framework;
using static Korral.Scheduler.Tests.Plugins.VolumeBinding.Objects;

namespace Korral.Scheduler.Tests.Plugins.VolumeBinding;

public sealed class VolumeBindingPreFilterTests
{
    public static TheoryData<string> Cases => [.. PreFilterCases.Keys];

    private static readonly Dictionary<string, (object[] Seed, Pod Pod, StatusCode Code, string Message)> PreFilterCases = new()
    {
        ["no volumes"] = ([], Pod("web"), StatusCode.Skip, ""),
        ["only an emptyDir"] = ([], Pod("web").With(p => p.Spec!.Volumes = [new Volume { Name = "tmp", EmptyDir = new EmptyDirVolumeSource() }]), StatusCode.Skip, ""),
        ["missing claim"] = ([], Pod("web", "data"), StatusCode.UnschedulableAndUnresolvable, "persistentvolumeclaim \"data\" not found"),
        ["claim being deleted"] = (
            [Claim("data", "local").With(c => c.Metadata!.DeletionTimestamp = DateTimeOffset.UnixEpoch), Class("local")],
            Pod("web", "data"), StatusCode.UnschedulableAndUnresolvable, "persistentvolumeclaim \"data\" is being deleted"),
        ["claim lost"] = (
            [BoundClaim("data", "local", "pv1").With(c => c.Status!.Phase = "Lost"), Class("local")],
            Pod("web", "data"), StatusCode.UnschedulableAndUnresolvable, "persistentvolumeclaim \"data\" bound to non-existent persistentvolume \"pv1\""),
        ["ephemeral claim not created yet"] = (
            [], EphemeralPod(), StatusCode.UnschedulableAndUnresolvable,
            "waiting for ephemeral volume controller to create the persistentvolumeclaim \"web-scratch\""),
        ["ephemeral claim of another pod"] = (
            [Claim("web-scratch", "local"), Class("local")], EphemeralPod(), StatusCode.UnschedulableAndUnresolvable,
            "PVC default/web-scratch was not created for pod default/web (pod is not owner)"),
        ["ephemeral claim owned by the pod"] = ([OwnedScratch(), Class("local")], EphemeralPod(), StatusCode.Success, ""),
        ["unbound claim without a class"] = (
            [Claim("data", null)], Pod("web", "data"), StatusCode.UnschedulableAndUnresolvable, "pod has unbound immediate PersistentVolumeClaims"),
        ["unbound claim of an Immediate class"] = (
            [Claim("data", "fast"), Class("fast", mode: "Immediate")], Pod("web", "data"), StatusCode.UnschedulableAndUnresolvable,
            "pod has unbound immediate PersistentVolumeClaims"),
        ["unbound claim of a class that does not exist"] = (
            [Claim("data", "gone")], Pod("web", "data"), StatusCode.UnschedulableAndUnresolvable, "pod has unbound immediate PersistentVolumeClaims"),
        ["claim pre-bound by name, not completed"] = (
            [Claim("data", "local").With(c => c.Spec!.VolumeName = "pv1"), Class("local")], Pod("web", "data"), StatusCode.UnschedulableAndUnresolvable,
            "pod has unbound immediate PersistentVolumeClaims"),
        ["unbound WaitForFirstConsumer claim"] = ([Claim("data", "local"), Class("local")], Pod("web", "data"), StatusCode.Success, ""),
        ["bound claim"] = ([BoundClaim("data", null, "pv1")], Pod("web", "data"), StatusCode.Success, ""),
        ["class without a binding mode"] = (
            [Claim("data", "odd"), Class("odd").With(c => c.VolumeBindingMode = null)], Pod("web", "data"), StatusCode.Error,
            "VolumeBindingMode not set for StorageClass \"odd\""),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void PreFilter_sorts_out_pods_whose_claims_cannot_be_used(string name)
    {
        var (seed, pod, code, message) = PreFilterCases[name];
        var fixture = new VolumeFixture().Add(seed);

        var (_, status) = fixture.PreFilter(pod);

        Assert.Equal(code, status.Code);
        Assert.Equal(message, status.Message);
    }

    [Fact]
    public void A_claim_the_scheduler_annotated_for_provisioning_stays_unbound_until_the_controller_binds_it()
    {
        var fixture = new VolumeFixture().Add(Claim("data", "csi").With(c => c.Metadata!.Annotations = new Dictionary<string, string>
        {
            ["volume.kubernetes.io/selected-node"] = "n1",
        }), Class("csi", provisioner: "example.com/csi"), Node("n1", "a"), Node("n2", "b"));
        var pod = Pod("web", "data");

        var (state, status) = fixture.PreFilter(pod);
        var filter = fixture.Filter(state, pod);

        Assert.True(status.IsSuccess);
        Assert.True(filter["n1"].IsSuccess);
        Assert.Equal(StatusCode.UnschedulableAndUnresolvable, filter["n2"].Code);
        Assert.Equal("node(s) didn't find available persistent volumes to bind", filter["n2"].Message);
    }

    private static Pod EphemeralPod() => Pod("web").With(p => p.Spec!.Volumes =
    [
        new Volume { Name = "scratch", Ephemeral = new EphemeralVolumeSource { VolumeClaimTemplate = new PersistentVolumeClaimTemplate() } },
    ]);

    private static PersistentVolumeClaim OwnedScratch() => Claim("web-scratch", "local").With(c => c.Metadata!.OwnerReferences =
    [
        new OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = "web", Uid = "uid-web", Controller = true },
    ]);
}
