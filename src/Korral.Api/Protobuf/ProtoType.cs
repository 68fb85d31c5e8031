namespace Korral.Api.Protobuf;

/// <summary>The declared type of a protobuf field (the scalar types of proto2, or a message).</summary>
public enum ProtoType : byte
{
    Double,
    Float,
    Int32,
    Int64,
    Uint32,
    Uint64,
    Sint32,
    Sint64,
    Fixed32,
    Fixed64,
    Sfixed32,
    Sfixed64,
    Bool,
    String,
    Bytes,
    Message,
}
