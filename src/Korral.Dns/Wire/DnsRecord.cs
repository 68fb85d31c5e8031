namespace Korral.Dns.Wire;

/// <summary>A resource record. <see cref="Name"/> is in presentation form without the final dot ("" is the root).</summary>
public sealed record DnsRecord(string Name, DnsType Type, DnsClass Class, uint Ttl, DnsRecordData Data)
{
    public static DnsRecord A(string name, uint ttl, System.Net.IPAddress address) => new(name, DnsType.A, DnsClass.IN, ttl, new AddressData(address));

    public static DnsRecord Aaaa(string name, uint ttl, System.Net.IPAddress address) => new(name, DnsType.AAAA, DnsClass.IN, ttl, new AddressData(address));

    /// <summary>A or AAAA, by the address family.</summary>
    public static DnsRecord Address(string name, uint ttl, System.Net.IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? Aaaa(name, ttl, address) : A(name, ttl, address);

    public static DnsRecord Cname(string name, uint ttl, string target) => new(name, DnsType.CNAME, DnsClass.IN, ttl, new NameData(target));

    public static DnsRecord Ptr(string name, uint ttl, string target) => new(name, DnsType.PTR, DnsClass.IN, ttl, new NameData(target));

    public static DnsRecord Ns(string name, uint ttl, string target) => new(name, DnsType.NS, DnsClass.IN, ttl, new NameData(target));

    public override string ToString() => $"{Name}.\t{Ttl}\t{Class}\t{Type}\t{Data}";
}
