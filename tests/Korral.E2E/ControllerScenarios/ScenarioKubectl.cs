using System.Text.RegularExpressions;
using Korral.E2E.Infrastructure;

namespace Korral.E2E.ControllerScenarios;

/// <summary>Shared steps of the scenario tests: a kubectl per version, a fresh namespace, waiting for pod sets through a watch.</summary>
public abstract class ScenarioKubectl(ControllerScenarioCluster cluster) : IDisposable
{
    protected const string Deployment = "webapp-deployment";
    protected const string AppLabel = "app=my-webapp";

    /// <summary>`rollout status` and `delete` limits: far above the usual few seconds, the suite shares 2 cores.</summary>
    protected const string WaitTimeout = "--timeout=90s";

    private readonly List<Kubectl> _kubectls = [];

    protected KorralServer Server => cluster.Server;

    protected Kubectl Kubectl(string version)
    {
        var kubectl = new Kubectl(cluster.Server, version);
        _kubectls.Add(kubectl);
        return kubectl;
    }

    protected static string[] Cells(string line) => Regex.Split(line.Trim(), @"\s+");

    protected static async Task<string> NewNamespaceAsync(Kubectl kubectl, string prefix)
    {
        var ns = $"{prefix}-{kubectl.Version.Replace(".", "", StringComparison.Ordinal)}-{Guid.NewGuid().ToString("N")[..6]}";
        (await kubectl.RunAsync("create", "namespace", ns)).EnsureSuccess();
        return ns;
    }

    /// <summary>Applies 06-config-and-secret, 07-database-pvc and 08-webapp-deployment and waits for the rollout.</summary>
    protected static async Task ApplyWebAppAsync(Kubectl kubectl, string ns)
    {
        foreach (var file in new[] { "06-config-and-secret.yaml", "07-database-pvc.yaml", "08-webapp-deployment.yaml" })
        {
            (await kubectl.RunAsync("apply", "-n", ns, "-f", kubectl.CopyScenario(file))).EnsureSuccess();
        }

        await RolloutStatusAsync(kubectl, ns);
    }

    protected static async Task RolloutStatusAsync(Kubectl kubectl, string ns)
    {
        var status = (await kubectl.RunAsync(["rollout", "status", $"deployment/{Deployment}", "-n", ns, WaitTimeout], null, TimeSpan.FromSeconds(100)))
            .EnsureSuccess();
        Assert.Contains($"deployment \"{Deployment}\" successfully rolled out", status.Stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// Follows `get pods -l app=my-webapp -w --output-watch-events` (the initial list arrives as ADDED lines) until exactly
    /// <paramref name="count"/> pods exist and all are Running with READY 2/2: no polling, the watch says when pods come and go.
    /// </summary>
    protected static async Task WaitForRunningPodsAsync(Kubectl kubectl, string ns, int count)
    {
        await using var watch = kubectl.Stream("get", "pods", "-n", ns, "-l", AppLabel, "-w", "--output-watch-events");
        var pods = new Dictionary<string, (string Ready, string Status)>(StringComparer.Ordinal);
        await watch.WaitForLineAsync(
            line =>
            {
                switch (Cells(line))
                {
                    case ["ADDED" or "MODIFIED", var name, var ready, var status, ..]:
                        pods[name] = (ready, status);
                        break;
                    case ["DELETED", var name, ..]:
                        pods.Remove(name);
                        break;
                }

                return pods.Count == count && pods.Values.All(p => p == ("2/2", "Running"));
            },
            $"{count} pods Running 2/2",
            TimeSpan.FromSeconds(90));
    }

    /// <summary>`kubectl get pods -l app=my-webapp`: asserts exactly <paramref name="count"/> rows, all Running with READY 2/2.</summary>
    protected static async Task AssertRunningPodsAsync(Kubectl kubectl, string ns, int count)
    {
        var result = (await kubectl.RunAsync("get", "pods", "-n", ns, "-l", AppLabel)).EnsureSuccess();
        Assert.Equal(["NAME", "READY", "STATUS", "RESTARTS", "AGE"], Cells(result.Lines[0]));
        var rows = result.Lines.Skip(1).Select(Cells).ToList();
        Assert.True(rows.Count == count, $"expected {count} pods\n{result}");
        Assert.All(rows, r => Assert.Equal(("2/2", "Running"), (r[1], r[2])));
        Assert.All(rows, r => Assert.StartsWith($"{Deployment}-", r[0], StringComparison.Ordinal));
    }

    public void Dispose()
    {
        foreach (var kubectl in _kubectls)
        {
            kubectl.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}
