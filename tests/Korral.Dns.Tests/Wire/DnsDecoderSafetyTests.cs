using Korral.Dns.Wire;

namespace Korral.Dns.Tests.Wire;

/// <summary>Hostile or broken input: every case ends in <see cref="DnsFormatException"/>, never a hang or another exception.</summary>
public sealed class DnsDecoderSafetyTests
{
    private const string OneQuestionHeader = "000100000001000000000000";

    public static TheoryData<string, string> Broken => new()
    {
        { "empty", "" },
        { "header cut short", "00010000000100000000" },
        { "question promised, none there", OneQuestionHeader },
        { "pointer to itself", OneQuestionHeader + "c00c00010001" },
        { "pointer forward", OneQuestionHeader + "c01000010001" + "0161" + "00" },
        { "label then pointer back to it, forever", OneQuestionHeader + "0161c00c00010001" },
        { "two labels pointing at each other through a pointer", OneQuestionHeader + "01610162c00e00010001" },
        { "pointer cut short", OneQuestionHeader + "c0" },
        { "label runs past the end", OneQuestionHeader + "3f6162" },
        { "extended label type 0x40", OneQuestionHeader + "4161" + "0000010001" },
        { "reserved label type 0x80", OneQuestionHeader + "8161" + "0000010001" },
        { "name over 255 bytes", OneQuestionHeader + string.Concat(Enumerable.Repeat("3f" + new string('6', 126), 5)) + "0000010001" },
        { "question type cut short", OneQuestionHeader + "0161" + "00" + "00" },
        { "answer data runs past the end", "000180000000000100000000" + "00" + "0001" + "0001" + "00000005" + "0004" + "0a00" },
        { "A with 5 bytes", "000180000000000100000000" + "00" + "0001" + "0001" + "00000005" + "0005" + "0a00000101" },
        { "AAAA with 4 bytes", "000180000000000100000000" + "00" + "001c" + "0001" + "00000005" + "0004" + "0a000001" },
        { "CNAME data longer than its name", "000180000000000100000000" + "00" + "0005" + "0001" + "00000005" + "0003" + "000000" },
        { "SRV name past its data", "000180000000000100000000" + "00" + "0021" + "0001" + "00000005" + "0007" + "000000000000" + "0161" + "00" },
        { "OPT in the answer section", "000180000000000100000000" + "00" + "0029" + "1000" + "00000000" + "0000" },
        { "two OPT records", "000100000000000000000002" + "00002910000000000000000" + "0002910000000000000" },
        { "OPT not at the root", "000100000000000000000001" + "0161" + "00" + "0029" + "1000" + "00000000" + "0000" },
        { "EDNS option past its record", "000100000000000000000001" + "00" + "0029" + "1000" + "00000000" + "0004" + "000a0008" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void RejectsWithFormatException(string why, string hex)
    {
        var bytes = Convert.FromHexString(hex.Length % 2 == 0 ? hex : hex + "0");

        var e = Assert.Throws<DnsFormatException>(() => DnsMessage.Decode(bytes));
        Assert.False(string.IsNullOrEmpty(e.Message), why);
    }

    [Fact]
    public void PointerChainsBackwardsAreFollowed()
    {
        // Question "b.c" at 12; the first answer's owner is "a" + pointer to 12; the second's points at the first's: two hops.
        const string Fixed = "0001" + "0001" + "00000005" + "0004" + "0a000001";
        var bytes = Convert.FromHexString("000180000001000200000000" + "0162016300" + "00010001" + "0161c00c" + Fixed + "c015" + Fixed);

        var message = DnsMessage.Decode(bytes);

        Assert.Equal(["a.b.c", "a.b.c"], message.Answers.Select(a => a.Name));
    }

    [Fact]
    public void NameOfExactly255BytesIsAccepted()
    {
        // Three 63-byte labels and one 61-byte label: 4 + 63*3 + 61 + 1 = 255.
        var name = string.Join('.', Enumerable.Repeat(new string('a', 63), 3).Append(new string('b', 61)));
        var message = new DnsMessage();
        message.Questions.Add(new DnsQuestion(name, DnsType.A));

        Assert.Equal(name, DnsMessage.Decode(message.Encode()).Questions[0].Name);
    }

    [Fact]
    public void UnprintableBytesDecodeAsEscapes()
    {
        var bytes = Convert.FromHexString(OneQuestionHeader + "03" + "2e005c" + "00" + "00010001");

        Assert.Equal("\\.\\000\\\\", DnsMessage.Decode(bytes).Questions[0].Name);
    }
}
