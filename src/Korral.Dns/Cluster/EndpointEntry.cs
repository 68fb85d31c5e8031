using System.Net;

namespace Korral.Dns.Cluster;

/// <summary>
/// A ready endpoint address of a Service. <see cref="Hostname"/> is the endpoint's hostname, or, when it has none, its
/// address with dashes (10-0-0-1, fd00--1) as CoreDNS names it; <see cref="Ports"/> are the ports of its EndpointSlice.
/// </summary>
public sealed record EndpointEntry(string Hostname, IPAddress Address, IReadOnlyList<ServicePortEntry> Ports);
