namespace Korral.Api.Protobuf;

/// <summary>One field of a <see cref="ProtoMessage"/>, from the generated.proto files.</summary>
public sealed class ProtoField
{
    internal ProtoField(int number, string name, string jsonName, ProtoType type, string? messageName, bool repeated,
        bool isMap, ProtoType mapKeyType, bool inline, bool keepZero)
    {
        Number = number;
        Name = name;
        JsonName = jsonName;
        Type = type;
        MessageName = messageName;
        Repeated = repeated;
        IsMap = isMap;
        MapKeyType = mapKeyType;
        Inline = inline;
        KeepZero = keepZero;
    }

    public int Number { get; }

    /// <summary>The proto field name, e.g. "uID".</summary>
    public string Name { get; }

    /// <summary>The JSON property name, e.g. "uid" (usually equal to <see cref="Name"/>).</summary>
    public string JsonName { get; }

    /// <summary>The field type; for a map, the type of its values.</summary>
    public ProtoType Type { get; }

    /// <summary>For <see cref="ProtoType.Message"/>: the full message name (map values included).</summary>
    public string? MessageName { get; }

    /// <summary>The resolved message, or null when the .proto files do not define it (such fields are skipped).</summary>
    public ProtoMessage? Message { get; internal set; }

    public bool Repeated { get; }

    /// <summary>A map&lt;key, value&gt;: repeated entries {1: key, 2: value}, decoded into a JSON object.</summary>
    public bool IsMap { get; }

    public ProtoType MapKeyType { get; }

    /// <summary>A Go embedded struct (json:",inline"): the child's JSON fields go directly into the parent object.</summary>
    public bool Inline { get; }

    /// <summary>A zero, false or empty value on the wire is kept in the JSON: Go pointer fields (set on purpose) and fields the
    /// schema marks required (Go's JSON writes their zero values).</summary>
    public bool KeepZero { get; }

    /// <summary>This field's position in <see cref="ProtoMessage.Fields"/>.</summary>
    internal int Index { get; set; }

    public override string ToString() => $"{Number}:{Name}";
}
