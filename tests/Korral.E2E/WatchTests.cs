using Korral.E2E.Infrastructure;

namespace Korral.E2E;

/// <summary>`kubectl get pods -w`: lines arrive as pods come and go, while kubectl keeps running.</summary>
public sealed class WatchTests(KorralServer server) : E2ETest(server)
{
    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Get_pods_w_prints_a_line_when_a_pod_is_created_and_another_when_it_is_deleted(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "watch");
        await using var watch = kubectl.Stream("get", "pods", "-n", ns, "-w");

        await CreatePodsAsync(kubectl, ns, ("w-1", "web"));
        var added = await watch.WaitForLineAsync(l => Cells(l)[0] == "w-1", "a line for pod w-1 after it was created");
        (await kubectl.RunAsync("delete", "pod", "w-1", "-n", ns)).EnsureSuccess();
        await watch.WaitForLineAsync(l => Cells(l)[0] == "w-1", "another line for pod w-1 after it was deleted");

        Assert.Equal("NAME READY STATUS RESTARTS AGE", Collapse(watch.Seen[0]));
        Assert.Equal(5, Cells(added).Length);
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Get_pods_w_output_watch_events_prints_added_and_deleted(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "watchev");
        await using var watch = kubectl.Stream("get", "pods", "-n", ns, "-w", "--output-watch-events");

        await CreatePodsAsync(kubectl, ns, ("w-2", "web"));
        await watch.WaitForLineAsync(l => Cells(l) is ["ADDED", "w-2", ..], "ADDED w-2");
        (await kubectl.RunAsync("delete", "pod", "w-2", "-n", ns)).EnsureSuccess();
        await watch.WaitForLineAsync(l => Cells(l) is ["DELETED", "w-2", ..], "DELETED w-2");

        Assert.Equal("EVENT NAME READY STATUS RESTARTS AGE", Collapse(watch.Seen[0]));
    }
}
