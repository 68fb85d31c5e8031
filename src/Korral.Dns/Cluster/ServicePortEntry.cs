namespace Korral.Dns.Cluster;

/// <summary>A port for SRV records: its name (empty when unnamed), protocol in lower case (tcp, udp, sctp) and number.</summary>
public sealed record ServicePortEntry(string Name, string Protocol, ushort Port);
