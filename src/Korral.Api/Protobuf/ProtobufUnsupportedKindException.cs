namespace Korral.Api.Protobuf;

/// <summary>
/// A well-formed protobuf envelope whose apiVersion/kind has no known protobuf message (e.g. a custom resource).
/// The server may answer 415 Unsupported Media Type instead of 400.
/// </summary>
public sealed class ProtobufUnsupportedKindException : ProtobufFormatException
{
    public ProtobufUnsupportedKindException(string apiVersion, string kind)
        : base($"no protobuf encoding is known for {(apiVersion.Length == 0 ? "<no apiVersion>" : apiVersion)}, Kind={kind}")
    {
        ApiVersion = apiVersion;
        Kind = kind;
    }

    public string ApiVersion { get; }

    public string Kind { get; }
}
