using Korral.Generator;

// Korral.Generator: turns the Kubernetes OpenAPI documents and generated.proto files into Korral.Api's generated code.
// Usage (from the repository root): dotnet run --project tools/Korral.Generator -- [--schema DIR] [--proto DIR] [--out DIR]
var schema = "../shared/kubernetes-api";
var proto = "../shared/reference/k8s-proto";
var outDir = "src/Korral.Api";
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--schema": schema = Next(); break;
        case "--proto": proto = Next(); break;
        case "--out": outDir = Next(); break;
        case "-h" or "--help":
            Console.WriteLine("usage: Korral.Generator [--schema ../shared/kubernetes-api] [--proto ../shared/reference/k8s-proto] [--out src/Korral.Api]");
            return 0;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}");
            return 2;
    }
}

if (!File.Exists(Path.Combine(schema, "swagger.json")))
{
    Console.Error.WriteLine($"no swagger.json in {Path.GetFullPath(schema)} (run from the repository root or pass --schema)");
    return 2;
}

var defs = OpenApi.Load(schema);
var output = new OutputSet();
SchemaCatalogEmitter.Emit(defs, outDir, output);
ModelEmitter.Emit(defs, outDir, output);
if (Directory.Exists(proto))
{
    ProtoCatalogEmitter.Emit(ProtoParser.ParseDirectory(proto), defs, outDir, output);
}
else
{
    Console.Error.WriteLine($"warning: no proto directory {Path.GetFullPath(proto)}; ProtoCatalog not regenerated");
}

var generated = Path.Combine(outDir, "Generated");
List<string> owned = [Path.Combine(generated, "Schema"), Path.Combine(generated, "Models")];
if (Directory.Exists(proto))
{
    owned.Add(Path.Combine(generated, "Protobuf"));
}

var (written, unchanged, deleted) = output.Flush(owned);
Console.WriteLine($"{defs.Count} definitions; files written {written}, unchanged {unchanged}, deleted {deleted}");
return 0;
