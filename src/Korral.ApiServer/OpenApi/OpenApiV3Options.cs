using Korral.ApiServer.Discovery;

namespace Korral.ApiServer.OpenApi;

/// <summary>Settings of the /openapi/v3 documents.</summary>
public sealed record OpenApiV3Options
{
    public string Title { get; init; } = "Kubernetes";

    public string Version { get; init; } = VersionInfo.KubernetesVersion;

    /// <summary>Clock for the Expires header of hash-addressed answers.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
