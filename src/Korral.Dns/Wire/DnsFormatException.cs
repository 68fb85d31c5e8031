namespace Korral.Dns.Wire;

/// <summary>A message that is not valid DNS wire format; the only exception <see cref="DnsMessage.Decode"/> throws.</summary>
public sealed class DnsFormatException(string message) : Exception(message);
