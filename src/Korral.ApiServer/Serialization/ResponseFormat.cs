namespace Korral.ApiServer.Serialization;

/// <summary>What shape the client asked a resource response to take.</summary>
public enum ResponseShape
{
    /// <summary>The object or list itself.</summary>
    Object,

    /// <summary>A meta.k8s.io Table (kubectl get).</summary>
    Table,

    /// <summary>PartialObjectMetadata(List): metadata only (metadata informers of the garbage collector).</summary>
    PartialMetadata,
}

/// <summary>The negotiated response: its shape and whether it is written as YAML instead of JSON.</summary>
public sealed record ResponseFormat(ResponseShape Shape, bool Yaml, string MetaVersion = "v1")
{
    public static readonly ResponseFormat Json = new(ResponseShape.Object, false);

    /// <summary>
    /// Picks the first media range of the Accept header that the server can produce. Protobuf is answered with JSON
    /// (clients that ask for it always accept JSON too). Null when nothing acceptable was offered.
    /// </summary>
    public static ResponseFormat? Negotiate(string? accept)
    {
        var ranges = MediaType.ParseAccept(accept);
        if (ranges.Count == 0)
        {
            return Json;
        }

        foreach (var m in ranges)
        {
            var yaml = m.Type == "application/yaml";
            if (m.Type is not ("application/json" or "application/yaml" or "*/*" or "application/*" or "application/vnd.kubernetes.protobuf"))
            {
                continue;
            }

            var asKind = m.Param("as");
            if (asKind is null)
            {
                return m.Type == "application/vnd.kubernetes.protobuf" ? Json : new ResponseFormat(ResponseShape.Object, yaml);
            }

            if (m.Param("g") != "meta.k8s.io" || m.Param("v") is not ("v1" or "v1beta1"))
            {
                continue;
            }

            if (asKind == "Table" && m.Type != "application/vnd.kubernetes.protobuf")
            {
                return new ResponseFormat(ResponseShape.Table, yaml, m.Param("v")!);
            }

            if (asKind is "PartialObjectMetadata" or "PartialObjectMetadataList" && m.Type != "application/vnd.kubernetes.protobuf")
            {
                return new ResponseFormat(ResponseShape.PartialMetadata, yaml, m.Param("v")!);
            }
        }

        return null;
    }
}
