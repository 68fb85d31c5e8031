using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Cri.V1;

namespace Korral.Kubelet.Translation;

/// <summary>
/// A pod's resolver configuration by dnsPolicy, as upstream's kubelet builds it (GetPodDNS): ClusterFirst uses the
/// cluster DNS servers, the search path <c>&lt;ns&gt;.svc.&lt;domain&gt; svc.&lt;domain&gt; &lt;domain&gt;</c> followed by the
/// node's search domains, and <c>ndots:5</c>; Default (and ClusterFirst on the host network) copies the node's
/// resolv.conf; None starts empty; ClusterFirstWithHostNet is ClusterFirst. spec.dnsConfig is merged on top, then the
/// result is cut to the libc limits (3 nameservers, 32 search domains, 2048 characters).
/// </summary>
public static class PodDnsConfig
{
    public const int MaxNameservers = 3;
    public const int MaxSearchPaths = 32;
    public const int MaxSearchListChars = 2048;
    public const int MaxSearchPathLength = 253;

    /// <summary>Event reason for a config cut to the limits.</summary>
    public const string DnsConfigFormingReason = "DNSConfigForming";

    /// <summary>Event reason for ClusterFirst without a cluster DNS server.</summary>
    public const string MissingClusterDnsReason = "MissingClusterDNS";

    public static TranslationResult<DNSConfig> Build(Pod pod, DnsContext context)
    {
        var warnings = new List<TranslationWarning>();
        var host = context.HostResolvConf is null ? new ResolvConf([], [], []) : ResolvConf.Parse(context.HostResolvConf);
        List<string> servers = [.. host.Nameservers];
        List<string> searches = [.. host.Searches];
        List<string> options = [.. host.Options];

        var hostNetwork = pod.Spec?.HostNetwork == true;
        var policy = pod.Spec?.DnsPolicy;
        var useClusterDns = policy switch
        {
            "None" => (bool?)null,
            "ClusterFirstWithHostNet" => true,
            "ClusterFirst" => !hostNetwork,
            "Default" => false,
            _ => true, // upstream falls back to ClusterFirst for a policy it does not know
        };

        if (useClusterDns is null)
        {
            servers = [];
            searches = [];
            options = [];
        }
        else
        {
            var hostDns = useClusterDns == false;
            if (useClusterDns == true)
            {
                if (context.ClusterDns.Count > 0)
                {
                    servers = [.. context.ClusterDns];
                    if (context.ClusterDomain.Length > 0)
                    {
                        var ns = pod.Metadata?.Namespace ?? "";
                        searches = Distinct([$"{ns}.svc.{context.ClusterDomain}", $"svc.{context.ClusterDomain}", context.ClusterDomain, .. searches]);
                    }

                    options = ["ndots:5"];
                }
                else
                {
                    var message = "kubelet does not have ClusterDNS IP configured and cannot create Pod using \"ClusterFirst\" policy. Falling back to \"Default\" policy.";
                    warnings.Add(new(MissingClusterDnsReason, $"pod: {GoQuote.Quote(PodDescription(pod))}. {message}"));
                    hostDns = true;
                }
            }

            if (hostDns && context.HostResolvConf is null)
            {
                // No resolver config on the node: resolve through whatever listens on the loopback.
                foreach (var ip in context.NodeIPs)
                {
                    servers.Add(ip.Contains(':', StringComparison.Ordinal) ? "::1" : "127.0.0.1");
                }

                if (servers.Count == 0)
                {
                    servers.Add("127.0.0.1");
                }

                searches = ["."];
            }
        }

        if (pod.Spec?.DnsConfig is { } extra)
        {
            servers = Distinct([.. servers, .. extra.Nameservers ?? []]);
            searches = Distinct([.. searches, .. extra.Searches ?? []]);
            options = MergeOptions(options, extra.Options ?? []);
        }

        if (servers.Count > MaxNameservers)
        {
            servers = servers[..MaxNameservers];
            warnings.Add(new(DnsConfigFormingReason,
                $"Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: {string.Join(' ', servers)}"));
        }

        searches = FitSearches(searches, warnings);
        var config = new DNSConfig();
        config.Servers.Add(servers);
        config.Searches.Add(searches);
        config.Options.Add(options);
        return TranslationResult<DNSConfig>.Ok(config, warnings);
    }

    /// <summary>upstream's format.Pod: <c>name_namespace(uid)</c>.</summary>
    internal static string PodDescription(Pod pod) => $"{pod.Metadata?.Name}_{pod.Metadata?.Namespace}({pod.Metadata?.Uid})";

    private static List<string> FitSearches(List<string> searches, List<TranslationWarning> warnings)
    {
        var exceeded = false;
        if (searches.Count > MaxSearchPaths)
        {
            searches = searches[..MaxSearchPaths];
            exceeded = true;
        }

        // Some resolvers (glibc 2.28) abort on a search domain longer than 255 characters.
        var kept = searches.Where(s => s.Length <= MaxSearchPathLength).ToList();
        exceeded |= kept.Count != searches.Count;
        searches = kept;

        var lineLength = string.Join(' ', searches).Length;
        if (lineLength > MaxSearchListChars)
        {
            var cut = 0;
            var cutLength = 0;
            for (var i = searches.Count - 1; i >= 0; i--)
            {
                cutLength += searches[i].Length + 1;
                cut++;
                if (lineLength - cutLength <= MaxSearchListChars)
                {
                    break;
                }
            }

            searches = searches[..(searches.Count - cut)];
            exceeded = true;
        }

        if (exceeded)
        {
            warnings.Add(new(DnsConfigFormingReason,
                $"Search Line limits were exceeded, some search paths have been omitted, the applied search line is: {string.Join(' ', searches)}"));
        }

        return searches;
    }

    private static List<string> Distinct(IEnumerable<string> values) => values.Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Merges options by name, the pod's replacing the base's (upstream merges through a map; the order here is stable).</summary>
    private static List<string> MergeOptions(List<string> existing, IList<PodDNSConfigOption> extra)
    {
        var merged = new List<(string Name, string Value)>();
        void Put(string name, string value)
        {
            var index = merged.FindIndex(o => o.Name == name);
            if (index >= 0)
            {
                merged[index] = (name, value);
            }
            else
            {
                merged.Add((name, value));
            }
        }

        foreach (var option in existing)
        {
            var colon = option.IndexOf(':', StringComparison.Ordinal);
            Put(colon < 0 ? option : option[..colon], colon < 0 ? "" : option[(colon + 1)..]);
        }

        foreach (var option in extra)
        {
            Put(option.Name ?? "", option.Value ?? "");
        }

        return merged.Select(o => o.Value.Length > 0 ? $"{o.Name}:{o.Value}" : o.Name).ToList();
    }
}
