namespace Korral.Dns.Wire;

/// <summary>The RDATA of a record, decoded for the types the server deals in, raw for the rest.</summary>
public abstract record DnsRecordData;
