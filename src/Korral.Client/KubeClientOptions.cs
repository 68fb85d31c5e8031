using System.Security.Cryptography.X509Certificates;

namespace Korral.Client;

/// <summary>
/// How a component reaches the API server: the URL, whom to trust, who it is. Build one from a kubeconfig
/// (<see cref="Kubeconfig.Load(string, string?)"/>), from PEM text (<see cref="FromPem"/>), from the pod's service account
/// (<see cref="InCluster"/>), or set the properties. <see cref="Validate"/> runs when a <see cref="KubeClient"/> is made.
/// </summary>
/// <remarks>
/// There is no client-side rate limit: upstream's 20/50 requests per second caps large reconciles (see
/// docs/architecture.md); the server protects itself. Retries: see <see cref="MaxRetries"/>.
/// </remarks>
public sealed record KubeClientOptions
{
    /// <summary>The API server, e.g. https://10.0.0.1:6443. A path (a proxy prefix) is kept in front of /api and /apis.</summary>
    public required Uri Server { get; init; }

    /// <summary>The component's own certificate, with its private key (client-certificate authentication).</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>The CAs that may sign the server's certificate; empty: the machine's trust store.</summary>
    public IReadOnlyList<X509Certificate2> CertificateAuthorities { get; init; } = [];

    /// <summary>A bearer token sent on every request (static tokens, service account tokens).</summary>
    public string? BearerToken { get; init; }

    /// <summary>
    /// A file holding the bearer token, read again every minute (service account tokens are rotated), as upstream's
    /// tokenFile. Takes precedence over <see cref="BearerToken"/>.
    /// </summary>
    public string? BearerTokenFile { get; init; }

    /// <summary>Accept any server certificate (kubeconfig insecure-skip-tls-verify). For tests and first contact only.</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>The name the server certificate is checked against, when not the URL's host (kubeconfig tls-server-name).</summary>
    public string? TlsServerName { get; init; }

    /// <summary>The User-Agent header (upstream: "&lt;binary&gt;/&lt;version&gt; (&lt;os&gt;/&lt;arch&gt;) &lt;component&gt;").</summary>
    public string UserAgent { get; init; } = "korral-client";

    /// <summary>How long a non-watch request may take, retries excluded (default 60 s). Watches have no limit.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How many times a request is retried: after 429 Too Many Requests (idempotent verbs, and any verb when the server
    /// sent Retry-After: it did not run the request), after a connection that could not be opened (any verb), after a
    /// 5xx or a broken connection (idempotent verbs only: GET, LIST, WATCH, PUT, DELETE; never POST or PATCH).
    /// Default 5; 0 turns retries off.
    /// </summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>The first retry delay, doubled per retry with jitter up to <see cref="RetryMaxDelay"/>; a Retry-After header wins.</summary>
    public TimeSpan RetryInitialDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest delay between retries (default 10 s).</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock for retry delays and token file refreshes.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where the client writes what it retries and why; null: nowhere.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Replaces the HTTP stack (tests, proxies); the TLS settings above are then the handler's business.</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>Every problem with these options, each saying how to fix it; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Server.IsAbsoluteUri || Server.Scheme is not ("https" or "http"))
        {
            errors.Add($"server \"{Server}\" must be an absolute http:// or https:// URL");
        }

        if (ClientCertificate is { HasPrivateKey: false })
        {
            errors.Add($"the client certificate {ClientCertificate.Subject} has no private key: load it with its key (X509Certificate2.CreateFromPem(cert, key))");
        }

        if (BearerTokenFile is not null && !File.Exists(BearerTokenFile))
        {
            errors.Add($"token file {BearerTokenFile} does not exist");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add($"request timeout {RequestTimeout} must be positive");
        }

        if (MaxRetries < 0)
        {
            errors.Add($"max retries {MaxRetries} must be 0 or more");
        }

        if (RetryInitialDelay <= TimeSpan.Zero || RetryMaxDelay < RetryInitialDelay)
        {
            errors.Add($"retry delays must satisfy 0 < initial ({RetryInitialDelay}) <= max ({RetryMaxDelay})");
        }

        return errors;
    }

    /// <summary>Options from PEM text: the CA bundle, and the client certificate with its key (both optional).</summary>
    public static KubeClientOptions FromPem(Uri server, string? caPem, string? certificatePem = null, string? keyPem = null) => new()
    {
        Server = server,
        CertificateAuthorities = caPem is null ? [] : LoadCaBundle(caPem),
        ClientCertificate = certificatePem is null || keyPem is null ? null : X509Certificate2.CreateFromPem(certificatePem, keyPem),
    };

    /// <summary>
    /// Options for a process in a pod: KUBERNETES_SERVICE_HOST/PORT, the service account token and CA under
    /// /var/run/secrets/kubernetes.io/serviceaccount (upstream's rest.InClusterConfig).
    /// </summary>
    public static KubeClientOptions InCluster(string accountDir = "/var/run/secrets/kubernetes.io/serviceaccount")
    {
        var host = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST");
        var port = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new InvalidOperationException("not in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set");
        }

        var authority = host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";
        var caFile = Path.Combine(accountDir, "ca.crt");
        return new KubeClientOptions
        {
            Server = new Uri($"https://{authority}"),
            BearerTokenFile = Path.Combine(accountDir, "token"),
            CertificateAuthorities = File.Exists(caFile) ? LoadCaBundle(File.ReadAllText(caFile)) : [],
        };
    }

    /// <summary>Every certificate of a PEM bundle.</summary>
    public static IReadOnlyList<X509Certificate2> LoadCaBundle(string pem)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(pem);
        if (collection.Count == 0)
        {
            throw new FormatException("the CA bundle holds no PEM certificate");
        }

        return [.. collection];
    }
}
