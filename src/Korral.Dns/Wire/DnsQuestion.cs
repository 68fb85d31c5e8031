namespace Korral.Dns.Wire;

/// <summary>One entry of the question section. <see cref="Name"/> is in presentation form without the final dot.</summary>
public sealed record DnsQuestion(string Name, DnsType Type, DnsClass Class = DnsClass.IN);
