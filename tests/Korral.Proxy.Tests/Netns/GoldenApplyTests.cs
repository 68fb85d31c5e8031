using Korral.Proxy.Iptables;
using Korral.Proxy.Rules;
using Korral.Proxy.Tests.Fixtures;
using Korral.Proxy.Tests.Rules;

namespace Korral.Proxy.Tests.Netns;

/// <summary>Every golden rule set is accepted by the real iptables-restore, and clean-up removes all of it.</summary>
public sealed class GoldenApplyTests
{
    public static TheoryData<string> CaseNames() => RuleGoldenTests.CaseNames();

    [NetnsTheory]
    [MemberData(nameof(CaseNames))]
    public async Task GoldenRulesApplyAndCleanUp(string name)
    {
        await using var netns = await PrivateNetns.StartAsync();
        var (options, services, slices) = RuleGoldenTests.Cases[name]();
        var text = new RuleGenerator(options).FullRestore(services, slices);

        await new IptablesClient(netns.Runner).RestoreAsync(text, CancellationToken.None);
        var applied = await netns.SaveAsync();
        Assert.Contains(":KORRAL-SERVICES", applied);
        Assert.Contains("-A PREROUTING -m comment --comment \"korral service portals\" -j KORRAL-SERVICES", applied);

        var result = await ProxyCleanup.RunAsync(new ProxyCleanupOptions { CommandPrefix = netns.Prefix }, CancellationToken.None);
        Assert.True(result.ChainsDeleted >= 8, $"deleted {result.ChainsDeleted} chains");
        Assert.DoesNotContain("KORRAL", await netns.SaveAsync());
    }
}
