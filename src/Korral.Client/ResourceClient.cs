using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Korral.Api.Models;
using Korral.Api.Models.MetaV1;
using Korral.Api.Resources;

namespace Korral.Client;

/// <summary>
/// Typed access to one resource (pods, deployments.apps…): get, list, create, update, patch, delete, watch, and the
/// status/scale/binding subresources. <paramref name="ns"/> parameters are ignored for cluster-scoped resources; null
/// on a namespaced resource means all namespaces (list, watch) and is an error for single-object calls.
/// Get one from <see cref="KubeClient.Resource{T}()"/>.
/// </summary>
public sealed partial class ResourceClient<T>
    where T : class
{
    private const string Json = "application/json";

    internal ResourceClient(KubeClient client, ResourceInfo resource)
    {
        Client = client;
        Resource = resource;
        _prefix = resource.Group.Length == 0 ? $"/api/{resource.Version}" : $"/apis/{resource.Group}/{resource.Version}";
    }

    private readonly string _prefix;

    public KubeClient Client { get; }

    public ResourceInfo Resource { get; }

    /// <summary>The URL path of the collection, an object or a subresource, e.g. /api/v1/namespaces/a/pods/p/status.</summary>
    public string PathOf(string? ns, string? name = null, string? subresource = null)
    {
        var path = new StringBuilder(_prefix);
        if (Resource.Namespaced && !string.IsNullOrEmpty(ns))
        {
            path.Append("/namespaces/").Append(Uri.EscapeDataString(ns));
        }

        path.Append('/').Append(Resource.Plural);
        if (name is not null)
        {
            if (name.Length == 0)
            {
                throw new ArgumentException($"a {Resource.Kind} name must not be empty", nameof(name));
            }

            path.Append('/').Append(Uri.EscapeDataString(name));
            if (subresource is not null)
            {
                path.Append('/').Append(subresource);
            }
        }

        return path.ToString();
    }

    public async Task<T> GetAsync(string? ns, string name, CancellationToken cancellationToken)
    {
        using var response = await Client.SendAsync(HttpMethod.Get, PathOf(CheckNs(ns), name), null, null, idempotent: true, cancellationToken);
        return await KubeClient.ReadAsync<T>(response, cancellationToken);
    }

    /// <summary>The object, or null when it does not exist.</summary>
    public async Task<T?> TryGetAsync(string? ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await GetAsync(ns, name, cancellationToken);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>One LIST request (one page when <see cref="ListOptions.Limit"/> is set).</summary>
    public async Task<KubeList<T>> ListAsync(string? ns, ListOptions? options, CancellationToken cancellationToken)
    {
        var query = new QueryBuilder();
        options?.AppendTo(query);
        using var response = await Client.SendAsync(HttpMethod.Get, PathOf(ns) + query, null, null, idempotent: true, cancellationToken);
        return await KubeClient.ReadAsync<KubeList<T>>(response, cancellationToken);
    }

    /// <summary>
    /// Every matching object, fetched in pages of <paramref name="pageSize"/> (limit/continue) and returned as one list with
    /// the snapshot's resourceVersion. When a continue token expires (410) mid-way, the list starts over without paging,
    /// as upstream's pager does.
    /// </summary>
    public async Task<KubeList<T>> ListAllAsync(string? ns, ListOptions? options, int pageSize, CancellationToken cancellationToken)
    {
        options ??= ListOptions.Everything;
        var all = new KubeList<T>();
        var page = options with { Limit = pageSize > 0 ? pageSize : null, Continue = null };
        while (true)
        {
            KubeList<T> result;
            try
            {
                result = await ListAsync(ns, page, cancellationToken);
            }
            catch (KubeApiException e) when (e.IsGone && page.Continue is not null)
            {
                return await ListAsync(ns, options with { Limit = null, Continue = null }, cancellationToken);
            }

            all.Items.AddRange(result.Items);
            all.ApiVersion = result.ApiVersion;
            all.Kind = result.Kind;
            all.Metadata = result.Metadata;
            if (result.Continue is not { } next)
            {
                all.Metadata ??= new ListMeta();
                all.Metadata.Continue = null;
                return all;
            }

            page = page with { Continue = next };
        }
    }

    /// <summary>Creates the object in its metadata.namespace; returns what the server stored.</summary>
    public async Task<T> CreateAsync(T obj, WriteOptions? options, CancellationToken cancellationToken)
    {
        var meta = KubeModel<T>.Metadata(obj);
        var query = new QueryBuilder();
        WriteOptions.AppendTo(options, query);
        using var response = await Client.SendAsync(HttpMethod.Post, PathOf(CheckNs(meta?.Namespace)) + query,
            KubeJson.SerializeToUtf8Bytes(obj), Json, idempotent: false, cancellationToken);
        return await KubeClient.ReadAsync<T>(response, cancellationToken);
    }

    public Task<T> CreateAsync(T obj, CancellationToken cancellationToken) => CreateAsync(obj, null, cancellationToken);

    /// <summary>
    /// Replaces the object (PUT). With metadata.resourceVersion set, the write fails with Conflict when the object changed
    /// since it was read (<see cref="KubeApiException.IsConflict"/>): read again and retry.
    /// </summary>
    public Task<T> UpdateAsync(T obj, WriteOptions? options, CancellationToken cancellationToken) => PutAsync(obj, null, options, cancellationToken);

    public Task<T> UpdateAsync(T obj, CancellationToken cancellationToken) => PutAsync(obj, null, null, cancellationToken);

    /// <summary>Replaces the status (PUT …/status): the server keeps the spec and takes only the status.</summary>
    public Task<T> UpdateStatusAsync(T obj, WriteOptions? options, CancellationToken cancellationToken) => PutAsync(obj, "status", options, cancellationToken);

    public Task<T> UpdateStatusAsync(T obj, CancellationToken cancellationToken) => PutAsync(obj, "status", null, cancellationToken);

    /// <summary>Patches the object, or a subresource ("status"), with a patch document of <paramref name="type"/>.</summary>
    public async Task<T> PatchAsync(string? ns, string name, PatchType type, string patch, WriteOptions? options, CancellationToken cancellationToken,
        string? subresource = null)
    {
        var query = new QueryBuilder();
        WriteOptions.AppendTo(options, query);
        // A patch is replayed only by an explicit retry of the caller: JSON patches (add to a list) are not idempotent.
        using var response = await Client.SendAsync(HttpMethod.Patch, PathOf(CheckNs(ns), name, subresource) + query,
            Encoding.UTF8.GetBytes(patch), type.ContentType(), idempotent: false, cancellationToken);
        return await KubeClient.ReadAsync<T>(response, cancellationToken);
    }

    public Task<T> PatchAsync(string? ns, string name, PatchType type, string patch, CancellationToken cancellationToken) =>
        PatchAsync(ns, name, type, patch, null, cancellationToken);

    public Task<T> PatchStatusAsync(string? ns, string name, PatchType type, string patch, CancellationToken cancellationToken) =>
        PatchAsync(ns, name, type, patch, null, cancellationToken, "status");

    /// <summary>
    /// Deletes the object. Returns it when the server answers with the object (deletion pending: graceful deletion or
    /// finalizers) and null when it answers with a Status (gone).
    /// </summary>
    public async Task<T?> DeleteAsync(string? ns, string name, DeleteOptions? options, CancellationToken cancellationToken)
    {
        var body = options is null ? null : KubeJson.SerializeToUtf8Bytes(options);
        using var response = await Client.SendAsync(HttpMethod.Delete, PathOf(CheckNs(ns), name), body, Json, idempotent: true, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return KindOf(bytes) == Resource.Kind ? KubeJson.Deserialize<T>(bytes) : null;
    }

    public Task<T?> DeleteAsync(string? ns, string name, CancellationToken cancellationToken) => DeleteAsync(ns, name, null, cancellationToken);

    /// <summary>Deletes every matching object of a namespace (or of the cluster, for cluster-scoped resources).</summary>
    public async Task DeleteCollectionAsync(string? ns, ListOptions? listOptions, DeleteOptions? options, CancellationToken cancellationToken)
    {
        var query = new QueryBuilder();
        listOptions?.AppendTo(query);
        var body = options is null ? null : KubeJson.SerializeToUtf8Bytes(options);
        using var response = await Client.SendAsync(HttpMethod.Delete, PathOf(ns) + query, body, Json, idempotent: true, cancellationToken);
    }

    /// <summary>
    /// A watch stream: events until the server ends it (timeoutSeconds, its own limit, a restart) or the token is
    /// cancelled. An ERROR event throws <see cref="KubeApiException"/> (410 Expired: list again and watch from the list).
    /// Consider <see cref="Informers.SharedInformer{T}"/>, which does the resuming and relisting.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync(string? ns, WatchOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = new QueryBuilder();
        (options ?? new WatchOptions()).AppendTo(query);
        using var response = await Client.SendAsync(HttpMethod.Get, PathOf(ns) + query, null, null, idempotent: true, cancellationToken, streaming: true);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var e in WatchStreamReader.ReadAsync<T>(stream, cancellationToken))
        {
            yield return e;
        }
    }

    private async Task<T> PutAsync(T obj, string? subresource, WriteOptions? options, CancellationToken cancellationToken)
    {
        var meta = KubeModel<T>.Metadata(obj);
        var name = meta?.Name ?? throw new ArgumentException($"the {Resource.Kind} to update has no metadata.name", nameof(obj));
        var query = new QueryBuilder();
        WriteOptions.AppendTo(options, query);
        using var response = await Client.SendAsync(HttpMethod.Put, PathOf(CheckNs(meta.Namespace), name, subresource) + query,
            KubeJson.SerializeToUtf8Bytes(obj), Json, idempotent: true, cancellationToken);
        return await KubeClient.ReadAsync<T>(response, cancellationToken);
    }

    private string? CheckNs(string? ns)
    {
        if (Resource.Namespaced && string.IsNullOrEmpty(ns))
        {
            throw new ArgumentException($"{Resource.QualifiedName} are namespaced: name the namespace", nameof(ns));
        }

        return ns;
    }

    private static string? KindOf(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isKind = reader.ValueTextEquals("kind"u8);
            reader.Read();
            if (isKind)
            {
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }

            reader.Skip();
        }

        return null;
    }
}
