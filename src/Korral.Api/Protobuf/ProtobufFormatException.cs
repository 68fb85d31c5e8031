namespace Korral.Api.Protobuf;

/// <summary>A protobuf request body that cannot be decoded (bad envelope, truncated or malformed wire data). The server answers 400.</summary>
public class ProtobufFormatException : FormatException
{
    public ProtobufFormatException(string message)
        : base(message)
    {
    }

    public ProtobufFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
