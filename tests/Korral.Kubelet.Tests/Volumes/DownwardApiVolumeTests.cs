using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Xunit;

namespace Korral.Kubelet.Tests.Volumes;

public sealed class DownwardApiVolumeTests : IDisposable
{
    private readonly VolumeSandbox _sandbox = new();

    [Fact]
    public async Task MetadataFieldsAreWrittenAsUpstreamFormatsThem()
    {
        var pod = VolumeSandbox.Pod(new Volume
        {
            Name = "info",
            DownwardAPI = new DownwardAPIVolumeSource
            {
                Items =
                [
                    Field("name", "metadata.name"),
                    Field("namespace", "metadata.namespace"),
                    Field("uid", "metadata.uid"),
                    Field("labels", "metadata.labels"),
                    Field("annotations", "metadata.annotations"),
                    Field("tier", "metadata.labels['tier']"),
                ],
            },
        });
        pod.Metadata!.Labels!["tier"] = "front \"end\"";
        pod.Metadata.Annotations = new Dictionary<string, string> { ["note"] = "line1\nline2" };

        var volume = (await _sandbox.SetUpAsync(pod)).Volumes["info"];

        Assert.Equal("tmpfs", Assert.Single(HostMountsProbe.Under(volume.HostPath)).Type);
        Assert.Equal("web", Read(volume, "name"));
        Assert.Equal("default", Read(volume, "namespace"));
        Assert.Equal(pod.Metadata.Uid, Read(volume, "uid"));
        Assert.Equal("app=\"web\"\ntier=\"front \\\"end\\\"\"", Read(volume, "labels"));
        Assert.Equal("note=\"line1\\nline2\"", Read(volume, "annotations"));
        Assert.Equal("front \"end\"", Read(volume, "tier"));
    }

    [Fact]
    public async Task LabelChangesAreProjectedOnRefresh()
    {
        var pod = VolumeSandbox.Pod(new Volume { Name = "info", DownwardAPI = new DownwardAPIVolumeSource { Items = [Field("labels", "metadata.labels")] } });
        var volume = (await _sandbox.SetUpAsync(pod)).Volumes["info"];

        pod.Metadata!.Labels!["version"] = "2";
        Assert.Empty(await _sandbox.Manager.RefreshAsync(pod, CancellationToken.None));

        Assert.Equal("app=\"web\"\nversion=\"2\"", Read(volume, "labels"));
    }

    [Fact]
    public async Task ResourcesComeFromTheContainerOrTheNodesAllocatable()
    {
        var pod = VolumeSandbox.Pod(new Volume
        {
            Name = "res",
            DownwardAPI = new DownwardAPIVolumeSource
            {
                Items =
                [
                    Resource("cpu-limit", "limits.cpu", null),
                    Resource("mem-limit-mi", "limits.memory", "1Mi"),
                    Resource("cpu-request-milli", "requests.cpu", "1m"),
                    Resource("mem-request", "requests.memory", null),
                ],
            },
        });
        pod.Spec!.Containers![0].Resources = new ResourceRequirements
        {
            Requests = new Dictionary<string, Quantity> { ["cpu"] = Quantity.Parse("250m") },
            Limits = new Dictionary<string, Quantity> { ["memory"] = Quantity.Parse("64Mi") },
        };

        var volume = (await _sandbox.SetUpAsync(pod)).Volumes["res"];

        Assert.Equal("4", Read(volume, "cpu-limit"));
        Assert.Equal("64", Read(volume, "mem-limit-mi"));
        Assert.Equal("250", Read(volume, "cpu-request-milli"));
        Assert.Equal("0", Read(volume, "mem-request"));
    }

    [Fact]
    public async Task UnsupportedFieldsAndContainersAreReportedTogether()
    {
        var pod = VolumeSandbox.Pod(new Volume
        {
            Name = "info",
            DownwardAPI = new DownwardAPIVolumeSource { Items = [Field("ip", "status.podIP"), Resource("x", "limits.cpu", null, "sidecar")] },
        });

        Assert.Equal(
            ["MountVolume.SetUp failed for volume \"info\" : [unsupported fieldPath: status.podIP, container sidecar not found]"],
            await _sandbox.FailuresAsync(pod));
    }

    public void Dispose() => _sandbox.Dispose();

    private static string Read(Korral.Kubelet.Volumes.PodVolume volume, string name) => File.ReadAllText(Path.Combine(volume.HostPath, name));

    private static DownwardAPIVolumeFile Field(string path, string fieldPath) =>
        new() { Path = path, FieldRef = new ObjectFieldSelector { ApiVersion = "v1", FieldPath = fieldPath } };

    private static DownwardAPIVolumeFile Resource(string path, string resource, string? divisor, string container = "app") =>
        new()
        {
            Path = path,
            ResourceFieldRef = new ResourceFieldSelector { ContainerName = container, Resource = resource, Divisor = divisor is null ? null : Quantity.Parse(divisor) },
        };
}
