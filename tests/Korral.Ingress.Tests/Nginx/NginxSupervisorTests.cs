using System.Net;
using Korral.Ingress.Nginx;
using Korral.Ingress.Tests.Fixtures;
using static Korral.Ingress.Tests.Fixtures.TestObjects;

namespace Korral.Ingress.Tests.Nginx;

/// <summary>
/// The reload decision and nginx's lifecycle with a real nginx: unchanged configurations cost nothing, a configuration
/// nginx -t refuses never replaces a good one, an orphan of an earlier run (whole, or workers of a killed master) is
/// found through the pid file and replaced, a master that dies is started again, and stopping leaves no process behind.
/// </summary>
public sealed class NginxSupervisorTests
{
    [Fact]
    public async Task UnchangedConfigurationIsNotReloaded()
    {
        await using var web = await EchoBackend.StartAsync("web");
        await using var nginx = await ServingAsync("unchanged", web);

        Assert.Equal(NginxApplyOutcome.Unchanged, (await nginx.ApplyAsync()).Outcome);
        Assert.Equal(NginxApplyOutcome.Unchanged, (await nginx.Supervisor.ApplyAsync(nginx.Render(), CancellationToken.None)).Outcome);

        Assert.Equal((1, 0, 0), (nginx.Supervisor.Starts, nginx.Supervisor.Reloads, nginx.Supervisor.Rejections));
        Assert.False(File.Exists(nginx.Layout.CandidateFile));
    }

    [Fact]
    public async Task ChangedConfigurationIsTestedAndReloaded()
    {
        await using var web = await EchoBackend.StartAsync("web");
        await using var nginx = await ServingAsync("changed", web);
        var pid = nginx.Supervisor.MasterPid;

        nginx.Objects.Ingresses.Add(NewIngress("more", ("more.example.com", "/", "Prefix", "web", 80)));
        Assert.Equal(NginxApplyOutcome.Reloaded, (await nginx.ApplyAsync()).Outcome);

        await Eventually.Until(() => nginx.Client.FetchAsync("more.example.com", "/"), r => r.Status == HttpStatusCode.OK, "the new host after the reload");
        Assert.Equal(pid, nginx.Supervisor.MasterPid);
        Assert.Equal(nginx.Render(), await File.ReadAllTextAsync(nginx.Layout.ConfigFile));
    }

    [Fact]
    public async Task ConfigurationNginxRefusesKeepsTheRunningOne()
    {
        await using var web = await EchoBackend.StartAsync("web");
        await using var nginx = await ServingAsync("refused", web);
        var good = await File.ReadAllTextAsync(nginx.Layout.ConfigFile);
        var pid = nginx.Supervisor.MasterPid;

        var bad = good.Replace("return 404;", "retrun 404;", StringComparison.Ordinal);
        var result = await nginx.Supervisor.ApplyAsync(bad, CancellationToken.None);

        Assert.Equal(NginxApplyOutcome.Rejected, result.Outcome);
        Assert.Contains("unknown directive \"retrun\"", result.Message, StringComparison.Ordinal);
        Assert.Equal(good, await File.ReadAllTextAsync(nginx.Layout.ConfigFile));
        Assert.False(File.Exists(nginx.Layout.CandidateFile));
        Assert.Equal(pid, nginx.Supervisor.MasterPid);
        Assert.Equal(0, nginx.Supervisor.Reloads);
        Assert.Equal(HttpStatusCode.OK, (await nginx.Client.FetchAsync("web.example.com", "/")).Status);

        // The good configuration again is a change from nothing: nginx already runs it.
        Assert.Equal(NginxApplyOutcome.Unchanged, (await nginx.Supervisor.ApplyAsync(good, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task OrphanOfAnEarlierRunIsReplaced()
    {
        await using var web = await EchoBackend.StartAsync("web");
        await using var first = await ServingAsync("orphan", web);
        var orphan = first.Supervisor.MasterPid!.Value;

        // A second controller on the same directory and ports, as after a crash of the first (which never stopped nginx).
        await using var second = new NginxSupervisor(NginxInstalled.Require(), first.Layout, first.Log, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
        var result = await second.ApplyAsync(first.Render(), CancellationToken.None);

        Assert.Equal(NginxApplyOutcome.Started, result.Outcome);
        Assert.NotEqual(orphan, second.MasterPid);
        Assert.Null(ProcessTable.Read(orphan));
        Assert.Contains($"stopping nginx (master pid {orphan}) left running by an earlier run", first.LogText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await first.Client.FetchAsync("web.example.com", "/")).Status);
    }

    [Fact]
    public async Task WorkersOfAKilledMasterAreStoppedBeforeStarting()
    {
        await using var web = await EchoBackend.StartAsync("web");
        await using var first = await ServingAsync("workers", web);
        var master = first.Supervisor.MasterPid!.Value;
        var workers = ProcessTable.Group(master, "nginx").Where(p => p.Pid != master).Select(p => p.Pid).ToList();
        Assert.NotEmpty(workers);

        // SIGKILL reaches the master only: its workers stay, holding the ports.
        Signals.Send(master, Signals.Kill);
        await Eventually.Until(() => Task.FromResult(ProcessTable.Read(master)), p => p is null, "the master to die");
        Assert.All(workers, w => Assert.NotNull(ProcessTable.Read(w)));

        await using var second = new NginxSupervisor(NginxInstalled.Require(), first.Layout, first.Log, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
        Assert.Equal(NginxApplyOutcome.Started, (await second.ApplyAsync(first.Render(), CancellationToken.None)).Outcome);

        Assert.All(workers, w => Assert.Null(ProcessTable.Read(w)));
        Assert.Equal(HttpStatusCode.OK, (await first.Client.FetchAsync("web.example.com", "/")).Status);
    }

    [Fact]
    public async Task MasterThatDiesIsReportedAndStartedAgain()
    {
        await using var web = await EchoBackend.StartAsync("web");
        await using var nginx = await ServingAsync("restart", web);
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        nginx.Supervisor.Exited += () => exited.TrySetResult();
        var master = nginx.Supervisor.MasterPid!.Value;

        Signals.Send(master, Signals.Kill);
        await exited.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Null(nginx.Supervisor.MasterPid);

        Assert.Equal(NginxApplyOutcome.Started, (await nginx.ApplyAsync()).Outcome);
        Assert.NotEqual(master, nginx.Supervisor.MasterPid);
        Assert.Empty(ProcessTable.Group(master, "nginx"));
        Assert.Equal(HttpStatusCode.OK, (await nginx.Client.FetchAsync("web.example.com", "/")).Status);
    }

    [Fact]
    public async Task StopLeavesNoProcessAndFreesThePorts()
    {
        await using var web = await EchoBackend.StartAsync("web");
        await using var nginx = await ServingAsync("stop", web);
        var master = nginx.Supervisor.MasterPid!.Value;

        await nginx.Supervisor.StopAsync();

        Assert.Empty(ProcessTable.Group(master, "nginx"));
        Assert.False(File.Exists(nginx.Layout.PidFile));
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, nginx.HttpPort);
        listener.Start();
    }

    [Fact]
    public async Task PortInUseFailsTheStartWithNginxsMessage()
    {
        await using var nginx = new NginxHarness("busy");
        using var squatter = new System.Net.Sockets.TcpListener(IPAddress.Loopback, nginx.HttpPort);
        squatter.Start();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(nginx.ApplyAsync);

        Assert.Contains("Address already in use", error.Message, StringComparison.Ordinal);
        Assert.Null(nginx.Supervisor.MasterPid);
    }

    /// <summary>An nginx serving web.example.com from <paramref name="web"/>.</summary>
    private static async Task<NginxHarness> ServingAsync(string name, EchoBackend web)
    {
        var nginx = new NginxHarness(name);
        nginx.Objects.Ingresses.Add(NewIngress("web", ("web.example.com", "/", "Prefix", "web", 80)));
        nginx.Objects.Services.Add(Service("web", 80, web.Port));
        nginx.Objects.EndpointSlices.Add(Slice("web", web.Port));
        Assert.Equal(NginxApplyOutcome.Started, (await nginx.ApplyAsync()).Outcome);
        Assert.Equal(HttpStatusCode.OK, (await nginx.Client.FetchAsync("web.example.com", "/")).Status);
        return nginx;
    }
}
