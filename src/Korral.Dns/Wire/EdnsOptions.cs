namespace Korral.Dns.Wire;

/// <summary>
/// The OPT pseudo-record of EDNS(0) (RFC 6891): the sender's UDP payload size, the EDNS version and the DO bit. Options
/// are kept as raw bytes; the server answers with none of its own. The extended RCODE bits live in
/// <see cref="DnsMessage.Rcode"/>.
/// </summary>
public sealed record EdnsOptions(ushort UdpPayloadSize, byte Version = 0, bool DnssecOk = false)
{
    /// <summary>Option TLVs as they came (code, data).</summary>
    public IReadOnlyList<KeyValuePair<ushort, byte[]>> Options { get; init; } = [];
}
