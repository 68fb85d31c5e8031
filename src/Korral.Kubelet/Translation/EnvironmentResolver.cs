using System.Text;
using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Translation;

/// <summary>
/// Builds a container's environment as upstream's kubelet does (makeEnvironmentVariables): envFrom sources first, then
/// env in declaration order (a later definition replaces an earlier one; <c>value</c> is expanded against the variables
/// defined so far and the service variables; <c>valueFrom</c> reads ConfigMaps, Secrets, pod fields and container
/// resources), then the service link variables the container did not define itself.
/// </summary>
/// <remarks>
/// Upstream collects the variables in a Go map, so its order is arbitrary; here it is deterministic: the container's own
/// variables in the order first defined (envFrom keys sorted within each source), then service variables (services
/// sorted by name, each in upstream's per-service order). Only the order differs from upstream, never the set.
/// </remarks>
public sealed class EnvironmentResolver(IPodConfigSource source)
{
    /// <summary>Event reason upstream uses when envFrom keys are not usable as variable names.</summary>
    public const string InvalidEnvironmentVariableNamesReason = "InvalidEnvironmentVariableNames";

    /// <summary>
    /// The environment of <paramref name="container"/> in <paramref name="pod"/>; fails with upstream's message when a
    /// referenced ConfigMap, Secret or key is missing and not optional, or a field reference is unsupported.
    /// </summary>
    public TranslationResult<IReadOnlyList<ResolvedEnvVar>> Resolve(Pod pod, Container container, EnvironmentContext context)
    {
        var ns = pod.Metadata?.Namespace ?? "";
        var serviceEnv = new Dictionary<string, string>(StringComparer.Ordinal);
        var serviceOrder = new List<string>();
        foreach (var variable in ServiceLinkVariables.ForPod(source, ns, pod.Spec?.EnableServiceLinks ?? true))
        {
            if (serviceEnv.TryAdd(variable.Name, variable.Value))
            {
                serviceOrder.Add(variable.Name);
            }
        }

        var configMaps = new Dictionary<string, ConfigMap>(StringComparer.Ordinal);
        var secrets = new Dictionary<string, Secret>(StringComparer.Ordinal);
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        var warnings = new List<TranslationWarning>();

        void Set(string name, string value)
        {
            if (!env.ContainsKey(name))
            {
                order.Add(name);
            }

            env[name] = value;
        }

        foreach (var envFrom in container.EnvFrom ?? [])
        {
            if (envFrom.ConfigMapRef is { } cmRef)
            {
                var name = cmRef.Name ?? "";
                var configMap = GetConfigMap(ns, name, configMaps);
                if (configMap is null)
                {
                    if (cmRef.Optional == true)
                    {
                        continue;
                    }

                    return Fail($"configmap \"{name}\" not found", warnings);
                }

                AddAll(configMap.Data?.Select(p => (p.Key, p.Value)), envFrom.Prefix, $"configMap {ns}/{name}", Set, warnings);
            }
            else if (envFrom.SecretRef is { } secretRef)
            {
                var name = secretRef.Name ?? "";
                var secret = GetSecret(ns, name, secrets);
                if (secret is null)
                {
                    if (secretRef.Optional == true)
                    {
                        continue;
                    }

                    return Fail($"secret \"{name}\" not found", warnings);
                }

                AddAll(secret.Data?.Select(p => (p.Key, Encoding.UTF8.GetString(p.Value))), envFrom.Prefix, $"secret {ns}/{name}", Set, warnings);
            }
        }

        foreach (var envVar in container.Env ?? [])
        {
            var name = envVar.Name ?? "";
            string value;
            if (!string.IsNullOrEmpty(envVar.Value))
            {
                value = VariableExpansion.Expand(envVar.Value, env, serviceEnv);
            }
            else if (envVar.ValueFrom is { } from)
            {
                if (from.FieldRef is { } fieldRef)
                {
                    var field = DownwardApiValues.PodField(fieldRef, pod, context.PodIPs, context.HostIPs);
                    if (!field.Succeeded)
                    {
                        return Fail(field.Error!, warnings);
                    }

                    value = field.Value!;
                }
                else if (from.ResourceFieldRef is { } resourceRef)
                {
                    var resource = DownwardApiValues.ContainerResource(resourceRef, pod, container, context.NodeAllocatable);
                    if (!resource.Succeeded)
                    {
                        return Fail(resource.Error!, warnings);
                    }

                    value = resource.Value!;
                }
                else if (from.ConfigMapKeyRef is { } cmKey)
                {
                    var cmName = cmKey.Name ?? "";
                    var optional = cmKey.Optional == true;
                    var configMap = GetConfigMap(ns, cmName, configMaps);
                    if (configMap is null)
                    {
                        if (optional)
                        {
                            continue;
                        }

                        return Fail($"configmap \"{cmName}\" not found", warnings);
                    }

                    if (configMap.Data is null || !configMap.Data.TryGetValue(cmKey.Key ?? "", out var data))
                    {
                        if (optional)
                        {
                            continue;
                        }

                        return Fail($"couldn't find key {cmKey.Key} in ConfigMap {ns}/{cmName}", warnings);
                    }

                    value = data;
                }
                else if (from.SecretKeyRef is { } secretKey)
                {
                    var secretName = secretKey.Name ?? "";
                    var optional = secretKey.Optional == true;
                    var secret = GetSecret(ns, secretName, secrets);
                    if (secret is null)
                    {
                        if (optional)
                        {
                            continue;
                        }

                        return Fail($"secret \"{secretName}\" not found", warnings);
                    }

                    if (secret.Data is null || !secret.Data.TryGetValue(secretKey.Key ?? "", out var bytes))
                    {
                        if (optional)
                        {
                            continue;
                        }

                        return Fail($"couldn't find key {secretKey.Key} in Secret {ns}/{secretName}", warnings);
                    }

                    value = Encoding.UTF8.GetString(bytes);
                }
                else
                {
                    value = "";
                }
            }
            else
            {
                value = "";
            }

            Set(name, value);
        }

        var result = new List<ResolvedEnvVar>(order.Count + serviceOrder.Count);
        result.AddRange(order.Select(n => new ResolvedEnvVar(n, env[n])));
        result.AddRange(serviceOrder.Where(n => !env.ContainsKey(n)).Select(n => new ResolvedEnvVar(n, serviceEnv[n])));
        return TranslationResult<IReadOnlyList<ResolvedEnvVar>>.Ok(result, warnings);
    }

    /// <summary>
    /// The container's command and args with <c>$(VAR)</c> references expanded against its final environment
    /// (upstream's ExpandContainerCommandAndArgs). The runtime merges them with the image's entrypoint and cmd.
    /// </summary>
    public static (IReadOnlyList<string> Command, IReadOnlyList<string> Args) ExpandCommandAndArgs(
        Container container, IReadOnlyList<ResolvedEnvVar> environment)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in environment)
        {
            map[variable.Name] = variable.Value;
        }

        return (
            (container.Command ?? []).Select(c => VariableExpansion.Expand(c, map)).ToList(),
            (container.Args ?? []).Select(a => VariableExpansion.Expand(a, map)).ToList());
    }

    /// <summary>
    /// Whether an envFrom key can be a variable name. Since 1.30 upstream accepts any printable ASCII but '='
    /// (RelaxedEnvironmentVariableValidation, on by default in 1.33) and no longer skips C-identifier violations; what
    /// this still rejects could not be passed to a process at all.
    /// </summary>
    public static bool IsUsableName(string name) =>
        name.Length > 0 && name.All(c => c is >= ' ' and <= '~' and not '=');

    private ConfigMap? GetConfigMap(string ns, string name, Dictionary<string, ConfigMap> cache)
    {
        if (cache.TryGetValue(name, out var cached))
        {
            return cached;
        }

        var configMap = source.GetConfigMap(ns, name);
        if (configMap is not null)
        {
            cache[name] = configMap;
        }

        return configMap;
    }

    private Secret? GetSecret(string ns, string name, Dictionary<string, Secret> cache)
    {
        if (cache.TryGetValue(name, out var cached))
        {
            return cached;
        }

        var secret = source.GetSecret(ns, name);
        if (secret is not null)
        {
            cache[name] = secret;
        }

        return secret;
    }

    private static void AddAll(
        IEnumerable<(string Key, string Value)>? entries, string? prefix, string what, Action<string, string> set, List<TranslationWarning> warnings)
    {
        List<string>? invalid = null;
        foreach (var (key, value) in (entries ?? []).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var name = (prefix ?? "") + key;
            if (!IsUsableName(name))
            {
                (invalid ??= []).Add(name);
                continue;
            }

            set(name, value);
        }

        if (invalid is not null)
        {
            warnings.Add(new(
                InvalidEnvironmentVariableNamesReason,
                $"Keys [{string.Join(", ", invalid)}] from the EnvFrom {what} were skipped since they are considered invalid environment variable names."));
        }
    }

    private static TranslationResult<IReadOnlyList<ResolvedEnvVar>> Fail(string error, List<TranslationWarning> warnings) =>
        TranslationResult<IReadOnlyList<ResolvedEnvVar>>.Fail(error, warnings);
}
