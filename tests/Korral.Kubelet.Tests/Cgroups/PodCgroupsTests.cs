using Korral.Kubelet.Cgroups;

namespace Korral.Kubelet.Tests.Cgroups;

public sealed class PodCgroupsTests : IDisposable
{
    private const string Uid = "0b9e2a4c-5b0e-4f7a-9d1c-3f2e1a0b9c8d";
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("korral-cgroup-");

    [Theory]
    [InlineData(PodCgroups.Guaranteed, "/kubepods/pod" + Uid)]
    [InlineData(PodCgroups.Burstable, "/kubepods/burstable/pod" + Uid)]
    [InlineData(PodCgroups.BestEffort, "/kubepods/besteffort/pod" + Uid)]
    public void ParentIsNamedByQosClass(string qos, string expected)
    {
        Assert.Equal(expected, PodCgroups.ParentFor(qos, Uid));
    }

    [Fact]
    public void UnknownQosClassIsRejected()
    {
        Assert.Throws<ArgumentException>(() => PodCgroups.ParentFor("Premium", Uid));
    }

    [Fact]
    public void RemovesThePodInEveryHierarchyBottomUpAndLeavesOthers()
    {
        // Hybrid layout: v1 controllers, a named hierarchy, cgroup2 at unified/, and a controller symlink.
        Make("memory/kubepods/besteffort/pod" + Uid + "/c1");
        Make("memory/kubepods/besteffort/pod" + Uid + "/c2");
        Make("cpu,cpuacct/kubepods/besteffort/pod" + Uid + "/c1");
        Make("pids/kubepods/besteffort/pod" + Uid);
        Make("systemd/kubepods/besteffort/pod" + Uid + "/c1");
        Make("unified/kubepods/besteffort/pod" + Uid + "/c1");
        Make("memory/kubepods/besteffort/podother/c1");
        Directory.CreateSymbolicLink(Path.Combine(_root.FullName, "cpu"), "cpu,cpuacct");

        var result = new PodCgroups(_root.FullName).RemovePod(Uid);

        Assert.True(result.Complete);
        Assert.Equal(10, result.Removed.Count);
        Assert.DoesNotContain(Directory.EnumerateDirectories(_root.FullName, "pod" + Uid, SearchOption.AllDirectories), _ => true);
        Assert.True(Directory.Exists(Path.Combine(_root.FullName, "memory/kubepods/besteffort/podother/c1")));
        Assert.True(Directory.Exists(Path.Combine(_root.FullName, "memory/kubepods/besteffort")));
        // A child is removed before its parent.
        var c1 = result.Removed.ToList().FindIndex(path => path.EndsWith("memory/kubepods/besteffort/pod" + Uid + "/c1", StringComparison.Ordinal));
        var pod = result.Removed.ToList().FindIndex(path => path.EndsWith("memory/kubepods/besteffort/pod" + Uid, StringComparison.Ordinal));
        Assert.True(c1 < pod);
    }

    [Fact]
    public void RemovesGuaranteedAndBurstablePodsAndAPureV2Layout()
    {
        Make("memory/kubepods/pod" + Uid + "/c1");
        Make("memory/kubepods/burstable/pod" + Uid);
        Make("kubepods/pod" + Uid + "/c1");

        var result = new PodCgroups(_root.FullName).RemovePod(Uid);

        Assert.Equal(5, result.Removed.Count);
        Assert.Empty(new PodCgroups(_root.FullName).FindPodUids());
    }

    [Fact]
    public void MissingDirectoriesAreFine()
    {
        var result = new PodCgroups(Path.Combine(_root.FullName, "nothing-here")).RemovePod(Uid);

        Assert.Equal((0, 0), (result.Removed.Count, result.Failed.Count));
    }

    [Fact]
    public void DirectoryThatCannotBeRemovedIsReported()
    {
        // A file inside stands in for a cgroup that still has processes (rmdir fails).
        Make("memory/kubepods/besteffort/pod" + Uid);
        File.WriteAllText(Path.Combine(_root.FullName, "memory/kubepods/besteffort/pod" + Uid, "tasks"), "1\n");

        var result = new PodCgroups(_root.FullName).RemovePod(Uid);

        Assert.False(result.Complete);
        Assert.Contains("memory/kubepods/besteffort/pod" + Uid, Assert.Single(result.Failed), StringComparison.Ordinal);
    }

    [Fact]
    public void FindsThePodsWithCgroupsLeft()
    {
        Make("memory/kubepods/besteffort/poda");
        Make("cpu/kubepods/burstable/podb");
        Make("unified/kubepods/podc/container");
        Make("memory/kubepods/burstable");

        Assert.Equal(["a", "b", "c"], new PodCgroups(_root.FullName).FindPodUids().Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("a/b")]
    public void UidsThatAreNotNamesAreRejected(string uid)
    {
        Assert.Throws<ArgumentException>(() => new PodCgroups(_root.FullName).RemovePod(uid));
    }

    public void Dispose() => _root.Delete(recursive: true);

    private void Make(string relative) => Directory.CreateDirectory(Path.Combine(_root.FullName, relative));
}
