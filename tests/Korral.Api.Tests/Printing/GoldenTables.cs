using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace Korral.Api.Tests.Printing;

/// <summary>
/// Loads the golden files under <c>Printing/Golden</c>: per kind, the expected columns and, per case, an object and
/// the cells upstream would print for it at a fixed <c>now</c>. The files are read from the source tree, so adding a
/// case needs no project change.
/// </summary>
internal static class GoldenTables
{
    public static string Directory([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "Golden");

    public static IEnumerable<string> Files() =>
        System.IO.Directory.EnumerateFiles(Directory(), "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    public static JsonObject Load(string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Directory(), file + ".json")), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!.AsObject();
}
