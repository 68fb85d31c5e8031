namespace Korral.Dns.Wire;

/// <summary>
/// A DNS message (RFC 1035 §4.1): header, question, answer, authority and additional sections. The OPT pseudo-record
/// is lifted out of the additional section into <see cref="Edns"/>, and its extended RCODE bits are merged into
/// <see cref="Rcode"/>. <see cref="Decode"/> and <see cref="Encode"/> are in DnsMessage.Codec.cs.
/// </summary>
public sealed partial class DnsMessage
{
    /// <summary>The largest message (TCP's 16-bit length prefix).</summary>
    public const int MaxSize = 65535;

    /// <summary>The UDP size every client can take without EDNS (RFC 1035 §2.3.4).</summary>
    public const int MinUdpSize = 512;

    public ushort Id { get; set; }

    public bool IsResponse { get; set; }

    public DnsOpcode Opcode { get; set; }

    public bool AuthoritativeAnswer { get; set; }

    public bool Truncated { get; set; }

    public bool RecursionDesired { get; set; }

    public bool RecursionAvailable { get; set; }

    public bool AuthenticData { get; set; }

    public bool CheckingDisabled { get; set; }

    public DnsRcode Rcode { get; set; }

    public List<DnsQuestion> Questions { get; } = [];

    public List<DnsRecord> Answers { get; } = [];

    public List<DnsRecord> Authorities { get; } = [];

    /// <summary>The additional section without the OPT record.</summary>
    public List<DnsRecord> Additionals { get; } = [];

    public EdnsOptions? Edns { get; set; }

    /// <summary>A response to <paramref name="query"/>: same id, opcode, RD and CD bits, and question.</summary>
    public static DnsMessage ResponseTo(DnsMessage query, DnsRcode rcode = DnsRcode.NoError)
    {
        var response = new DnsMessage
        {
            Id = query.Id,
            IsResponse = true,
            Opcode = query.Opcode,
            RecursionDesired = query.RecursionDesired,
            CheckingDisabled = query.CheckingDisabled,
            Rcode = rcode,
        };
        response.Questions.AddRange(query.Questions);
        return response;
    }

    public override string ToString()
    {
        var lines = new List<string>
        {
            $";; id {Id} {(IsResponse ? "response" : "query")} {Opcode} {Rcode}{(AuthoritativeAnswer ? " aa" : "")}{(Truncated ? " tc" : "")}"
                + $"{(RecursionDesired ? " rd" : "")}{(RecursionAvailable ? " ra" : "")}{(Edns is { } e ? $" edns {e.UdpPayloadSize}" : "")}",
        };
        lines.AddRange(Questions.Select(q => $";{q.Name}.\t{q.Class}\t{q.Type}"));
        lines.AddRange(Answers.Select(r => r.ToString()));
        lines.AddRange(Authorities.Select(r => "; authority " + r));
        lines.AddRange(Additionals.Select(r => "; additional " + r));
        return string.Join('\n', lines);
    }
}
