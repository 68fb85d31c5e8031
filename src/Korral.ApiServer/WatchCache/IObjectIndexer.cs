using System.Text.Json.Nodes;
using Korral.Api.Resources;

namespace Korral.ApiServer.WatchCache;

/// <summary>Extracts, once per change, the field-selector values of an object of a given resource.</summary>
public interface IObjectIndexer
{
    IReadOnlyDictionary<string, string> ExtractFields(ResourceInfo resource, JsonObject obj);
}
