namespace Korral.Dns.Wire;

/// <summary>TXT RDATA: character-strings of up to 255 bytes each, held as Latin-1 so that any byte round-trips.</summary>
public sealed record TxtData(IReadOnlyList<string> Strings) : DnsRecordData
{
    public bool Equals(TxtData? other) => other is not null && Strings.SequenceEqual(other.Strings, StringComparer.Ordinal);

    public override int GetHashCode() => Strings.Count;

    public override string ToString() => string.Join(' ', Strings.Select(s => $"\"{s}\""));
}
