using System.Text;
using System.Text.Json;
using Korral.Api.Defaulting;
using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Kubelet.Volumes.Host;
using Xunit;

namespace Korral.Kubelet.Tests.Volumes;

public sealed class ProjectedVolumeTests
{
    private const string CaBundle = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    /// <summary>The kube-api-access volume exactly as Korral's admission adds it to every pod.</summary>
    private static Volume KubeApiAccess() =>
        JsonSerializer.Deserialize<Volume>(PodAdmission.TokenVolume("kube-api-access-abcde").ToJsonString(), KubeJson.Options)!;

    [Fact]
    public async Task KubeApiAccessSetsUpWithoutTokenRequestOrRootCaConfigMap()
    {
        // Korral serves no TokenRequest and publishes no kube-root-ca.crt yet: the pod must still get its volume.
        using var sandbox = new VolumeSandbox(clusterCaBundle: CaBundle);
        var pod = VolumeSandbox.Pod(KubeApiAccess());

        var volume = (await sandbox.SetUpAsync(pod)).Volumes["kube-api-access-abcde"];

        Assert.Equal(Path.Combine(sandbox.PodDirectory(pod), "volumes", "kubernetes.io~projected", "kube-api-access-abcde"), volume.HostPath);
        Assert.True(volume.ReadOnly);
        Assert.Equal("tmpfs", Assert.Single(HostMountsProbe.Under(volume.HostPath)).Type);
        Assert.Equal(CaBundle, await File.ReadAllTextAsync(Path.Combine(volume.HostPath, "ca.crt")));
        Assert.Equal("default", await File.ReadAllTextAsync(Path.Combine(volume.HostPath, "namespace")));
        Assert.False(File.Exists(Path.Combine(volume.HostPath, "token")));
        Assert.Equal((UnixFileMode)420, UnixModes.Get(Path.Combine(volume.HostPath, "..data", "namespace")));

        var request = Assert.Single(sandbox.Source.TokenRequests);
        Assert.Equal(("default", "default", 3607L, "web", pod.Metadata!.Uid!), (request.Namespace, request.Account, request.Expiration, request.PodName, request.PodUid));
        Assert.Empty(request.Audiences);

        await sandbox.SetUpAsync(VolumeSandbox.Pod(KubeApiAccess()));
        Assert.Single(sandbox.Logs, l => l.Contains("TokenRequest", StringComparison.Ordinal));
        Assert.Single(sandbox.Logs, l => l.Contains("kube-root-ca.crt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutACaBundleTheMissingRootCaIsLeftOut()
    {
        using var sandbox = new VolumeSandbox();
        var pod = VolumeSandbox.Pod(KubeApiAccess());

        var volume = (await sandbox.SetUpAsync(pod)).Volumes["kube-api-access-abcde"];

        Assert.False(File.Exists(Path.Combine(volume.HostPath, "ca.crt")));
        Assert.True(File.Exists(Path.Combine(volume.HostPath, "namespace")));
    }

    [Fact]
    public async Task TheRealRootCaConfigMapWinsOverTheFallback()
    {
        using var sandbox = new VolumeSandbox(clusterCaBundle: CaBundle);
        sandbox.Source.ConfigMaps["default/kube-root-ca.crt"] = new ConfigMap
        {
            Metadata = new ObjectMeta { Name = "kube-root-ca.crt", Namespace = "default" },
            Data = new Dictionary<string, string> { ["ca.crt"] = "published" },
        };

        var volume = (await sandbox.SetUpAsync(VolumeSandbox.Pod(KubeApiAccess()))).Volumes["kube-api-access-abcde"];

        Assert.Equal("published", await File.ReadAllTextAsync(Path.Combine(volume.HostPath, "ca.crt")));
    }

    [Fact]
    public async Task TokensAreWrittenAndRenewedAfterEightyPercentOfTheirLifetime()
    {
        using var sandbox = new VolumeSandbox(clusterCaBundle: CaBundle);
        sandbox.Source.IssueToken = n => $"token-{n}";
        var pod = VolumeSandbox.Pod(new Volume
        {
            Name = "vault",
            Projected = new ProjectedVolumeSource
            {
                DefaultMode = 288,
                Sources = [new VolumeProjection { ServiceAccountToken = new ServiceAccountTokenProjection { Path = "vault-token", Audience = "vault", ExpirationSeconds = 1000 } }],
            },
        });

        var volume = (await sandbox.SetUpAsync(pod)).Volumes["vault"];
        Assert.Equal("token-1", await File.ReadAllTextAsync(Path.Combine(volume.HostPath, "vault-token")));
        Assert.Equal((UnixFileMode)288, UnixModes.Get(Path.Combine(volume.HostPath, "..data", "vault-token")));
        Assert.Equal(["vault"], sandbox.Source.TokenRequests[0].Audiences);

        sandbox.Time.Advance(TimeSpan.FromSeconds(700));
        Assert.Empty(await sandbox.Manager.RefreshAsync(pod, CancellationToken.None));
        Assert.Single(sandbox.Source.TokenRequests);

        sandbox.Time.Advance(TimeSpan.FromSeconds(101));
        Assert.Empty(await sandbox.Manager.RefreshAsync(pod, CancellationToken.None));
        Assert.Equal(2, sandbox.Source.TokenRequests.Count);
        Assert.Equal("token-2", await File.ReadAllTextAsync(Path.Combine(volume.HostPath, "vault-token")));
    }

    [Fact]
    public async Task SourcesMergeAndTheirErrorsAreReportedTogether()
    {
        using var sandbox = new VolumeSandbox();
        sandbox.Source.ConfigMaps["default/app"] = new ConfigMap { Data = new Dictionary<string, string> { ["a"] = "1" } };
        sandbox.Source.Secrets["default/db"] = new Secret { Data = new Dictionary<string, byte[]> { ["b"] = Encoding.UTF8.GetBytes("2") } };
        var good = VolumeSandbox.Pod(new Volume
        {
            Name = "all",
            Projected = new ProjectedVolumeSource
            {
                Sources =
                [
                    new VolumeProjection { ConfigMap = new ConfigMapProjection { Name = "app" } },
                    new VolumeProjection { Secret = new SecretProjection { Name = "db", Items = [new KeyToPath { Key = "b", Path = "sub/b", Mode = 256 }] } },
                    new VolumeProjection { Secret = new SecretProjection { Name = "absent", Optional = true } },
                ],
            },
        });
        var bad = VolumeSandbox.Pod(new Volume
        {
            Name = "all",
            Projected = new ProjectedVolumeSource
            {
                Sources =
                [
                    new VolumeProjection { ConfigMap = new ConfigMapProjection { Name = "absent" } },
                    new VolumeProjection { Secret = new SecretProjection { Name = "db", Items = [new KeyToPath { Key = "zz", Path = "zz" }] } },
                    new VolumeProjection(),
                ],
            },
        });

        var volume = (await sandbox.SetUpAsync(good)).Volumes["all"];
        Assert.Equal("1", await File.ReadAllTextAsync(Path.Combine(volume.HostPath, "a")));
        Assert.Equal("2", await File.ReadAllTextAsync(Path.Combine(volume.HostPath, "sub/b")));
        Assert.Equal((UnixFileMode)256, UnixModes.Get(Path.Combine(volume.HostPath, "..data/sub/b")));

        Assert.Equal(
            ["MountVolume.SetUp failed for volume \"all\" : [configmap \"absent\" not found, references non-existent secret key: zz, " +
             "projected volume source 2 is not supported by Korral (supported: configMap, secret, downwardAPI, serviceAccountToken; not clusterTrustBundle or podCertificate)]"],
            await sandbox.FailuresAsync(bad));
    }
}
