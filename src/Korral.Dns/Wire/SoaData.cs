namespace Korral.Dns.Wire;

/// <summary>SOA RDATA (RFC 1035 §3.3.13); <see cref="Minimum"/> is the negative-caching TTL (RFC 2308).</summary>
public sealed record SoaData(string PrimaryNameServer, string ResponsibleMailbox, uint Serial, uint Refresh, uint Retry, uint Expire, uint Minimum)
    : DnsRecordData
{
    public override string ToString() => $"{PrimaryNameServer}. {ResponsibleMailbox}. {Serial} {Refresh} {Retry} {Expire} {Minimum}";
}
