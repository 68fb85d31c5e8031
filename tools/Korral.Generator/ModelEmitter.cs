namespace Korral.Generator;

internal static class ModelEmitter
{
    public static void Emit(SortedDictionary<string, Definition> defs, string outRoot, OutputSet output)
    {
    }
}
