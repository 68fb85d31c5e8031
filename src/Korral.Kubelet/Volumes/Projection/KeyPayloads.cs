using System.Text;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Volumes.Plugins;

namespace Korral.Kubelet.Volumes.Projection;

/// <summary>The files a ConfigMap or Secret projects: every key, or the selected items at their paths and modes.</summary>
internal static class KeyPayloads
{
    public static Dictionary<string, FileProjection> ConfigMap(IList<KeyToPath>? items, ConfigMap? configMap, int defaultMode, bool optional)
    {
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in configMap?.Data ?? new Dictionary<string, string>())
        {
            data[key] = Encoding.UTF8.GetBytes(value);
        }

        foreach (var (key, value) in configMap?.BinaryData ?? new Dictionary<string, byte[]>())
        {
            data[key] = value;
        }

        return Make(items, data, defaultMode, optional, key => $"configmap references non-existent config key: {key}");
    }

    public static Dictionary<string, FileProjection> Secret(IList<KeyToPath>? items, Secret? secret, int defaultMode, bool optional)
    {
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in secret?.Data ?? new Dictionary<string, byte[]>())
        {
            data[key] = value;
        }

        return Make(items, data, defaultMode, optional, key => $"references non-existent secret key: {key}");
    }

    private static Dictionary<string, FileProjection> Make(IList<KeyToPath>? items, Dictionary<string, byte[]> data, int defaultMode,
        bool optional, Func<string, string> missingKey)
    {
        var payload = new Dictionary<string, FileProjection>(StringComparer.Ordinal);
        if (items is null || items.Count == 0)
        {
            foreach (var (key, value) in data)
            {
                payload[key] = new FileProjection(value, defaultMode);
            }

            return payload;
        }

        foreach (var item in items)
        {
            var key = item.Key ?? "";
            if (!data.TryGetValue(key, out var value))
            {
                if (optional)
                {
                    continue;
                }

                throw new VolumeSetupError(missingKey(key));
            }

            payload[string.IsNullOrEmpty(item.Path) ? key : item.Path] = new FileProjection(value, item.Mode ?? defaultMode);
        }

        return payload;
    }
}
