using System.Text.Json.Nodes;

namespace Korral.Api.Selectors;

/// <summary>
/// The fields one kind can be filtered on with a field selector, how a requested field name maps to the stored one
/// (<c>spec.host</c> → <c>spec.nodeName</c>, <c>regarding.kind</c> → <c>involvedObject.kind</c>) and how each value is
/// read from the object's JSON. Get one from <see cref="FieldSelectorFields.For"/>; immutable and thread-safe.
/// </summary>
public sealed class SelectableFieldSet
{
    private readonly Dictionary<string, string> accepted;
    private readonly Dictionary<string, Func<JsonObject, string>> extractors;
    private readonly Func<string, string> rejection;

    /// <summary>
    /// Defines a field set. <paramref name="accepted"/> maps each name a client may send to the field it selects
    /// (usually itself); <paramref name="extractors"/> reads every selected field (missing values as "");
    /// <paramref name="rejection"/> words the 400 message for an unknown name.
    /// </summary>
    public SelectableFieldSet(
        string group,
        string kind,
        IReadOnlyDictionary<string, string> accepted,
        IReadOnlyDictionary<string, Func<JsonObject, string>> extractors,
        Func<string, string> rejection)
    {
        Group = group;
        Kind = kind;
        this.accepted = new Dictionary<string, string>(accepted, StringComparer.Ordinal);
        this.extractors = new Dictionary<string, Func<JsonObject, string>>(extractors, StringComparer.Ordinal);
        this.rejection = rejection;
        Fields = [.. this.accepted.Keys.Order(StringComparer.Ordinal)];
        foreach (var target in this.accepted.Values)
        {
            if (!this.extractors.ContainsKey(target))
            {
                throw new ArgumentException($"No extractor for selectable field {target} of {kind}.", nameof(extractors));
            }
        }
    }

    public string Group { get; }

    public string Kind { get; }

    /// <summary>Every field name a client may use, sorted.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>
    /// Checks every term's field and renames it to the stored field, as upstream's field label conversion does before
    /// a list or watch. On failure <paramref name="error"/> is the 400 message, e.g. <c>field label not supported: spec.foo</c>.
    /// </summary>
    public bool TryConvert(FieldSelector selector, out FieldSelector converted, out string? error)
    {
        converted = selector;
        error = null;
        if (selector.Empty)
        {
            return true;
        }

        var changed = false;
        var terms = new FieldRequirement[selector.Requirements.Count];
        for (var i = 0; i < terms.Length; i++)
        {
            var term = selector.Requirements[i];
            if (!accepted.TryGetValue(term.Field, out var target))
            {
                error = rejection(term.Field);
                return false;
            }

            changed |= !ReferenceEquals(target, term.Field) && target != term.Field;
            terms[i] = term with { Field = target };
        }

        if (changed)
        {
            converted = FieldSelector.FromRequirements(terms);
        }

        return true;
    }

    /// <summary>The value of a stored field name (after <see cref="TryConvert"/>), or null if the kind has no such field.</summary>
    public string? GetValue(JsonObject obj, string field) =>
        extractors.TryGetValue(field, out var extract) ? extract(obj) : null;

    /// <summary>Whether the object satisfies a selector already passed through <see cref="TryConvert"/>.</summary>
    public bool Matches(FieldSelector converted, JsonObject obj)
    {
        foreach (var term in converted.Requirements)
        {
            var value = extractors.TryGetValue(term.Field, out var extract) ? extract(obj) : "";
            if (!term.Matches(value))
            {
                return false;
            }
        }

        return true;
    }
}
