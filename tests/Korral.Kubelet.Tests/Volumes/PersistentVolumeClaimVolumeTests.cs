using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Xunit;

namespace Korral.Kubelet.Tests.Volumes;

public sealed class PersistentVolumeClaimVolumeTests : IDisposable
{
    private readonly VolumeSandbox _sandbox = new();

    [Fact]
    public async Task BoundClaimUsesItsVolumesHostPathCreatingItForDirectoryOrCreate()
    {
        var path = Path.Combine(_sandbox.Root, "storage", "pvc-1");
        Bind("data", "pv-1", new PersistentVolumeSpec { HostPath = new HostPathVolumeSource { Path = path, Type = "DirectoryOrCreate" } });
        var pod = VolumeSandbox.Pod(
            new Volume { Name = "data", PersistentVolumeClaim = new PersistentVolumeClaimVolumeSource { ClaimName = "data" } },
            new Volume { Name = "ro", PersistentVolumeClaim = new PersistentVolumeClaimVolumeSource { ClaimName = "data", ReadOnly = true } });

        var volumes = (await _sandbox.SetUpAsync(pod)).Volumes;

        Assert.True(Directory.Exists(path));
        Assert.Equal(path, volumes["data"].HostPath);
        Assert.False(volumes["data"].ReadOnly);
        Assert.True(volumes["ro"].ReadOnly);
    }

    [Fact]
    public async Task LocalVolumesMustExist()
    {
        var path = Directory.CreateDirectory(Path.Combine(_sandbox.Root, "disk")).FullName;
        Bind("data", "pv-local", new PersistentVolumeSpec { Local = new LocalVolumeSource { Path = path } });
        Bind("gone", "pv-gone", new PersistentVolumeSpec { Local = new LocalVolumeSource { Path = path + "-gone" } });

        var volume = (await _sandbox.SetUpAsync(Pod("data"))).Volumes["v"];

        Assert.Equal(path, volume.HostPath);
        Assert.Equal("kubernetes.io~local-volume", volume.Plugin);
        Assert.Equal(
            [$"MountVolume.SetUp failed for volume \"v\" : path \"{path}-gone\" of local PersistentVolume pv-gone does not exist"],
            await _sandbox.FailuresAsync(Pod("gone")));
    }

    [Fact]
    public async Task UnusableClaimsFailWithUpstreamsMessages()
    {
        _sandbox.Source.Claims["default/pending"] = new PersistentVolumeClaim
        {
            Metadata = new ObjectMeta { Name = "pending", Namespace = "default", Uid = "c-1" },
            Spec = new PersistentVolumeClaimSpec(),
            Status = new PersistentVolumeClaimStatus { Phase = "Pending" },
        };
        Bind("stolen", "pv-stolen", new PersistentVolumeSpec { HostPath = new HostPathVolumeSource { Path = "/tmp" } });
        _sandbox.Source.Volumes["pv-stolen"].Spec!.ClaimRef!.Uid = "someone-else";
        Bind("nfs", "pv-nfs", new PersistentVolumeSpec { Nfs = new NFSVolumeSource { Server = "s", Path = "/" } });

        Assert.Equal(["MountVolume.SetUp failed for volume \"v\" : persistentvolumeclaim \"absent\" not found"], await _sandbox.FailuresAsync(Pod("absent")));
        Assert.Equal(
            ["MountVolume.SetUp failed for volume \"v\" : PVC default/pending has non-bound phase (\"Pending\") or empty pvc.Spec.VolumeName (\"\")"],
            await _sandbox.FailuresAsync(Pod("pending")));
        Assert.Equal(
            ["MountVolume.SetUp failed for volume \"v\" : found PV object pv-stolen but its pv.Spec.ClaimRef.UID (someone-else) does not point to claim.UID (uid-stolen)"],
            await _sandbox.FailuresAsync(Pod("stolen")));
        Assert.Equal(
            ["MountVolume.SetUp failed for volume \"v\" : PersistentVolume pv-nfs has a nfs source, which Korral nodes do not support (only hostPath and local)"],
            await _sandbox.FailuresAsync(Pod("nfs")));
    }

    [Fact]
    public async Task EphemeralVolumesUseThePodsOwnClaim()
    {
        var path = Path.Combine(_sandbox.Root, "storage", "eph");
        var pod = VolumeSandbox.Pod(new Volume { Name = "scratch", Ephemeral = new EphemeralVolumeSource() });
        Bind("web-scratch", "pv-eph", new PersistentVolumeSpec { HostPath = new HostPathVolumeSource { Path = path, Type = "DirectoryOrCreate" } });

        Assert.Equal(
            ["MountVolume.SetUp failed for volume \"scratch\" : PVC default/web-scratch was not created for pod default/web (pod is not owner)"],
            await _sandbox.FailuresAsync(pod));

        _sandbox.Source.Claims["default/web-scratch"].Metadata!.OwnerReferences = [new OwnerReference { Controller = true, Uid = pod.Metadata!.Uid, Kind = "Pod", Name = "web" }];
        Assert.Equal(path, (await _sandbox.SetUpAsync(pod)).Volumes["scratch"].HostPath);
    }

    public void Dispose() => _sandbox.Dispose();

    private static Korral.Api.Models.CoreV1.Pod Pod(string claim) =>
        VolumeSandbox.Pod(new Volume { Name = "v", PersistentVolumeClaim = new PersistentVolumeClaimVolumeSource { ClaimName = claim } });

    private void Bind(string claim, string volume, PersistentVolumeSpec spec)
    {
        _sandbox.Source.Claims[$"default/{claim}"] = new PersistentVolumeClaim
        {
            Metadata = new ObjectMeta { Name = claim, Namespace = "default", Uid = "uid-" + claim },
            Spec = new PersistentVolumeClaimSpec { VolumeName = volume },
            Status = new PersistentVolumeClaimStatus { Phase = "Bound" },
        };
        spec.ClaimRef = new ObjectReference { Name = claim, Namespace = "default", Uid = "uid-" + claim };
        _sandbox.Source.Volumes[volume] = new PersistentVolume { Metadata = new ObjectMeta { Name = volume }, Spec = spec };
    }
}
