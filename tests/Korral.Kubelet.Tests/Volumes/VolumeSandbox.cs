using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client.Tests.Fixtures;
using Korral.Kubelet.Volumes;
using Xunit;

namespace Korral.Kubelet.Tests.Volumes;

/// <summary>
/// A volume manager over a temporary kubelet directory and a fake API; disposing unmounts whatever the test left
/// mounted there and deletes the directory.
/// </summary>
public sealed class VolumeSandbox : IDisposable
{
    public VolumeSandbox(string? clusterCaBundle = null)
    {
        Root = Directory.CreateTempSubdirectory("korral-volumes-").FullName;
        Manager = new VolumeManager(Source, new VolumeManagerOptions
        {
            KubeletDirectory = Path.Combine(Root, "kubelet"),
            ClusterCaBundle = clusterCaBundle,
            Time = Time,
            Log = message =>
            {
                lock (Logs)
                {
                    Logs.Add(message);
                }
            },
        });
    }

    public string Root { get; }

    public FakeVolumeSource Source { get; } = new();

    public FakeTimeProvider Time { get; } = new();

    public List<string> Logs { get; } = [];

    public VolumeManager Manager { get; }

    public static VolumeNodeContext Node { get; } = new("node-1", new Dictionary<string, Quantity>
    {
        ["cpu"] = Quantity.Parse("4"),
        ["memory"] = Quantity.Parse("8Gi"),
        ["ephemeral-storage"] = Quantity.Parse("100Gi"),
    });

    /// <summary>A pod in namespace "default" with the given volumes and one container "app" that mounts nothing.</summary>
    public static Pod Pod(params Volume[] volumes) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = "web",
            Namespace = "default",
            Uid = Guid.NewGuid().ToString(),
            Labels = new Dictionary<string, string> { ["app"] = "web" },
        },
        Spec = new PodSpec
        {
            ServiceAccountName = "default",
            Containers = [new Container { Name = "app", Image = "busybox" }],
            Volumes = [.. volumes],
        },
    };

    public Task<PodVolumes> SetUpAsync(Pod pod) => Manager.SetUpAsync(pod, Node, CancellationToken.None);

    /// <summary>The failure messages of a set-up that is expected to fail.</summary>
    public async Task<IReadOnlyList<string>> FailuresAsync(Pod pod)
    {
        var e = await Assert.ThrowsAsync<VolumeSetupException>(() => SetUpAsync(pod));
        return [.. e.Failures.Select(f => f.Message)];
    }

    public string PodDirectory(Pod pod) => Manager.PodDirectory(pod.Metadata!.Uid!);

    public void Dispose()
    {
        HostMountsProbe.UnmountAll(Root);
        Directory.Delete(Root, recursive: true);
    }
}
