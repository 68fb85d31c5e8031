using Korral.Proxy.Tests.Fixtures;

namespace Korral.Proxy.Tests.Netns;

/// <summary>The theory form of <see cref="NetnsFactAttribute"/>.</summary>
public sealed class NetnsTheoryAttribute : TheoryAttribute
{
    public NetnsTheoryAttribute()
    {
        if (!PrivateNetns.Available)
        {
            Skip = "needs root, unshare, nsenter and iptables-restore";
        }
    }
}
