namespace Korral.Bench.Cluster;

/// <summary>How long a cold start took, measured from process start.</summary>
/// <param name="KubeconfigWritten">The admin kubeconfig appeared on disk.</param>
/// <param name="Ready">An authenticated GET /readyz answered 200.</param>
/// <param name="FirstRead">An authenticated GET of the default namespace answered 200.</param>
/// <param name="ServerReportedMs">The server's own "korral is ready in N ms" (counted from its Main, after runtime start).</param>
/// <param name="HttpVersion">The protocol /readyz was answered with.</param>
public sealed record ColdStart(TimeSpan KubeconfigWritten, TimeSpan Ready, TimeSpan FirstRead, int? ServerReportedMs, Version? HttpVersion);
