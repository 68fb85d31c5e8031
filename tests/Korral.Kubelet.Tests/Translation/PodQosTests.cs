using Korral.Kubelet.Translation;
using static Korral.Kubelet.Tests.Translation.TranslationFixtures;

namespace Korral.Kubelet.Tests.Translation;

public sealed class PodQosTests
{
    [Theory]
    [InlineData("{}", "{}", "BestEffort")]
    [InlineData("{requests: {ephemeral-storage: 1Gi}}", "{}", "BestEffort")] // only cpu and memory count
    [InlineData("{requests: {cpu: 100m}}", "{}", "Burstable")]
    [InlineData("{limits: {cpu: \"1\", memory: 1Gi}}", "{limits: {cpu: 500m, memory: 1Gi}}", "Guaranteed")]
    [InlineData("{limits: {cpu: \"1\", memory: 1Gi}}", "{}", "Burstable")] // one container without limits
    [InlineData("{requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: \"1\", memory: 1Gi}}", "{limits: {cpu: 1, memory: 1Gi}}", "Burstable")]
    [InlineData("{limits: {cpu: \"1\"}}", "{limits: {cpu: \"1\"}}", "Burstable")] // no memory limit
    public void Qos_is_computed_from_every_container(string first, string second, string qos)
    {
        var pod = Pod($$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              initContainers: [{name: i, image: busybox, resources: {{second}}}]
              containers: [{name: c, image: busybox, resources: {{first}}}]
            """);

        Assert.Equal(qos, PodQos.Compute(pod));
        Assert.Equal(qos, pod.Status!.QosClass); // as the API server computed it
    }

    [Fact]
    public void The_api_servers_class_wins_when_set()
    {
        var pod = Pod("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec: {containers: [{name: c, image: busybox}]}
            """);
        pod.Status!.QosClass = "Burstable";

        Assert.Equal("Burstable", PodQos.Of(pod));
        Assert.Equal("BestEffort", PodQos.Compute(pod));
    }
}
