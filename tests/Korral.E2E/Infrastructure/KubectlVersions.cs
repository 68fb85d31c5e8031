namespace Korral.E2E.Infrastructure;

/// <summary>The kubectl versions the suite runs against: the oldest supported (1.27, JSON bodies, aggregated discovery v2beta1,
/// OpenAPI v2 validation) and the newest (1.33, protobuf bodies for typed-client writes, discovery v2, OpenAPI v3).</summary>
public static class KubectlVersions
{
    public const string Oldest = "1.27";
    public const string Newest = "1.33";

    public static TheoryData<string> Both => new() { Oldest, Newest };
}
