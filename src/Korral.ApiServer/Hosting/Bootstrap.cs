using System.Net;
using System.Text.Json.Nodes;
using Korral.Api.Resources;
using Korral.ApiServer.Allocation;
using Korral.ApiServer.Errors;
using Korral.ApiServer.Registry;

namespace Korral.ApiServer.Hosting;

/// <summary>
/// What every cluster has from its first second: the system namespaces and the `kubernetes` Service in `default`
/// (first address of the service range, port 443) with Endpoints and an EndpointSlice pointing at this server, and —
/// as k3s ships it — the default <c>local-path</c> StorageClass, provisioned by the controller manager's local-path
/// provisioner. A class the admin deleted comes back at the next start, as with k3s's packaged manifests.
/// </summary>
public static class Bootstrap
{
    public static readonly string[] SystemNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    public static async Task EnsureAsync(ResourceStore store, IResourceCatalog catalog, IpAllocator serviceIps, IPAddress advertise, int port,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var context = WriteContext.System(time.GetUtcNow());
        var namespaces = Find(catalog, "", "namespaces");
        foreach (var ns in SystemNamespaces)
        {
            await CreateIfMissingAsync(store, namespaces, "", new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } }, context, cancellationToken);
        }

        if (catalog.Find("storage.k8s.io", "v1", "storageclasses") is { } storageClasses)
        {
            await CreateIfMissingAsync(store, storageClasses, "", LocalPathStorageClass(), context, cancellationToken);
        }

        var kubernetesIp = serviceIps.AddressAt(1);
        var service = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = "kubernetes",
                ["labels"] = new JsonObject { ["component"] = "apiserver", ["provider"] = "kubernetes" },
            },
            ["spec"] = new JsonObject
            {
                ["clusterIP"] = kubernetesIp,
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = 443, ["protocol"] = "TCP", ["targetPort"] = port }),
                ["sessionAffinity"] = "None",
                ["type"] = "ClusterIP",
            },
        };
        await CreateIfMissingAsync(store, Find(catalog, "", "services"), "default", service, context, cancellationToken);

        if (IPAddress.IsLoopback(advertise))
        {
            // A machine without a non-loopback address: the `kubernetes` Service stays without endpoints.
            return;
        }

        var address = advertise.ToString();
        var endpoints = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "kubernetes", ["labels"] = new JsonObject { ["endpointslice.kubernetes.io/skip-mirror"] = "true" } },
            ["subsets"] = new JsonArray(new JsonObject
            {
                ["addresses"] = new JsonArray(new JsonObject { ["ip"] = address }),
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = port, ["protocol"] = "TCP" }),
            }),
        };
        await CreateIfMissingAsync(store, Find(catalog, "", "endpoints"), "default", endpoints, context, cancellationToken);

        if (catalog.Find("discovery.k8s.io", "v1", "endpointslices") is { } slices)
        {
            var slice = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = "kubernetes",
                    ["labels"] = new JsonObject { ["kubernetes.io/service-name"] = "kubernetes" },
                },
                ["addressType"] = "IPv4",
                ["endpoints"] = new JsonArray(new JsonObject
                {
                    ["addresses"] = new JsonArray(address),
                    ["conditions"] = new JsonObject { ["ready"] = true },
                }),
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = port, ["protocol"] = "TCP" }),
            };
            await CreateIfMissingAsync(store, slices, "default", slice, context, cancellationToken);
        }
    }

    /// <summary>The name of the default StorageClass every cluster starts with.</summary>
    public const string LocalPathStorageClassName = "local-path";

    /// <summary>k3s's local-storage class: node-local directories, created once a pod using the claim is scheduled.</summary>
    public static JsonObject LocalPathStorageClass() => new()
    {
        ["apiVersion"] = "storage.k8s.io/v1",
        ["kind"] = "StorageClass",
        ["metadata"] = new JsonObject
        {
            ["name"] = LocalPathStorageClassName,
            ["annotations"] = new JsonObject { ["storageclass.kubernetes.io/is-default-class"] = "true" },
        },
        ["provisioner"] = "rancher.io/local-path",
        ["reclaimPolicy"] = "Delete",
        ["volumeBindingMode"] = "WaitForFirstConsumer",
    };

    private static ResourceInfo Find(IResourceCatalog catalog, string group, string plural) =>
        catalog.Find(group, "v1", plural) ?? throw new InvalidOperationException($"{plural} are not served");

    private static async Task CreateIfMissingAsync(ResourceStore store, ResourceInfo resource, string ns, JsonObject obj, WriteContext context,
        CancellationToken cancellationToken)
    {
        var name = Meta.Name(obj);
        if (await store.ReadAsync(resource, ns, name, cancellationToken) is not null)
        {
            return;
        }

        try
        {
            await store.CreateAsync(resource, ns, obj, context, FieldValidation.Ignore, [], cancellationToken);
        }
        catch (ApiException e) when (e.Reason == "AlreadyExists")
        {
            // Another server created it first.
        }
    }
}
