using System.Text.Json.Nodes;
using Korral.Api.Validation.Quantities;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Core;

public static partial class PodSpecRules
{
    private const string FileModeMessage = "must be a number between 0 and 0777 (octal), both inclusive";

    // Volume sources in upstream's check order: (JSON key, path used for "more than 1 volume type", path used for its own checks).
    private static readonly (string Key, string ForbiddenPath, string CheckPath)[] VolumeSources =
    [
        ("emptyDir", "emptyDir", "emptyDir"), ("hostPath", "hostPath", "hostPath"), ("gitRepo", "gitRepo", "gitRepo"),
        ("gcePersistentDisk", "gcePersistentDisk", "persistentDisk"), ("awsElasticBlockStore", "awsElasticBlockStore", "awsElasticBlockStore"),
        ("secret", "secret", "secret"), ("nfs", "nfs", "nfs"), ("iscsi", "iscsi", "iscsi"), ("glusterfs", "glusterfs", "glusterfs"),
        ("flocker", "flocker", "flocker"), ("persistentVolumeClaim", "persistentVolumeClaim", "persistentVolumeClaim"),
        ("rbd", "rbd", "rbd"), ("cinder", "cinder", "cinder"), ("cephfs", "cephFS", "cephfs"), ("quobyte", "quobyte", "quobyte"),
        ("downwardAPI", "downwarAPI", "downwardAPI"), ("fc", "fc", "fc"), ("flexVolume", "flexVolume", "flexVolume"),
        ("configMap", "configMap", "configMap"), ("azureFile", "azureFile", "azureFile"), ("vsphereVolume", "vsphereVolume", "vsphereVolume"),
        ("photonPersistentDisk", "photonPersistentDisk", "photonPersistentDisk"), ("portworxVolume", "portworxVolume", "portworxVolume"),
        ("azureDisk", "azureDisk", "azureDisk"), ("storageos", "storageos", "storageos"), ("projected", "projected", "projected"),
        ("scaleIO", "scaleIO", "scaleIO"), ("csi", "csi", "csi"), ("ephemeral", "ephemeral", "ephemeral"), ("image", "image", "image"),
    ];

    // Required string fields of the sources without further rules.
    private static readonly Dictionary<string, string[]> RequiredSourceFields = new(StringComparer.Ordinal)
    {
        ["gitRepo"] = ["repository"],
        ["gcePersistentDisk"] = ["pdName"],
        ["awsElasticBlockStore"] = ["volumeID"],
        ["iscsi"] = ["targetPortal", "iqn"],
        ["glusterfs"] = ["endpoints", "path"],
        ["cinder"] = ["volumeID"],
        ["flexVolume"] = ["driver"],
        ["azureFile"] = ["secretName", "shareName"],
        ["azureDisk"] = ["diskName", "diskURI"],
        ["vsphereVolume"] = ["volumePath"],
        ["photonPersistentDisk"] = ["pdID"],
        ["portworxVolume"] = ["volumeID"],
        ["scaleIO"] = ["gateway", "system", "volumeName"],
        ["storageos"] = ["volumeName"],
    };

    private static readonly string[] HostPathTypes = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"];

    private static readonly string[] VolumeDownwardFieldPaths = ["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"];

    /// <summary>Validates <c>spec.volumes</c>; returns the valid volumes by name for the mount checks.</summary>
    private static Dictionary<string, JsonObject> ValidateVolumes(JsonArray? volumes, JsonObject? podMeta, FieldPath path, FieldErrorList errs)
    {
        var valid = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var podName = JsonAccess.Str(podMeta, "name");
        var createdClaims = new HashSet<string>(StringComparer.Ordinal);
        if (podName.Length > 0)
        {
            foreach (var v in volumes ?? [])
            {
                if (JsonAccess.Has(v, "ephemeral"))
                {
                    createdClaims.Add(podName + "-" + JsonAccess.Str(v, "name"));
                }
            }
        }

        for (var i = 0; i < (volumes?.Count ?? 0); i++)
        {
            var volume = volumes![i] as JsonObject ?? [];
            var vPath = path.Index(i);
            var name = JsonAccess.Str(volume, "name");
            var el = ValidateVolumeSource(volume, vPath, name, podName);
            if (name.Length == 0)
            {
                el.Add(FieldError.Required(vPath.Child("name")));
            }
            else
            {
                el.AddRange(Dns1123Label(name, vPath.Child("name")));
            }

            if (names.Contains(name))
            {
                el.Add(FieldError.Duplicate(vPath.Child("name"), name));
            }

            if (el.IsEmpty)
            {
                names.Add(name);
                valid[name] = volume;
            }
            else
            {
                errs.AddRange(el);
            }

            var claimName = JsonAccess.Str(JsonAccess.Obj(volume, "persistentVolumeClaim"), "claimName");
            if (claimName.Length > 0 && createdClaims.Contains(claimName))
            {
                errs.Add(FieldError.Invalid(vPath.Child("persistentVolumeClaim").Child("claimName"), claimName,
                    "must not reference a PVC that gets created for an ephemeral volume"));
            }
        }

        return valid;
    }

    private static FieldErrorList ValidateVolumeSource(JsonObject volume, FieldPath path, string volumeName, string podName)
    {
        var errs = new FieldErrorList();
        var count = 0;
        foreach (var (key, forbiddenPath, checkPath) in VolumeSources)
        {
            if (JsonAccess.Obj(volume, key) is not { } source)
            {
                continue;
            }

            if (count > 0)
            {
                errs.Add(FieldError.Forbidden(path.Child(forbiddenPath), "may not specify more than 1 volume type"));
                continue;
            }

            count++;
            errs.AddRange(ValidateOneSource(key, source, path.Child(checkPath), path, volumeName, podName));
        }

        if (count == 0)
        {
            errs.Add(FieldError.Required(path, "must specify a volume type"));
        }

        return errs;
    }

    private static FieldErrorList ValidateOneSource(string key, JsonObject source, FieldPath path, FieldPath volumePath, string volumeName, string podName)
    {
        var errs = new FieldErrorList();
        switch (key)
        {
            case "emptyDir":
                if (source["sizeLimit"] is { } sizeLimit && ResourceQuantity.TryParse(sizeLimit, out var limit, out _) && limit.Sign < 0)
                {
                    errs.Add(FieldError.Forbidden(path.Child("sizeLimit"), "SizeLimit field must be a valid resource quantity"));
                }

                break;
            case "hostPath":
                var hostPath = JsonAccess.Str(source, "path");
                if (hostPath.Length == 0)
                {
                    errs.Add(FieldError.Required(path.Child("path")));
                    break;
                }

                errs.AddRange(ValidatePathNoBacksteps(hostPath, path.Child("path")));
                if (JsonAccess.String(source, "type") is { } hostPathType && !HostPathTypes.Contains(hostPathType))
                {
                    errs.Add(FieldError.NotSupported(path.Child("type"), hostPathType, HostPathTypes));
                }

                break;
            case "secret":
                if (JsonAccess.Str(source, "secretName").Length == 0)
                {
                    errs.Add(FieldError.Required(path.Child("secretName")));
                }

                errs.AddRange(ValidateMode(source, "defaultMode", path));
                errs.AddRange(ValidateKeyToPaths(source, path));
                break;
            case "configMap":
                if (JsonAccess.Str(source, "name").Length == 0)
                {
                    errs.Add(FieldError.Required(path.Child("name")));
                }

                errs.AddRange(ValidateMode(source, "defaultMode", path));
                errs.AddRange(ValidateKeyToPaths(source, path));
                break;
            case "persistentVolumeClaim":
                if (JsonAccess.Str(source, "claimName").Length == 0)
                {
                    errs.Add(FieldError.Required(path.Child("claimName")));
                }

                break;
            case "nfs":
                if (JsonAccess.Str(source, "server").Length == 0)
                {
                    errs.Add(FieldError.Required(path.Child("server")));
                }

                var nfsPath = JsonAccess.Str(source, "path");
                if (nfsPath.Length == 0)
                {
                    errs.Add(FieldError.Required(path.Child("path")));
                }

                if (!nfsPath.StartsWith('/'))
                {
                    errs.Add(FieldError.Invalid(path.Child("path"), nfsPath, "must be an absolute path"));
                }

                break;
            case "downwardAPI":
                errs.AddRange(ValidateMode(source, "defaultMode", path));
                foreach (var (_, file) in JsonAccess.Items(source, "items"))
                {
                    errs.AddRange(ValidateDownwardAPIFile(file, path));
                }

                break;
            case "projected":
                errs.AddRange(ValidateMode(source, "defaultMode", path));
                errs.AddRange(ValidateProjectionSources(source, path));
                break;
            case "csi":
                errs.AddRange(ValidateCsiDriverName(JsonAccess.Str(source, "driver"), path.Child("driver")));
                if (JsonAccess.Obj(source, "nodePublishSecretRef") is { } secretRef)
                {
                    var secretName = JsonAccess.Str(secretRef, "name");
                    if (secretName.Length == 0)
                    {
                        errs.Add(FieldError.Required(path.Child("nodePublishSecretRef", "name")));
                    }
                    else
                    {
                        errs.AddRange(NameRules.NameIsDnsSubdomain(secretName, false).Select(m => FieldError.Invalid(path.Child("name"), secretName, m)));
                    }
                }

                break;
            case "ephemeral":
                if (JsonAccess.Obj(source, "volumeClaimTemplate") is not { } claimTemplate)
                {
                    errs.Add(FieldError.Required(path.Child("volumeClaimTemplate")));
                }
                else
                {
                    var templatePath = path.Child("volumeClaimTemplate");
                    var templateMeta = JsonAccess.Obj(claimTemplate, "metadata");
                    errs.AddRange(ObjectMetaRules.ValidateAnnotations(JsonAccess.Get(templateMeta, "annotations"), templatePath.Child("metadata", "annotations")));
                    errs.AddRange(ObjectMetaRules.ValidateLabels(JsonAccess.Get(templateMeta, "labels"), templatePath.Child("metadata", "labels")));
                    foreach (var (field, _) in templateMeta ?? [])
                    {
                        if (field is not ("labels" or "annotations") && !JsonAccess.SemanticEquals(templateMeta![field], null))
                        {
                            errs.Add(FieldError.Forbidden(templatePath.Child("metadata", field), "cannot be set"));
                        }
                    }

                    errs.AddRange(PersistentVolumeClaimRules.ValidateClaimSpec(JsonAccess.Obj(claimTemplate, "spec") ?? [], templatePath.Child("spec")));
                }

                if (podName.Length > 0 && volumeName.Length > 0)
                {
                    var claimName = podName + "-" + volumeName;
                    foreach (var msg in NameRules.NameIsDnsSubdomain(claimName, false))
                    {
                        errs.Add(FieldError.Invalid(path.Child("name"), volumeName, $"PVC name {GoSyntax.Quote(claimName)}: {msg}"));
                    }
                }

                break;
            case "image":
                if (JsonAccess.Str(source, "reference").Length == 0)
                {
                    errs.Add(FieldError.Required(path.Child("reference")));
                }

                if (JsonAccess.String(source, "pullPolicy") is { } pull)
                {
                    errs.AddRange(Enum(pull, path.Child("pullPolicy"), PullPolicies));
                }

                break;
            case "rbd":
                if (JsonAccess.Count(source, "monitors") == 0)
                {
                    errs.Add(FieldError.Required(path.Child("monitors")));
                }

                if (JsonAccess.Str(source, "image").Length == 0)
                {
                    errs.Add(FieldError.Required(path.Child("image")));
                }

                break;
            case "cephfs":
                if (JsonAccess.Count(source, "monitors") == 0)
                {
                    errs.Add(FieldError.Required(path.Child("monitors")));
                }

                break;
            case "fc":
                if (JsonAccess.Count(source, "targetWWNs") < 1 && JsonAccess.Count(source, "wwids") < 1)
                {
                    errs.Add(FieldError.Required(path.Child("targetWWNs"), "must specify either targetWWNs or wwids, but not both"));
                }

                break;
            case "flocker":
                var dataset = JsonAccess.Str(source, "datasetName");
                var uuid = JsonAccess.Str(source, "datasetUUID");
                if (dataset.Length == 0 && uuid.Length == 0)
                {
                    errs.Add(FieldError.Required(path, "one of datasetName and datasetUUID is required"));
                }

                if (dataset.Length != 0 && uuid.Length != 0)
                {
                    errs.Add(FieldError.Invalid(path, "resource", "datasetName and datasetUUID can not be specified simultaneously"));
                }

                break;
            case "quobyte":
                if (JsonAccess.Str(source, "registry").Length == 0)
                {
                    errs.Add(FieldError.Required(path.Child("registry"), "must be a host:port pair or multiple pairs separated by commas"));
                }

                if (JsonAccess.Str(source, "volume").Length == 0)
                {
                    errs.Add(FieldError.Required(path.Child("volume")));
                }

                break;
            default:
                if (RequiredSourceFields.TryGetValue(key, out var required))
                {
                    foreach (var field in required)
                    {
                        if (JsonAccess.Str(source, field).Length == 0)
                        {
                            errs.Add(FieldError.Required(path.Child(field)));
                        }
                    }
                }

                break;
        }

        _ = volumePath;
        return errs;
    }

    /// <summary>A CSI driver name: required, 63 characters at most, a DNS subdomain once lowercased.</summary>
    internal static FieldErrorList ValidateCsiDriverName(string driver, FieldPath path)
    {
        var errs = new FieldErrorList();
        if (driver.Length == 0)
        {
            errs.Add(FieldError.Required(path));
        }

        if (driver.Length > 63)
        {
            errs.Add(FieldError.TooLong(path, 63));
        }

        errs.AddRange(NameRules.Dns1123Subdomain(driver.ToLowerInvariant()).Select(m => FieldError.Invalid(path, driver, m)));
        return errs;
    }

    private static FieldErrorList ValidateMode(JsonObject source, string field, FieldPath path)
    {
        if (JsonAccess.Long(source, field) is { } mode && mode is < 0 or > 511)
        {
            return [FieldError.Invalid(path.Child(field), mode, FileModeMessage)];
        }

        return [];
    }

    private static FieldErrorList ValidateKeyToPaths(JsonObject source, FieldPath path)
    {
        var errs = new FieldErrorList();
        foreach (var (i, item) in JsonAccess.Items(source, "items"))
        {
            errs.AddRange(ValidateKeyToPath(item, path.Child("items").Index(i)));
        }

        return errs;
    }

    private static FieldErrorList ValidateKeyToPath(JsonObject item, FieldPath path)
    {
        var errs = new FieldErrorList();
        if (JsonAccess.Str(item, "key").Length == 0)
        {
            errs.Add(FieldError.Required(path.Child("key")));
        }

        var p = JsonAccess.Str(item, "path");
        if (p.Length == 0)
        {
            errs.Add(FieldError.Required(path.Child("path")));
        }

        errs.AddRange(ValidateLocalNonReservedPath(p, path.Child("path")));
        errs.AddRange(ValidateMode(item, "mode", path));
        return errs;
    }

    private static FieldErrorList ValidateDownwardAPIFile(JsonObject file, FieldPath path)
    {
        var errs = new FieldErrorList();
        var p = JsonAccess.Str(file, "path");
        if (p.Length == 0)
        {
            errs.Add(FieldError.Required(path.Child("path")));
        }

        errs.AddRange(ValidateLocalNonReservedPath(p, path.Child("path")));
        if (JsonAccess.Obj(file, "fieldRef") is { } fieldRef)
        {
            errs.AddRange(ValidateObjectFieldSelector(fieldRef, VolumeDownwardFieldPaths, path.Child("fieldRef")));
            if (JsonAccess.Has(file, "resourceFieldRef"))
            {
                errs.Add(FieldError.Invalid(path, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously"));
            }
        }
        else if (JsonAccess.Obj(file, "resourceFieldRef") is { } resourceRef)
        {
            errs.AddRange(ValidateResourceFieldSelector(resourceRef, path.Child("resourceFieldRef"), volume: true));
        }
        else
        {
            errs.Add(FieldError.Required(path, "one of fieldRef and resourceFieldRef is required"));
        }

        errs.AddRange(ValidateMode(file, "mode", path));
        return errs;
    }

    private static FieldErrorList ValidateProjectionSources(JsonObject projected, FieldPath path)
    {
        var errs = new FieldErrorList();
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (i, source) in JsonAccess.Items(projected, "sources"))
        {
            var sPath = path.Child("sources").Index(i);
            var count = 0;
            foreach (var kind in new[] { "secret", "configMap" })
            {
                if (JsonAccess.Obj(source, kind) is not { } s)
                {
                    continue;
                }

                count++;
                if (JsonAccess.Str(s, "name").Length == 0)
                {
                    errs.Add(FieldError.Required(sPath.Child(kind, "name")));
                }

                foreach (var (j, item) in JsonAccess.Items(s, "items"))
                {
                    errs.AddRange(ValidateKeyToPath(item, sPath.Child(kind, "items").Index(j)));
                    var itemPath = JsonAccess.Str(item, "path");
                    if (itemPath.Length > 0 && !paths.Add(itemPath))
                    {
                        errs.Add(FieldError.Invalid(path, JsonAccess.Str(s, "name"), "conflicting duplicate paths"));
                    }
                }
            }

            if (JsonAccess.Obj(source, "downwardAPI") is { } downward)
            {
                count++;
                foreach (var (_, file) in JsonAccess.Items(downward, "items"))
                {
                    errs.AddRange(ValidateDownwardAPIFile(file, sPath.Child("downwardAPI")));
                    var filePath = JsonAccess.Str(file, "path");
                    if (filePath.Length > 0 && !paths.Add(filePath))
                    {
                        errs.Add(FieldError.Invalid(path, filePath, "conflicting duplicate paths"));
                    }
                }
            }

            if (JsonAccess.Obj(source, "serviceAccountToken") is { } token)
            {
                count++;
                var tPath = sPath.Child("serviceAccountToken");
                var expiration = JsonAccess.Long(token, "expirationSeconds") ?? 0;
                if (expiration < 600)
                {
                    errs.Add(FieldError.Invalid(tPath.Child("expirationSeconds"), expiration, "may not specify a duration less than 10 minutes"));
                }

                if (expiration > 1L << 32)
                {
                    errs.Add(FieldError.Invalid(tPath.Child("expirationSeconds"), expiration, "may not specify a duration larger than 2^32 seconds"));
                }

                var tokenPath = JsonAccess.Str(token, "path");
                if (tokenPath.Length == 0)
                {
                    errs.Add(FieldError.Required(path.Child("path")));
                }
                else
                {
                    errs.AddRange(ValidateLocalNonReservedPath(tokenPath, path.Child("path")));
                }
            }

            if (JsonAccess.Obj(source, "clusterTrustBundle") is { } bundle)
            {
                count++;
                var bPath = sPath.Child("clusterTrustBundle");
                var bundlePath = JsonAccess.Str(bundle, "path");
                if (bundlePath.Length == 0)
                {
                    errs.Add(FieldError.Required(bPath.Child("path")));
                }

                errs.AddRange(ValidateLocalNonReservedPath(bundlePath, bPath.Child("path")));
                if (!paths.Add(bundlePath))
                {
                    errs.Add(FieldError.Invalid(path, bundlePath, "conflicting duplicate paths"));
                }
            }

            if (count > 1)
            {
                errs.Add(FieldError.Forbidden(sPath, "may not specify more than 1 volume type per source"));
            }
        }

        return errs;
    }

    /// <summary>A relative path without <c>..</c> elements.</summary>
    internal static FieldErrorList ValidateLocalDescendingPath(string target, FieldPath path)
    {
        var errs = new FieldErrorList();
        if (target.StartsWith('/'))
        {
            errs.Add(FieldError.Invalid(path, target, "must be a relative path"));
        }

        errs.AddRange(ValidatePathNoBacksteps(target, path));
        return errs;
    }

    internal static FieldErrorList ValidatePathNoBacksteps(string target, FieldPath path) =>
        target.Replace('\\', '/').Split('/').Contains("..")
            ? [FieldError.Invalid(path, target, "must not contain '..'")]
            : [];

    internal static FieldErrorList ValidateLocalNonReservedPath(string target, FieldPath path)
    {
        var errs = ValidateLocalDescendingPath(target, path);
        if (target.StartsWith("..", StringComparison.Ordinal) && !target.StartsWith("../", StringComparison.Ordinal))
        {
            errs.Add(FieldError.Invalid(path, target, "must not start with '..'"));
        }

        return errs;
    }
}
