using Korral.E2E.Infrastructure;

namespace Korral.E2E;

/// <summary>
/// `kubectl create -f` and `kubectl apply -f` of every acceptance manifest (Scenarios/, copied unchanged from
/// /work/shared/scenarios), each into a namespace of its own.
/// </summary>
public sealed class ScenarioManifestTests(KorralServer server) : E2ETest(server)
{
    /// <summary>What kubectl names each object of each manifest, in file order.</summary>
    private static readonly Dictionary<string, string[]> Objects = new(StringComparer.Ordinal)
    {
        ["01-test-pod.yaml"] = ["pod/test-app-pod"],
        ["02-webapp-with-db-pod.yaml"] = ["pod/webapp-with-db"],
        ["03-webapp-service.yaml"] = ["service/webapp-service"],
        ["04-cronjob-hello.yaml"] = ["cronjob.batch/hello"],
        ["05-webapp-ingress.yaml"] = ["ingress.networking.k8s.io/webapp-ingress"],
        ["06-config-and-secret.yaml"] = ["configmap/webapp-config", "secret/db-credentials"],
        ["07-database-pvc.yaml"] = ["persistentvolumeclaim/database-pvc"],
        ["08-webapp-deployment.yaml"] = ["deployment.apps/webapp-deployment"],
        ["09-database-statefulset.yaml"] = ["service/database", "statefulset.apps/database-statefulset"],
    };

    public static TheoryData<string, string> ManifestsAndVersions()
    {
        var data = new TheoryData<string, string>();
        foreach (var manifest in Objects.Keys)
        {
            data.Add(manifest, KubectlVersions.Oldest);
            data.Add(manifest, KubectlVersions.Newest);
        }

        return data;
    }

    public static TheoryData<string> Manifests() => new(Objects.Keys);

    [Fact]
    public void Every_scenario_manifest_is_covered()
    {
        var shipped = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Scenarios"), "*.yaml").Select(Path.GetFileName).Order();
        Assert.Equal(Objects.Keys.Order(), shipped);
    }

    [Theory]
    [MemberData(nameof(ManifestsAndVersions))]
    public async Task Create_f_creates_every_object(string manifest, string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "create-f");
        var file = kubectl.CopyScenario(manifest);

        var result = (await kubectl.RunAsync("create", "-n", ns, "-f", file)).EnsureSuccess();

        Assert.Equal(Objects[manifest].Select(o => $"{o} created"), result.Lines);
        await AssertAllPresentAsync(kubectl, ns, file, manifest);
    }

    [Theory]
    [MemberData(nameof(ManifestsAndVersions))]
    public async Task First_apply_f_reports_created(string manifest, string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "apply-f");
        var file = kubectl.CopyScenario(manifest);

        var result = (await kubectl.RunAsync("apply", "-n", ns, "-f", file)).EnsureSuccess();

        Assert.Equal(Objects[manifest].Select(o => $"{o} created"), result.Lines);
        await AssertAllPresentAsync(kubectl, ns, file, manifest);
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public async Task Second_apply_f_of_the_same_file_reports_unchanged(string manifest)
    {
        var kubectl = Kubectl(KubectlVersions.Newest);
        var ns = await CreateNamespaceAsync(kubectl, "reapply");
        var file = kubectl.CopyScenario(manifest);
        (await kubectl.RunAsync("apply", "-n", ns, "-f", file)).EnsureSuccess();

        var result = (await kubectl.RunAsync("apply", "-n", ns, "-f", file)).EnsureSuccess();

        Assert.Equal(Objects[manifest].Select(o => $"{o} {SecondApplyVerb(o)}"), result.Lines);
    }

    /// <summary>
    /// What kubectl prints for an object applied a second time. A StatefulSet with volumeClaimTemplates says
    /// "configured" on Kubernetes too: that list has no merge key, so kubectl replaces it whole whenever the live
    /// templates carry server-filled fields (apiVersion, kind, volumeMode, status), as upstream's always do
    /// (kubernetes/kubernetes#66450). Korral stores the same templates, so kubectl behaves the same.
    /// </summary>
    private static string SecondApplyVerb(string obj) => obj.StartsWith("statefulset.apps/", StringComparison.Ordinal) ? "configured" : "unchanged";

    private static async Task AssertAllPresentAsync(Kubectl kubectl, string ns, string file, string manifest)
    {
        var names = (await kubectl.RunAsync("get", "-n", ns, "-f", file, "-o", "name")).EnsureSuccess();
        Assert.Equal(Objects[manifest], names.Lines);
    }
}
