using Korral.Proxy.Tests.Fixtures;

namespace Korral.Proxy.Tests.Netns;

/// <summary>A test that needs a private network namespace (root, unshare, nsenter, iptables); skipped elsewhere.</summary>
public sealed class NetnsFactAttribute : FactAttribute
{
    public NetnsFactAttribute()
    {
        if (!PrivateNetns.Available)
        {
            Skip = "needs root, unshare, nsenter and iptables-restore";
        }
    }

    /// <summary>A program the test also needs (skipped without it).</summary>
    public string? Needs
    {
        get => null;
        init
        {
            if (value is not null && !File.Exists(value))
            {
                Skip ??= $"needs {value}";
            }
        }
    }
}
