using System.Text.Json;
using System.Text.Json.Nodes;

namespace Korral.Api.Selectors;

/// <summary>Read access to a label set without copying it; implemented by structs so matching does not allocate.</summary>
internal interface ILabelLookup
{
    bool TryGet(string key, out string value);
}

internal readonly struct DictionaryLabels(IReadOnlyDictionary<string, string>? labels) : ILabelLookup
{
    public bool TryGet(string key, out string value)
    {
        if (labels is not null && labels.TryGetValue(key, out var v))
        {
            value = v;
            return true;
        }

        value = "";
        return false;
    }
}

internal readonly struct JsonLabels(JsonObject? labels) : ILabelLookup
{
    public bool TryGet(string key, out string value)
    {
        if (labels is not null && labels.TryGetPropertyValue(key, out var node))
        {
            value = node switch
            {
                null => "",
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                _ => node.ToJsonString(),
            };
            return true;
        }

        value = "";
        return false;
    }
}
