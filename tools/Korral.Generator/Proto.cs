namespace Korral.Generator;

internal sealed record ProtoFile;

internal static class ProtoParser
{
    public static List<ProtoFile> ParseDirectory(string dir) => [];
}

internal static class ProtoCatalogEmitter
{
    public static void Emit(List<ProtoFile> files, SortedDictionary<string, Definition> defs, string outRoot, OutputSet output)
    {
    }
}
