namespace Korral.Dns.Wire;

/// <summary>The RDATA of NS, CNAME and PTR: one domain name.</summary>
public sealed record NameData(string Target) : DnsRecordData
{
    public override string ToString() => Target + ".";
}
