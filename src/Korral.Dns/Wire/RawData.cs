namespace Korral.Dns.Wire;

/// <summary>RDATA of a type the codec does not interpret, kept as bytes (RFC 3597).</summary>
public sealed record RawData(byte[] Bytes) : DnsRecordData
{
    public bool Equals(RawData? other) => other is not null && Bytes.AsSpan().SequenceEqual(other.Bytes);

    public override int GetHashCode() => Bytes.Length;

    public override string ToString() => $"\\# {Bytes.Length} {Convert.ToHexString(Bytes)}";
}
