using System.Text.Json.Nodes;
using Korral.Api.Resources;
using Korral.ApiServer.Admission;
using Korral.ApiServer.Discovery;
using Korral.ApiServer.Http;
using Korral.ApiServer.Registry;
using Korral.ApiServer.Security;
using Korral.ApiServer.Serialization;

namespace Korral.ApiServer.Hosting;

/// <summary>The pluggable parts of the API server; <see cref="Default"/> gives the built-in ones.</summary>
public sealed record ApiServerParts
{
    public required IResourceCatalog Catalog { get; init; }

    public required IObjectRules Rules { get; init; }

    public required ITableConverter Tables { get; init; }

    public required IPatcher Patcher { get; init; }

    /// <summary>Tracks metadata.managedFields on every write and performs server-side apply.</summary>
    public required Korral.Api.ManagedFields.FieldManager FieldManager { get; init; }

    public Func<ReadOnlyMemory<byte>, JsonObject>? ProtobufDecoder { get; init; }

    /// <summary>Answers /openapi/v3 paths: (path, hash query parameter, Accept) → document, or null for 404.</summary>
    public required Func<string, string?, string?, DocumentResponse?> OpenApiV3 { get; init; }

    /// <summary>Static bearer tokens and the users they authenticate as.</summary>
    public IReadOnlyDictionary<string, UserInfo> Tokens { get; init; } = new Dictionary<string, UserInfo>();

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Draws the suffix appended to metadata.generateName (five random characters by default). A seam so tests can
    /// force name collisions; it may be called from many requests at once.
    /// </summary>
    public Func<string> GenerateNameSuffix { get; init; } = GeneratedNames.RandomSuffix;

    public WatchSettings Watch { get; init; } = new();

    /// <summary>How the API server reaches kubelets (pods/log; later exec, attach, port-forward).</summary>
    public Kubelets.KubeletClientOptions Kubelets { get; init; } = new();
}
