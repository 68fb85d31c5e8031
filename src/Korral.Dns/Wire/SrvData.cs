namespace Korral.Dns.Wire;

/// <summary>SRV RDATA (RFC 2782). The target is written without compression, as the RFC asks.</summary>
public sealed record SrvData(ushort Priority, ushort Weight, ushort Port, string Target) : DnsRecordData
{
    public override string ToString() => $"{Priority} {Weight} {Port} {Target}.";
}
