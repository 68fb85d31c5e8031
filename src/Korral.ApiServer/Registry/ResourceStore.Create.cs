using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Korral.Api.Resources;
using Korral.ApiServer.Errors;
using Korral.Storage.Contract;

namespace Korral.ApiServer.Registry;

public sealed partial class ResourceStore
{
    private const string NameSuffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";

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

        if (Meta.Str(meta, "name").Length == 0 && Meta.Str(meta, "generateName") is { Length: > 0 } generateName)
        {
            meta["name"] = generateName + RandomSuffix();
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
        try
        {
            var bytes = Serialize(obj);
            if (context.DryRun)
            {
                strategy.Release(obj, null);
                if (await ReadAsync(resource, ns, name, cancellationToken) is not null)
                {
                    throw ApiErrors.AlreadyExists(resource, name);
                }

                return obj;
            }

            var key = KeyFor(resource, ns, name);
            var result = await WriteWithLeaseAsync(strategy.TimeToLive, lease => Txn.Create(key, bytes, lease), cancellationToken);
            if (!result.Succeeded)
            {
                strategy.Release(obj, null);
                throw ApiErrors.AlreadyExists(resource, name);
            }

            Meta.SetResourceVersion(obj, result.Revision);
            return obj;
        }
        catch (Exception ex) when (ex is not ApiException)
        {
            strategy.Release(obj, null);
            throw;
        }
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

    private static string RandomSuffix()
    {
        // Five characters from upstream's alphabet without vowels, so generated names never spell words.
        Span<char> chars = stackalloc char[5];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = NameSuffixAlphabet[RandomNumberGenerator.GetInt32(NameSuffixAlphabet.Length)];
        }

        return new string(chars);
    }
}
