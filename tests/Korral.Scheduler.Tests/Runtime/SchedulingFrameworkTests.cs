using Korral.Client;
using Korral.Client.Informers;
using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.PrioritySort;
using Korral.Scheduler.Queue;
using Korral.Scheduler.Runtime;
using Korral.Scheduler.Tests.Fixtures;

namespace Korral.Scheduler.Tests.Runtime;

public sealed class SchedulingFrameworkTests : IDisposable
{
    private readonly KubeClient _client = new(new KubeClientOptions { Server = new Uri("https://127.0.0.1:1"), InsecureSkipTlsVerify = true });

    public void Dispose() => _client.Dispose();

    private sealed class CountingFilter(string name, Status preFilter, Status filter) : IPreFilterPlugin, IFilterPlugin
    {
        public int Calls;

        public string Name => name;

        public (PreFilterResult? Result, Status Status) PreFilter(CycleState state, PodInfo pod, Snapshot snapshot) => (null, preFilter);

        public Status Filter(CycleState state, PodInfo pod, NodeInfo node)
        {
            Interlocked.Increment(ref Calls);
            return filter;
        }
    }

    private SchedulingFramework Build(params IPlugin[] plugins) =>
        SchedulingFramework.Create(
            new (Func<IFrameworkHandle, IPlugin>, int)[] { (_ => new PrioritySortPlugin(), 0) }.Concat(plugins.Select(p => ((Func<IFrameworkHandle, IPlugin>)(_ => p), 0))),
            new FrameworkDependencies(_client, new SharedInformerFactory(_client), new NoEvents(), new Nominator(), TimeProvider.System, _ => { }));

    [Fact]
    public void A_plugin_whose_prefilter_skips_is_not_asked_to_filter_and_the_first_rejection_decides()
    {
        var skipped = new CountingFilter("Skipped", Status.Skip, Status.Unschedulable("never"));
        var rejecting = new CountingFilter("Rejecting", Status.Success, Status.Unschedulable("too small"));
        var last = new CountingFilter("Last", Status.Success, Status.Success);
        var framework = Build(skipped, rejecting, last);
        var state = new CycleState();
        var pod = TestPods.Info("p");
        var node = new NodeInfo(TestPods.Node("n1"));

        Assert.True(framework.RunPreFilterPlugins(state, pod, new Snapshot([node])).Status.IsSuccess);
        var status = framework.RunFilterPlugins(state, pod, node);

        Assert.Equal(("Rejecting", "too small"), (status.Plugin, status.Message));
        Assert.Equal((0, 1, 0), (skipped.Calls, rejecting.Calls, last.Calls));

        // A preemption what-if works on a clone and sees the same skips.
        framework.RunFilterPlugins(state.Clone(), pod, node);
        Assert.Equal((0, 2), (skipped.Calls, rejecting.Calls));
    }

    private sealed class NoEvents : Korral.Client.Events.IEventRecorder
    {
        public void Event<T>(T obj, string type, string reason, string message)
            where T : class
        {
        }

        public void Event(Api.Models.CoreV1.ObjectReference involvedObject, string type, string reason, string message)
        {
        }
    }
}
