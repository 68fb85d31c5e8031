using System.Text.Json.Nodes;
using Korral.Api.Resources;
using Korral.ApiServer.Errors;
using Korral.Storage.Contract;

namespace Korral.ApiServer.Registry;

public sealed partial class ResourceStore
{
    /// <summary>Creates an object: prepare, default, validate, allocate, then a create-if-missing transaction.</summary>
    public async Task<JsonObject> CreateAsync(ResourceInfo resource, string ns, JsonObject obj, WriteContext context,
        FieldValidation fieldValidation, List<string> warnings, CancellationToken cancellationToken)
    {
        var strategy = _strategies.For(resource);
        CheckUnknownFields(resource, obj, fieldValidation, warnings);
        var meta = Meta.Of(obj);
        obj["apiVersion"] = resource.GroupVersion;
        obj["kind"] = resource.Kind;
        if (resource.Namespaced)
        {
            meta["namespace"] = ns;
        }
        else
        {
            meta.Remove("namespace");
        }

        // Null when the client named the object itself: only a name the server made up is worth another draw.
        string? generateName = null;
        if (Meta.Str(meta, "name").Length == 0 && Meta.Str(meta, "generateName") is { Length: > 0 } prefix)
        {
            generateName = prefix;
            meta["name"] = prefix + _nameSuffix();
        }

        var name = Meta.Str(meta, "name");
        if (name.Length == 0)
        {
            throw ApiErrors.Invalid(resource, "", "metadata.name: Required value: name or generateName is required",
                [new StatusCause("FieldValueRequired", "Required value: name or generateName is required", "metadata.name")]);
        }

        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = Meta.Timestamp(context.Now);
        foreach (var field in new[] { "resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink" })
        {
            meta.Remove(field);
        }

        if (strategy.TracksGeneration)
        {
            meta["generation"] = 1;
        }
        else
        {
            meta.Remove("generation");
        }

        _rules.Default(resource, obj);
        _rules.PrepareForCreate(resource, obj);
        strategy.PrepareForCreate(obj, context);
        RecordManagedFields(resource, null, obj, "", context);
        EnsureValid(resource, obj, null);
        await EnsureNamespaceAcceptsAsync(resource, ns, name, cancellationToken);

        await strategy.AllocateAsync(obj, null, context, cancellationToken);
        var stored = false;
        try
        {
            // Upstream (RetryGenerateName) draws a fresh suffix up to 8 times in all when a generated name is taken, dry
            // run included; nothing else about the object depends on its name, so only the name changes between tries.
            for (var attempt = 1; ; attempt++)
            {
                var bytes = Serialize(obj);
                if (await TryCreateAsync(resource, ns, name, obj, bytes, strategy.TimeToLive, context.DryRun, cancellationToken))
                {
                    stored = !context.DryRun;
                    return obj;
                }

                if (generateName is null)
                {
                    throw ApiErrors.AlreadyExists(resource, name);
                }

                if (attempt == GeneratedNames.MaxCreateAttempts)
                {
                    throw ApiErrors.GenerateNameConflict(resource, name);
                }

                name = generateName + _nameSuffix();
                meta["name"] = name;
            }
        }
        finally
        {
            // A dry run keeps nothing it allocated; a real create keeps it only once the object is stored.
            if (!stored)
            {
                strategy.Release(obj, null);
            }
        }
    }

    /// <summary>
    /// One create-if-missing of <paramref name="name"/>: false when the name is taken. A dry run only looks whether it is.
    /// </summary>
    private async Task<bool> TryCreateAsync(ResourceInfo resource, string ns, string name, JsonObject obj, byte[] bytes, TimeSpan? ttl,
        bool dryRun, CancellationToken cancellationToken)
    {
        if (dryRun)
        {
            return await ReadAsync(resource, ns, name, cancellationToken) is null;
        }

        var key = KeyFor(resource, ns, name);
        var result = await WriteWithLeaseAsync(ttl, lease => Txn.Create(key, bytes, lease), cancellationToken);
        if (!result.Succeeded)
        {
            return false;
        }

        Meta.SetResourceVersion(obj, result.Revision);
        return true;
    }

    private void CheckUnknownFields(ResourceInfo resource, JsonObject obj, FieldValidation fieldValidation, List<string> warnings)
    {
        var typeErrors = _rules.TypeErrors(resource, obj);
        if (typeErrors.Count > 0)
        {
            throw ApiErrors.BadRequest($"{resource.Kind} in version \"{resource.Version}\" cannot be handled as a {resource.Kind}: {typeErrors[0]}");
        }

        var unknown = _rules.PruneUnknownFields(resource, obj);
        if (unknown.Count == 0 || fieldValidation == FieldValidation.Ignore)
        {
            return;
        }

        if (fieldValidation == FieldValidation.Strict)
        {
            var fields = string.Join(", ", unknown.Select(u => $"unknown field \"{u}\""));
            throw ApiErrors.BadRequest($"{resource.Kind} in version \"{resource.Version}\" cannot be handled as a {resource.Kind}: strict decoding error: {fields}");
        }

        warnings.AddRange(unknown.Select(u => $"unknown field \"{u}\""));
    }
}
