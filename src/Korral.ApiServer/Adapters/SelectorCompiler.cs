using System.Text.Json.Nodes;
using Korral.Api.Resources;
using Korral.Api.Selectors;
using Korral.ApiServer.Errors;
using Korral.ApiServer.Serialization;
using Korral.ApiServer.WatchCache;

namespace Korral.ApiServer.Adapters;

/// <summary>
/// Label and field selectors over cached objects, using Korral.Api's parsers and per-kind selectable fields. The
/// field values are extracted once per change (<see cref="ExtractFields"/>), so a watch filter never parses JSON.
/// </summary>
public sealed class SelectorCompiler : ISelectorCompiler, IObjectIndexer
{
    public Func<CachedObject, bool>? Compile(ResourceInfo resource, string? labelSelector, string? fieldSelector)
    {
        LabelSelector? labels = null;
        if (!string.IsNullOrWhiteSpace(labelSelector))
        {
            if (!LabelSelector.TryParse(labelSelector, out var parsed, out var error))
            {
                throw ApiErrors.BadRequest(error ?? $"unable to parse requirement: {labelSelector}");
            }

            labels = parsed.Empty ? null : parsed;
        }

        FieldSelector? fields = null;
        if (!string.IsNullOrWhiteSpace(fieldSelector))
        {
            if (!FieldSelector.TryParse(fieldSelector, out var parsed, out var error))
            {
                throw ApiErrors.BadRequest(error ?? $"invalid field selector: {fieldSelector}");
            }

            if (!FieldSelectorFields.TryConvert(resource.Group, resource.Kind, parsed, out var converted, out error))
            {
                throw ApiErrors.BadRequest(error ?? $"field label not supported: {fieldSelector}");
            }

            fields = converted.Empty ? null : converted;
        }

        if (labels is null && fields is null)
        {
            return null;
        }

        return o => (labels is null || labels.Matches(o.Labels)) && (fields is null || fields.Matches(o.Fields));
    }

    public string SelectorString(JsonObject? selector) =>
        selector is null ? "" : LabelSelector.TryFromLabelSelector(selector, out var s, out _) ? s.ToString() : "";

    public IReadOnlyDictionary<string, string> ExtractFields(ResourceInfo resource, JsonObject obj)
    {
        var set = FieldSelectorFields.For(resource.Group, resource.Kind);
        var values = new Dictionary<string, string>(set.Fields.Count, StringComparer.Ordinal);
        foreach (var field in set.Fields)
        {
            if (set.GetValue(obj, field) is { } value)
            {
                values[field] = value;
            }
        }

        return values;
    }
}
