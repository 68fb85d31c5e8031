namespace Korral.Dns.Wire;

/// <summary>Record classes (RFC 1035 §3.2.4); the cluster zone only has IN.</summary>
public enum DnsClass : ushort
{
    IN = 1,
    CH = 3,
    ANY = 255,
}
