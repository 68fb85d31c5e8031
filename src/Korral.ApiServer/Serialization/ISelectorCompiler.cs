using Korral.Api.Resources;
using Korral.ApiServer.WatchCache;

namespace Korral.ApiServer.Serialization;

/// <summary>Compiles labelSelector and fieldSelector query parameters into a predicate; bad selectors are a 400.</summary>
public interface ISelectorCompiler
{
    Func<CachedObject, bool>? Compile(ResourceInfo resource, string? labelSelector, string? fieldSelector);

    /// <summary>The query-string form of a metav1.LabelSelector ("app=web"), as Scale status.selector shows it.</summary>
    string SelectorString(System.Text.Json.Nodes.JsonObject? selector);
}
