namespace Korral.Dns.Cluster;

/// <summary>A name that owns an address: the Service itself (<see cref="Hostname"/> null, for a cluster IP) or one of its endpoints.</summary>
public sealed record ReverseEntry(string? Hostname, string Service, string Namespace);
