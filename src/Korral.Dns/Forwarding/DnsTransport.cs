namespace Korral.Dns.Forwarding;

/// <summary>How a query reached the server: a UDP answer must fit the client's size; TCP takes up to 64 KiB.</summary>
public enum DnsTransport
{
    Udp,
    Tcp,
}
