using System.Net;

namespace Korral.Dns.Wire;

/// <summary>A (4 bytes) or AAAA (16 bytes) RDATA.</summary>
public sealed record AddressData(IPAddress Address) : DnsRecordData
{
    public override string ToString() => Address.ToString();
}
