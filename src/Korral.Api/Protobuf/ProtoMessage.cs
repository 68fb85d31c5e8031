namespace Korral.Api.Protobuf;

/// <summary>A protobuf message of the Kubernetes API, e.g. k8s.io.api.core.v1.ConfigMap.</summary>
public sealed class ProtoMessage
{
    private readonly ProtoField?[] _byNumber;

    internal ProtoMessage(string fullName, ProtoSpecial special, ProtoField[] fields)
    {
        FullName = fullName;
        Special = special;
        Array.Sort(fields, (a, b) => a.Number.CompareTo(b.Number));
        Fields = fields;
        _byNumber = new ProtoField?[fields.Length == 0 ? 1 : fields[^1].Number + 1];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i].Index = i;
            _byNumber[fields[i].Number] = fields[i];
        }
    }

    public string FullName { get; }

    public ProtoSpecial Special { get; }

    /// <summary>Fields in field-number order.</summary>
    public IReadOnlyList<ProtoField> Fields { get; }

    public ProtoField? FindField(int number) => (uint)number < (uint)_byNumber.Length ? _byNumber[number] : null;

    public override string ToString() => FullName;
}
