namespace Korral.Dns.Wire;

/// <summary>The header's OPCODE (RFC 1035 §4.1.1); only Query is answered, the rest get NOTIMP.</summary>
public enum DnsOpcode : byte
{
    Query = 0,
    InverseQuery = 1,
    Status = 2,
    Notify = 4,
    Update = 5,
}
