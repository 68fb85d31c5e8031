using System.Text.Json.Nodes;
using Korral.Api.Resources;

namespace Korral.ApiServer.Serialization;

/// <summary>Turns objects into the rows of a meta.k8s.io Table, with the columns upstream prints for each kind.</summary>
public interface ITableConverter
{
    JsonArray ColumnDefinitions(ResourceInfo resource);

    JsonArray Cells(ResourceInfo resource, JsonObject obj, DateTimeOffset now);

    /// <summary>Row conditions such as a finished pod's "Completed" (kubectl hides such rows unless asked), or null.</summary>
    JsonArray? Conditions(ResourceInfo resource, JsonObject obj);
}
