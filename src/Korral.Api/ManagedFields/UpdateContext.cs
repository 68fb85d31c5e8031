using Korral.Api.Schema;

namespace Korral.Api.ManagedFields;

/// <summary>What recording a non-apply write needs to know besides the objects.</summary>
/// <param name="Kind">The kind served at the request's endpoint (its apiVersion goes into the entry).</param>
public sealed record UpdateContext(GroupVersionKind Kind)
{
    /// <summary>Fields the strategy resets on this endpoint; see <see cref="ApplyContext.ResetFields"/>.</summary>
    public FieldSet? ResetFields { get; init; }

    /// <summary>The request's User-Agent, which names the manager when the request has no fieldManager.</summary>
    public string? UserAgent { get; init; }

    /// <summary>The schemas to read the kind with (CRDs); null for the field manager's catalog.</summary>
    public ISchemaCatalog? Schemas { get; init; }
}
