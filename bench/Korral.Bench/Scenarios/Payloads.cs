using System.Globalization;
using System.Text;

namespace Korral.Bench.Scenarios;

/// <summary>
/// The request bodies, of fixed size for repeatable numbers: names carry a zero-padded index (every body of a kind has
/// the same length) and data is constant apart from that.
/// </summary>
public static class Payloads
{
    /// <summary>The ConfigMap's one value: 256 bytes of text ("small data").</summary>
    public static readonly string ConfigMapValue = new('x', 256);

    public static string ConfigMapName(long index) => "cm-" + index.ToString("D8", CultureInfo.InvariantCulture);

    public static string PodName(long index) => "pod-" + index.ToString("D8", CultureInfo.InvariantCulture);

    public static string WatchedName(long index) => "wcm-" + index.ToString("D8", CultureInfo.InvariantCulture);

    public static byte[] Namespace(string name) => Encoding.UTF8.GetBytes(
        $$$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{{name}}}}","labels":{"app.kubernetes.io/part-of":"korral-bench"}}}""");

    public static byte[] ConfigMap(long index) => Encoding.UTF8.GetBytes(
        $$$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{{ConfigMapName(index)}}}}","labels":{"app":"korral-bench"}},"data":{"payload":"{{{{ConfigMapValue}}}}"}}""");

    /// <summary>
    /// A ConfigMap carrying the client's send time (<see cref="System.Diagnostics.Stopwatch"/> ticks, 19 digits) for
    /// watch latency: the watcher finds <see cref="SentMarker"/> in the event line and subtracts.
    /// </summary>
    public static byte[] WatchedConfigMap(long index, long sentTicks) => Encoding.UTF8.GetBytes(
        $$$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{{WatchedName(index)}}}}","labels":{"app":"korral-bench"}},"data":{"sent":"{{{{sentTicks.ToString("D19", CultureInfo.InvariantCulture)}}}}","payload":"{{{{ConfigMapValue[..64]}}}}"}}""");

    /// <summary>The bytes just before the send timestamp in a watched ConfigMap's JSON.</summary>
    public static ReadOnlySpan<byte> SentMarker => "\"sent\":\""u8;

    /// <summary>
    /// A realistic Pod: one nginx container with a named port, environment, requests and limits, a probe, labels and
    /// an annotation, about 1 KB of JSON.
    /// </summary>
    public static byte[] Pod(long index) => Encoding.UTF8.GetBytes($$$$"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{{PodName(index)}}}}","labels":{"app":"web","tier":"frontend","app.kubernetes.io/name":"nginx","app.kubernetes.io/part-of":"korral-bench"},"annotations":{"bench.korral.io/purpose":"api-throughput"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.27.3","imagePullPolicy":"IfNotPresent","ports":[{"name":"http","containerPort":80,"protocol":"TCP"},{"name":"metrics","containerPort":9113,"protocol":"TCP"}],"env":[{"name":"NGINX_PORT","value":"80"},{"name":"NGINX_WORKER_PROCESSES","value":"auto"},{"name":"LOG_LEVEL","value":"info"},{"name":"POD_NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}],"resources":{"requests":{"cpu":"100m","memory":"64Mi"},"limits":{"cpu":"500m","memory":"256Mi"}},"readinessProbe":{"httpGet":{"path":"/healthz","port":"http"},"periodSeconds":10},"volumeMounts":[{"name":"cache","mountPath":"/var/cache/nginx"}]}],"volumes":[{"name":"cache","emptyDir":{}}],"restartPolicy":"Always","terminationGracePeriodSeconds":30}}
        """);
}
