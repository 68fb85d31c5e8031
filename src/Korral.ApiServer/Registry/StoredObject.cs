using System.Text.Json.Nodes;

namespace Korral.ApiServer.Registry;

/// <summary>An object read from the store for a read-modify-write, with the revision to compare against.</summary>
public sealed record StoredObject(JsonObject Object, long ModRevision);
