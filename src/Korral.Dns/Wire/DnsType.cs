namespace Korral.Dns.Wire;

/// <summary>Resource record types (RFC 1035 §3.2.2, RFC 3596 AAAA, RFC 2782 SRV, RFC 6891 OPT); others travel as numbers.</summary>
public enum DnsType : ushort
{
    A = 1,
    NS = 2,
    CNAME = 5,
    SOA = 6,
    PTR = 12,
    HINFO = 13,
    MX = 15,
    TXT = 16,
    AAAA = 28,
    SRV = 33,
    OPT = 41,
    IXFR = 251,
    AXFR = 252,
    ANY = 255,
}
