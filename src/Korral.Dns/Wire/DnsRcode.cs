namespace Korral.Dns.Wire;

/// <summary>
/// Response codes (RFC 1035 §4.1.1; BADVERS from RFC 6891). Values above 15 need EDNS: their upper 8 bits travel in the
/// OPT record.
/// </summary>
public enum DnsRcode : ushort
{
    NoError = 0,
    FormErr = 1,
    ServFail = 2,
    NXDomain = 3,
    NotImp = 4,
    Refused = 5,
    BadVers = 16,
}
