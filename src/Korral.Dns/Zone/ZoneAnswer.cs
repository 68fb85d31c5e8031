using Korral.Dns.Wire;

namespace Korral.Dns.Zone;

/// <summary>What the cluster zone says about one question: the sections of the response and its RCODE.</summary>
public sealed class ZoneAnswer
{
    public DnsRcode Rcode { get; set; }

    public List<DnsRecord> Answers { get; } = [];

    public List<DnsRecord> Authorities { get; } = [];

    public List<DnsRecord> Additionals { get; } = [];

    /// <summary>
    /// The target of an ExternalName CNAME outside the zone: the server looks it up upstream (same type) and appends
    /// what it finds to <see cref="Answers"/>, as CoreDNS does; the CNAME alone answers when that fails.
    /// </summary>
    public string? Chase { get; set; }
}
