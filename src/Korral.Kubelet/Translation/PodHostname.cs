using Korral.Api.Models.CoreV1;
using Korral.Api.Validation.Rules;

namespace Korral.Kubelet.Translation;

/// <summary>
/// A pod's host name and domain as the kubelet derives them (GeneratePodHostNameAndDomain): spec.hostname or the pod
/// name, cut to 63 characters; with spec.subdomain the domain <c>&lt;subdomain&gt;.&lt;namespace&gt;.svc.&lt;cluster domain&gt;</c>.
/// </summary>
public sealed record PodHostname(string Hostname, string Domain)
{
    private const int HostnameMaxLength = 63;
    private const int FqdnMaxLength = 64;

    public static TranslationResult<PodHostname> Generate(Pod pod, string clusterDomain)
    {
        var podName = pod.Metadata?.Name ?? "";
        var hostname = podName;
        if (!string.IsNullOrEmpty(pod.Spec?.Hostname))
        {
            var errors = NameRules.Dns1123Label(pod.Spec.Hostname);
            if (errors.Count > 0)
            {
                return TranslationResult<PodHostname>.Fail(
                    $"pod Hostname {GoQuote.Quote(pod.Spec.Hostname)} is not a valid DNS label: {string.Join(';', errors)}");
            }

            hostname = pod.Spec.Hostname;
        }

        if (hostname.Length > HostnameMaxLength)
        {
            // Upstream cuts the name and then drops the '-' and '.' a cut can leave at the end.
            hostname = hostname[..HostnameMaxLength].TrimEnd('-', '.');
            if (hostname.Length == 0)
            {
                return TranslationResult<PodHostname>.Fail($"hostname for pod {GoQuote.Quote(podName)} was invalid: {GoQuote.Quote(pod.Spec?.Hostname ?? podName)}");
            }
        }

        var domain = "";
        if (!string.IsNullOrEmpty(pod.Spec?.Subdomain))
        {
            var errors = NameRules.Dns1123Label(pod.Spec.Subdomain);
            if (errors.Count > 0)
            {
                return TranslationResult<PodHostname>.Fail(
                    $"pod Subdomain {GoQuote.Quote(pod.Spec.Subdomain)} is not a valid DNS label: {string.Join(';', errors)}");
            }

            domain = $"{pod.Spec.Subdomain}.{pod.Metadata?.Namespace}.svc.{clusterDomain}";
        }

        return TranslationResult<PodHostname>.Ok(new PodHostname(hostname, domain));
    }

    /// <summary>
    /// The host name the kernel gets (the sandbox's hostname): the short name, or with spec.setHostnameAsFQDN and a
    /// domain the FQDN, which must fit the kernel's 64 characters.
    /// </summary>
    public TranslationResult<string> KernelHostname(bool setHostnameAsFqdn)
    {
        if (Domain.Length == 0 || !setHostnameAsFqdn)
        {
            return TranslationResult<string>.Ok(Hostname);
        }

        var fqdn = $"{Hostname}.{Domain}";
        return fqdn.Length > FqdnMaxLength
            ? TranslationResult<string>.Fail(
                $"failed to construct FQDN from pod hostname and cluster domain, FQDN {fqdn} is too long ({FqdnMaxLength} characters is the max, {fqdn.Length} characters requested)")
            : TranslationResult<string>.Ok(fqdn);
    }
}
