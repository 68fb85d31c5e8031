using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Kubelet.Probes;

namespace Korral.Kubelet.Tests.Probes;

public sealed class ProbeKillTests
{
    private static Pod Pod(string? restartPolicy = null, long? grace = null, long? deletionGrace = null) => new()
    {
        Metadata = new ObjectMeta { Name = "web", DeletionGracePeriodSeconds = deletionGrace },
        Spec = new PodSpec { RestartPolicy = restartPolicy, TerminationGracePeriodSeconds = grace },
    };

    private static Container App(long? livenessGrace = null, long? startupGrace = null) => new()
    {
        Name = "app",
        LivenessProbe = new Probe { TerminationGracePeriodSeconds = livenessGrace },
        StartupProbe = new Probe { TerminationGracePeriodSeconds = startupGrace },
    };

    [Theory]
    [InlineData("Always", ProbeType.Liveness, "Container app failed liveness probe, will be restarted")]
    [InlineData(null, ProbeType.Liveness, "Container app failed liveness probe, will be restarted")]
    [InlineData("OnFailure", ProbeType.Startup, "Container app failed startup probe, will be restarted")]
    [InlineData("Never", ProbeType.Liveness, "Container app failed liveness probe")]
    [InlineData("Never", ProbeType.Startup, "Container app failed startup probe")]
    public void TheKillingMessageSaysWhetherTheContainerWillBeRestarted(string? restartPolicy, ProbeType failed, string message) =>
        Assert.Equal(message, ProbeKill.Message(Pod(restartPolicy), App(), failed));

    [Theory]
    [InlineData(60L, null, null, null, ProbeType.Liveness, 60)]
    [InlineData(60L, 5L, null, null, ProbeType.Liveness, 5)]
    [InlineData(60L, 5L, null, null, ProbeType.Startup, 60)]
    [InlineData(60L, null, 7L, null, ProbeType.Startup, 7)]
    [InlineData(60L, 5L, null, 3L, ProbeType.Liveness, 3)]
    [InlineData(null, null, null, null, ProbeType.Liveness, 30)]
    public void TheProbesGracePeriodWinsOverThePods(long? podGrace, long? livenessGrace, long? startupGrace, long? deletionGrace, ProbeType failed, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ProbeKill.GracePeriod(Pod(grace: podGrace, deletionGrace: deletionGrace), App(livenessGrace, startupGrace), failed));
}
