using System.Text;

namespace Korral.Api.Tests.Protobuf;

/// <summary>Builds protobuf wire bytes by hand for tests.</summary>
internal sealed class ProtoWriter
{
    private readonly List<byte> _bytes = [];

    public byte[] ToArray() => [.. _bytes];

    public ProtoWriter Varint(int field, long value) => Tag(field, 0).Raw(value);

    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Bytes(int field, byte[] value)
    {
        Tag(field, 2).Raw(value.Length);
        _bytes.AddRange(value);
        return this;
    }

    public ProtoWriter Message(int field, Action<ProtoWriter> build)
    {
        var inner = new ProtoWriter();
        build(inner);
        return Bytes(field, inner.ToArray());
    }

    /// <summary>A map entry {1: key, 2: value} with a string value.</summary>
    public ProtoWriter MapEntry(int field, string key, string value) => Message(field, e => e.String(1, key).String(2, value));

    /// <summary>The "k8s\0" envelope around <paramref name="raw"/>.</summary>
    public static byte[] Envelope(string apiVersion, string kind, byte[] raw)
    {
        var unknown = new ProtoWriter()
            .Message(1, tm => tm.String(1, apiVersion).String(2, kind))
            .Bytes(2, raw)
            .String(3, "")
            .String(4, "")
            .ToArray();
        return [0x6b, 0x38, 0x73, 0x00, .. unknown];
    }

    /// <summary>ObjectMeta the way Go writes it: every non-pointer string present, empty creationTimestamp.</summary>
    public static Action<ProtoWriter> Meta(string name, string ns = "", params (string Key, string Value)[] labels) => m =>
    {
        m.String(1, name).String(2, "").String(3, ns).String(4, "").String(5, "").String(6, "").Varint(7, 0).Message(8, _ => { });
        foreach (var (k, v) in labels)
        {
            m.MapEntry(11, k, v);
        }
    };

    private ProtoWriter Tag(int field, int wireType) => Raw(((long)field << 3) | (uint)wireType);

    private ProtoWriter Raw(long value)
    {
        var v = (ulong)value;
        while (v >= 0x80)
        {
            _bytes.Add((byte)(v | 0x80));
            v >>= 7;
        }

        _bytes.Add((byte)v);
        return this;
    }
}
