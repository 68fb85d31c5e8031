using Korral.Api.Schema;

namespace Korral.Api.ManagedFields;

/// <summary>What a server-side apply needs to know besides the objects.</summary>
/// <param name="Kind">The kind served at the request's endpoint; the applied object must have this apiVersion and kind.</param>
public sealed record ApplyContext(GroupVersionKind Kind)
{
    /// <summary>"status", "scale" or null for the main resource; it becomes part of the applier's entry.</summary>
    public string? Subresource { get; init; }

    /// <summary>
    /// Fields the strategy resets on this endpoint and that nobody may own through it: <c>status</c> on the main
    /// resource of kinds with a status subresource, <c>spec</c> (and more) on the status subresource.
    /// See <see cref="ResetFields"/>.
    /// </summary>
    public FieldSet? ResetFields { get; init; }

    /// <summary>The schemas to read the kind with (CRDs); null for the field manager's catalog.</summary>
    public ISchemaCatalog? Schemas { get; init; }
}
