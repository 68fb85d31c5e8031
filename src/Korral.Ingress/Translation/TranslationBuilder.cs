using Korral.Api.Models.NetworkingV1;
using Korral.Ingress.Tls;

namespace Korral.Ingress.Translation;

// "Ingress" is the Kubernetes type here, not the namespace Korral.Ingress: an alias inside the namespace is found first.
using Ingress = Korral.Api.Models.NetworkingV1.Ingress;

/// <summary>The state of one translation (see <see cref="IngressTranslator"/> for the rules).</summary>
internal sealed class TranslationBuilder(IBackendSource backends, ICertificateSource certificates)
{
    private readonly Dictionary<string, ServerDraft> _servers = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Ns, string Service, string Port), ResolvedBackend> _resolved = [];
    private readonly List<(ServerDraft Server, NginxLocation Location, Ingress Owner)> _derived = [];
    private readonly SortedSet<string> _services = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _secrets = new(StringComparer.Ordinal);
    private readonly List<string> _problems = [];

    public NginxConfiguration Build(IReadOnlyList<Ingress> ingresses)
    {
        AddCatchAll(ingresses);
        foreach (var ingress in ingresses)
        {
            AddRules(ingress);
        }

        // Exact locations derived from Prefix paths come last: an Exact path of the same string wins (the spec's precedence).
        foreach (var (server, location, owner) in _derived)
        {
            if (!server.Locations.ContainsKey(location.Key))
            {
                server.Locations[location.Key] = new LocationDraft(location, owner, IsDefault: false);
            }
        }

        foreach (var ingress in ingresses)
        {
            AddTls(ingress);
        }

        var servers = _servers.Values
            .OrderBy(s => s.Host == NginxServer.CatchAll ? 0 : 1)
            .ThenBy(s => s.Host, StringComparer.Ordinal)
            .Select(Finish)
            .ToList();
        var upstreams = _resolved.Values
            .Where(r => r.Upstream is not null && servers.Any(s => s.Locations.Any(l => l.Target.Upstream == r.Upstream.Name)))
            .Select(r => r.Upstream!)
            .DistinctBy(u => u.Name)
            .OrderBy(u => u.Name, StringComparer.Ordinal)
            .ToList();
        return new NginxConfiguration(servers, upstreams, _services, _secrets, _problems);
    }

    private static string Key(Ingress ingress) => $"{ingress.Metadata?.Namespace}/{ingress.Metadata?.Name}";

    private static bool HasRules(Ingress ingress) => ingress.Spec?.Rules is { Count: > 0 };

    private void AddCatchAll(IReadOnlyList<Ingress> ingresses)
    {
        var owner = ingresses.FirstOrDefault(i => i.Spec?.DefaultBackend?.Service is not null && !HasRules(i))
            ?? ingresses.FirstOrDefault(i => i.Spec?.DefaultBackend?.Service is not null);
        var server = new ServerDraft(NginxServer.CatchAll);
        var root = owner is null
            ? new NginxLocation(LocationMatch.Prefix, "/", LocationTarget.NotFound, "no default backend: 404")
            : new NginxLocation(LocationMatch.Prefix, "/", DefaultTarget(owner), $"{Key(owner)}: default backend");
        server.Locations[root.Key] = new LocationDraft(root, owner, IsDefault: true);
        _servers[server.Host] = server;
    }

    private LocationTarget DefaultTarget(Ingress ingress) =>
        ingress.Spec?.DefaultBackend?.Service is { } service ? Resolve(ingress, service).Target : LocationTarget.NotFound;

    private void AddRules(Ingress ingress)
    {
        var key = Key(ingress);
        var bodySize = IngressAnnotations.BodySize(ingress, out var annotationProblem);
        if (annotationProblem is not null)
        {
            _problems.Add($"Ingress \"{key}\": {annotationProblem}");
        }

        foreach (var rule in ingress.Spec?.Rules ?? [])
        {
            var host = string.IsNullOrEmpty(rule.Host) ? NginxServer.CatchAll : rule.Host;
            if (host != NginxServer.CatchAll && !HostNames.IsValid(host))
            {
                _problems.Add($"Ingress \"{key}\": host \"{host}\" is not a valid host name; rule ignored");
                continue;
            }

            var server = Server(host, ingress);
            foreach (var path in rule.Http?.Paths ?? [])
            {
                var pathText = $"{path.PathType} {(string.IsNullOrEmpty(path.Path) ? "/" : path.Path)}";
                if (path.Backend?.Service is not { } service)
                {
                    _problems.Add($"Ingress \"{key}\": path {pathText} has no service backend (resource backends are not supported); ignored");
                    continue;
                }

                if (PathRule.For(path.PathType, path.Path, out var pathProblem) is not { } pathRule)
                {
                    _problems.Add($"Ingress \"{key}\": {pathProblem}; ignored");
                    continue;
                }

                var target = Resolve(ingress, service).Target;
                var location = new NginxLocation(pathRule.Match, pathRule.Path, target, $"{key}: {pathText}") { BodySize = bodySize };
                Claim(server, location, ingress, pathText);
                if (pathRule.DerivedExact is { } exact)
                {
                    _derived.Add((server, location with { Match = LocationMatch.Exact, Path = exact }, ingress));
                }
            }
        }
    }

    private ServerDraft Server(string host, Ingress ingress)
    {
        if (_servers.TryGetValue(host, out var server))
        {
            return server;
        }

        server = new ServerDraft(host);
        var root = ingress.Spec?.DefaultBackend?.Service is not null
            ? new NginxLocation(LocationMatch.Prefix, "/", DefaultTarget(ingress), $"{Key(ingress)}: default backend")
            : new NginxLocation(LocationMatch.Prefix, "/", LocationTarget.NotFound, "no path /: 404");
        server.Locations[root.Key] = new LocationDraft(root, ingress, IsDefault: true);
        _servers[host] = server;
        return server;
    }

    private void Claim(ServerDraft server, NginxLocation location, Ingress owner, string pathText)
    {
        if (server.Locations.TryGetValue(location.Key, out var existing) && !existing.IsDefault)
        {
            _problems.Add($"Ingress \"{Key(owner)}\": path {pathText} on host \"{server.Host}\" is already defined by Ingress " +
                $"\"{(existing.Owner is null ? "?" : Key(existing.Owner))}\"; ignored");
            return;
        }

        server.Locations[location.Key] = new LocationDraft(location, owner, IsDefault: false);
    }

    private ResolvedBackend Resolve(Ingress ingress, IngressServiceBackend service)
    {
        var ns = ingress.Metadata?.Namespace ?? "";
        var port = service.Port?.Number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? service.Port?.Name ?? "";
        _services.Add($"{ns}/{service.Name}");
        var cacheKey = (ns, service.Name ?? "", port);
        if (!_resolved.TryGetValue(cacheKey, out var resolved))
        {
            resolved = BackendResolver.Resolve(backends, ns, service);
            _resolved[cacheKey] = resolved;
            if (resolved.Problem is not null)
            {
                _problems.Add($"Ingress \"{Key(ingress)}\": {resolved.Problem}; answering 503");
            }
        }

        return resolved;
    }

    private void AddTls(Ingress ingress)
    {
        var tls = ingress.Spec?.Tls;
        if (tls is not { Count: > 0 })
        {
            return;
        }

        var ns = ingress.Metadata?.Namespace ?? "";
        foreach (var rule in ingress.Spec?.Rules ?? [])
        {
            if (string.IsNullOrEmpty(rule.Host) || !_servers.TryGetValue(rule.Host, out var server) || server.TlsDecided)
            {
                continue;
            }

            var host = rule.Host;
            var listed = tls.FirstOrDefault(t => t.Hosts?.Any(h => string.Equals(h, host, StringComparison.OrdinalIgnoreCase)) == true);
            if (listed is not null)
            {
                server.TlsDecided = true;
                server.Tls = true;
                if (string.IsNullOrEmpty(listed.SecretName))
                {
                    continue;
                }

                _secrets.Add($"{ns}/{listed.SecretName}");
                var certificate = certificates.Find(ns, listed.SecretName, out var problem);
                if (certificate is null)
                {
                    _problems.Add($"Ingress \"{Key(ingress)}\": TLS Secret \"{ns}/{listed.SecretName}\": {problem}; using the default certificate for \"{host}\"");
                }
                else if (!certificate.Covers(host))
                {
                    _problems.Add($"Ingress \"{Key(ingress)}\": the certificate of TLS Secret \"{ns}/{listed.SecretName}\" is not valid for \"{host}\"; using the default certificate");
                }
                else
                {
                    server.Certificate = certificate;
                }

                continue;
            }

            // Not listed: a TLS Secret of this Ingress whose certificate covers the host still serves it (ingress-nginx).
            foreach (var entry in tls.Where(t => !string.IsNullOrEmpty(t.SecretName)))
            {
                _secrets.Add($"{ns}/{entry.SecretName}");
                if (certificates.Find(ns, entry.SecretName!, out _) is { } certificate && certificate.Covers(host))
                {
                    server.TlsDecided = true;
                    server.Tls = true;
                        server.Certificate = certificate;
                    break;
                }
            }
        }
    }

    private NginxServer Finish(ServerDraft server)
    {
        var locations = server.Locations.Values
            .Select(d => server.Tls && d.Owner is not null && IngressAnnotations.WantsSslRedirect(d.Owner)
                ? d.Location with { SslRedirect = true }
                : d.Location)
            // Longest first, as ingress-nginx orders them (nginx itself does not care), with the exact and prefix
            // locations of one Prefix path side by side.
            .OrderByDescending(l => l.Path.TrimEnd('/').Length)
            .ThenBy(l => l.Path.TrimEnd('/'), StringComparer.Ordinal)
            .ThenBy(l => l.Match)
            .ToList();
        return new NginxServer(server.Host, server.Certificate ?? certificates.Default, server.Tls, locations);
    }

    private sealed class ServerDraft(string host)
    {
        public string Host { get; } = host;

        public Dictionary<(LocationMatch, string), LocationDraft> Locations { get; } = [];

        public bool TlsDecided { get; set; }

        public bool Tls { get; set; }

        public TlsCertificate? Certificate { get; set; }
    }

    private sealed record LocationDraft(NginxLocation Location, Ingress? Owner, bool IsDefault);
}
