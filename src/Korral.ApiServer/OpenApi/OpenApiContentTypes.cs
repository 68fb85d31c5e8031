namespace Korral.ApiServer.OpenApi;

/// <summary>The media types of the OpenAPI endpoints.</summary>
public static class OpenApiContentTypes
{
    public const string Json = "application/json";

    /// <summary>
    /// The Content-Type for /openapi/v2 protobuf answers. Spelled with ".v1.0": clients ask with "@v1.0", but Go's
    /// mime parser (kubectl 1.27) rejects "@" in a response Content-Type.
    /// </summary>
    public const string V2Protobuf = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    /// <summary>How clients spell the v2 protobuf type in Accept.</summary>
    public const string V2ProtobufRequested = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

    /// <summary>The v3 protobuf type; Korral does not produce it (kubectl asks v3 documents as JSON).</summary>
    public const string V3Protobuf = "application/com.github.proto-openapi.spec.v3.v1.0+protobuf";
}
