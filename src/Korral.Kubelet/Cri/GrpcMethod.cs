namespace Korral.Kubelet.Cri;

/// <summary>One unary gRPC method: its path (/package.Service/Method) and the request URI built once, not per call.</summary>
public sealed class GrpcMethod
{
    public GrpcMethod(string service, string name)
    {
        Path = $"/{service}/{name}";
        // The authority is ignored on a unix socket; gRPC only needs a well-formed :authority.
        Uri = new Uri("http://localhost" + Path, UriKind.Absolute);
    }

    public string Path { get; }

    public Uri Uri { get; }

    public override string ToString() => Path;
}
