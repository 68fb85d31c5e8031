using Korral.ApiServer.Hosting;
using Korral.Client;
using Korral.Controllers.Manager;
using Korral.Kubelet.Hosting;
using Korral.Kubelet.Simulated;
using Korral.Scheduler.Hosting;
using Korral.Scheduler.Scheduling;

namespace Korral.Commands;

/// <summary>
/// The components `korral server` runs inside its own process once the API server is ready, each as a client of it with
/// its own certificate (exactly as if it ran elsewhere): the controller manager, the scheduler and simulated nodes. Start returns when
/// each is running (simulated nodes: registered); DisposeAsync stops them in reverse order.
/// </summary>
public sealed class InProcessComponents : IAsyncDisposable
{
    private readonly List<KubeClient> _clients = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _controllerManager;
    private Task? _scheduler;
    private SimulatedNodes? _nodes;
    private NodeAgent? _agent;
    private Action<string> _log = _ => { };

    /// <summary>What to run.</summary>
    /// <param name="Agent">The node agent to run in this process (null: none, --disable-agent).</param>
    public sealed record Settings(bool ControllerManager, IReadOnlyList<string> Controllers, int SimulatedNodes, bool Scheduler = true, int SimulatedZones = 0,
        string ClusterCidr = "10.42.0.0/16", NodeAgentOptions? Agent = null);

    public static async Task<InProcessComponents> StartAsync(ApiServerHost server, Settings settings, Action<string> log, CancellationToken cancellationToken)
    {
        var components = new InProcessComponents { _log = log };
        try
        {
            if (settings.SimulatedNodes > 0)
            {
                var client = components.NewClient(server, "system:node:simulated", ["system:nodes"], log);
                components._nodes = await SimulatedNodes.StartAsync(client, new SimulatedNodesOptions
                {
                    Count = settings.SimulatedNodes,
                    Zones = settings.SimulatedZones,
                    Log = log,
                }, cancellationToken);
                log($"simulated nodes: {settings.SimulatedNodes} registered");
            }

            if (settings.Scheduler)
            {
                var client = components.NewClient(server, "system:kube-scheduler", [], log);
                var host = new SchedulerHost(client, new SchedulerHostOptions { Scheduler = new SchedulerOptions { Log = log } });
                log("scheduler: campaigning for kube-system/kube-scheduler");
                components._scheduler = Task.Run(() => host.RunAsync(components._stop.Token), CancellationToken.None);
            }

            if (settings.ControllerManager)
            {
                var client = components.NewClient(server, "system:kube-controller-manager", [], log);
                var manager = new ControllerManager(client, new ControllerManagerOptions
                {
                    Controllers = settings.Controllers.Count == 0 ? ["*"] : settings.Controllers,
                    ClusterCidr = settings.ClusterCidr,
                    RootCaPem = server.Certificates.Authority.ExportCertificatePem(),
                    Log = log,
                });
                log($"controller manager {manager.Identity}: campaigning for kube-system/kube-controller-manager ({string.Join(", ", manager.EnabledControllers)})");
                components._controllerManager = Task.Run(() => manager.RunAsync(components._stop.Token), CancellationToken.None);
            }

            if (settings.Agent is { } agent)
            {
                // Last: the node IPAM controller above hands the node its pod CIDR, which the agent waits for.
                var client = components.NewClient(server, $"system:node:{agent.NodeName}", ["system:nodes"], log);
                var nodeIp = System.Net.IPAddress.Parse(agent.NodeIp ?? Korral.Kubelet.Nodes.MachineInfo.PrimaryAddress());
                var serving = server.Certificates.IssueServing(agent.NodeName, [agent.NodeName, "localhost"], [nodeIp, System.Net.IPAddress.Loopback],
                    DateTimeOffset.UtcNow);
                components._agent = await NodeAgent.StartAsync(client, agent with { ServingCertificate = serving }, server.Certificates.Authority, cancellationToken);
                log($"node {agent.NodeName}: running");
            }
        }
        catch
        {
            await components.DisposeAsync();
            throw;
        }

        return components;
    }

    private KubeClient NewClient(ApiServerHost server, string user, string[] groups, Action<string> log)
    {
        var client = new KubeClient(new KubeClientOptions
        {
            Server = server.Url,
            ClientCertificate = server.IssueClientCertificate(user, groups),
            CertificateAuthorities = [server.Certificates.Authority],
            Log = log,
        });
        _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_scheduler is not null)
        {
            try
            {
                await _scheduler;
            }
            catch (Exception e)
            {
                _log($"scheduler: stopped with {e.GetType().Name}: {e.Message}");
            }
        }

        if (_controllerManager is not null)
        {
            try
            {
                await _controllerManager;
            }
            catch (Exception e)
            {
                _log($"controller manager: stopped with {e.GetType().Name}: {e.Message}");
            }
        }

        if (_agent is not null)
        {
            try
            {
                await _agent.DisposeAsync();
            }
            catch (Exception e)
            {
                _log($"node agent: stopped with {e.GetType().Name}: {e.Message}");
            }
        }

        if (_nodes is not null)
        {
            try
            {
                await _nodes.DisposeAsync();
            }
            catch (Exception e)
            {
                _log($"simulated nodes: stopped with {e.GetType().Name}: {e.Message}");
            }
        }

        foreach (var client in _clients)
        {
            client.Dispose();
        }

        _stop.Dispose();
    }
}
