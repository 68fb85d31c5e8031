using Korral.Api.Schema;
using Korral.Api.ManagedFields;
using Korral.Api.Resources;
using Korral.ApiServer.Hosting;
using Korral.ApiServer.OpenApi;

namespace Korral.ApiServer.Adapters;

/// <summary>The built-in parts: generated schema, built-in resources, upstream's rules, tables and patch engines.</summary>
public static class DefaultParts
{
    public static ApiServerParts Create(TimeProvider? time = null)
    {
        var schemas = GeneratedSchemaCatalog.Instance;
        var catalog = SeparateVersionStorage.Apply(BuiltinResources.Instance);
        var openApi = new OpenApiV3Documents(catalog, schemas);
        var fieldManager = new FieldManager(schemas, time ?? TimeProvider.System);
        return new ApiServerParts
        {
            Catalog = catalog,
            Rules = new ObjectRules(schemas),
            Tables = new TableConverter(),
            Patcher = new Patcher(schemas, fieldManager),
            FieldManager = fieldManager,
            ProtobufDecoder = ProtobufBodies.Decode,
            OpenApiV3 = openApi.Resolve,
            Time = time ?? TimeProvider.System,
        };
    }
}
