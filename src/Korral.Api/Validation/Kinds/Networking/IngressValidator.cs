using System.Text.Json.Nodes;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Networking;

/// <summary>Ingresses (networking.k8s.io/v1): a default backend or rules; hosts, paths and path types, backends, TLS hosts.</summary>
public sealed class IngressValidator : ObjectValidator
{
    private static readonly string[] PathTypes = ["Exact", "ImplementationSpecific", "Prefix"];
    private static readonly string[] InvalidPathSequences = ["//", "/./", "/../", "%2f", "%2F"];
    private static readonly string[] InvalidPathSuffixes = ["/..", "/."];

    public override bool Namespaced => true;

    public override FieldErrorList ValidateCreate(JsonObject obj)
    {
        var errs = Meta(obj);
        errs.AddRange(ValidateSpec(Spec(obj)));
        return errs;
    }

    public override FieldErrorList ValidateUpdate(JsonObject obj, JsonObject old)
    {
        var errs = MetaUpdate(obj, old);
        errs.AddRange(ValidateSpec(Spec(obj)));
        return errs;
    }

    public override FieldErrorList ValidateStatusUpdate(JsonObject obj, JsonObject old)
    {
        var errs = MetaUpdate(obj, old);
        var path = FieldPath.Root("status", "loadBalancer", "ingress");
        foreach (var (i, ingress) in JsonAccess.Items(JsonAccess.Obj(JsonAccess.Obj(obj, "status"), "loadBalancer"), "ingress"))
        {
            var ip = JsonAccess.Str(ingress, "ip");
            if (ip.Length > 0)
            {
                errs.AddRange(FormatRules.IpAddress(path.Index(i).Child("ip"), ip));
            }

            var hostname = JsonAccess.Str(ingress, "hostname");
            if (hostname.Length > 0)
            {
                errs.AddRange(NameRules.Dns1123Subdomain(hostname).Select(m => FieldError.Invalid(path.Index(i).Child("hostname"), hostname, m)));
                if (FormatRules.ParseIp(hostname) is not null)
                {
                    errs.Add(FieldError.Invalid(path.Index(i).Child("hostname"), hostname, "must be a DNS name, not an IP address"));
                }
            }
        }

        return errs;
    }

    private static FieldErrorList ValidateSpec(JsonObject spec)
    {
        var errs = new FieldErrorList();
        var rules = JsonAccess.Arr(spec, "rules");
        if (JsonAccess.Obj(spec, "defaultBackend") is { } backend)
        {
            errs.AddRange(ValidateBackend(backend, SpecPath.Child("defaultBackend")));
        }
        else if (rules is null || rules.Count == 0)
        {
            errs.Add(FieldError.Invalid(SpecPath.Child("rules"), rules ?? (object)new GoLiteral("[]networking.IngressRule(nil)"),
                "either `defaultBackend` or `rules` must be specified"));
        }

        for (var i = 0; i < (rules?.Count ?? 0); i++)
        {
            var rule = rules![i] as JsonObject ?? [];
            var rPath = SpecPath.Child("rules").Index(i);
            var host = JsonAccess.Str(rule, "host");
            if (host.Length > 0)
            {
                errs.AddRange(ValidateHost(host, rPath.Child("host")));
            }

            if (JsonAccess.Obj(rule, "http") is { } http)
            {
                var hPath = rPath.Child("http");
                var paths = JsonAccess.Arr(http, "paths");
                if (paths is null || paths.Count == 0)
                {
                    errs.Add(FieldError.Required(hPath.Child("paths")));
                }

                for (var j = 0; j < (paths?.Count ?? 0); j++)
                {
                    errs.AddRange(ValidatePath(paths![j] as JsonObject ?? [], hPath.Child("paths").Index(j)));
                }
            }
        }

        foreach (var (i, tls) in JsonAccess.Items(spec, "tls"))
        {
            var hosts = JsonAccess.StringList(tls["hosts"]) ?? [];
            for (var j = 0; j < hosts.Count; j++)
            {
                var host = hosts[j];
                var hPath = SpecPath.Child("tls").Index(i).Child("hosts").Index(j);
                var msgs = host.StartsWith("*.", StringComparison.Ordinal) ? NameRules.WildcardDns1123Subdomain(host) : NameRules.Dns1123Subdomain(host);
                errs.AddRange(msgs.Select(m => FieldError.Invalid(hPath, host, m)));
            }
        }

        if (JsonAccess.String(spec, "ingressClassName") is { } className)
        {
            errs.AddRange(NameRules.NameIsDnsSubdomain(className, false).Select(m => FieldError.Invalid(SpecPath.Child("ingressClassName"), className, m)));
        }

        return errs;
    }

    private static FieldErrorList ValidateHost(string host, FieldPath path)
    {
        if (FormatRules.ParseIp(host) is not null)
        {
            return [FieldError.Invalid(path, host, "must be a DNS name, not an IP address")];
        }

        var msgs = host.StartsWith("*.", StringComparison.Ordinal) ? NameRules.WildcardDns1123Subdomain(host) : NameRules.Dns1123Subdomain(host);
        return new FieldErrorList(msgs.Select(m => FieldError.Invalid(path, host, m)));
    }

    private static FieldErrorList ValidatePath(JsonObject httpPath, FieldPath path)
    {
        var errs = new FieldErrorList();
        var p = JsonAccess.Str(httpPath, "path");
        if (JsonAccess.String(httpPath, "pathType") is not { } pathType)
        {
            errs.Add(FieldError.Required(path.Child("pathType"), "pathType must be specified"));
            return errs;
        }

        switch (pathType)
        {
            case "Exact" or "Prefix":
                if (!p.StartsWith('/'))
                {
                    errs.Add(FieldError.Invalid(path.Child("path"), p, "must be an absolute path"));
                }

                if (p.Length > 0)
                {
                    foreach (var seq in InvalidPathSequences)
                    {
                        if (p.Contains(seq, StringComparison.Ordinal))
                        {
                            errs.Add(FieldError.Invalid(path.Child("path"), p, $"must not contain '{seq}'"));
                        }
                    }

                    foreach (var suffix in InvalidPathSuffixes)
                    {
                        if (p.EndsWith(suffix, StringComparison.Ordinal))
                        {
                            errs.Add(FieldError.Invalid(path.Child("path"), p, $"cannot end with '{suffix}'"));
                        }
                    }
                }

                break;
            case "ImplementationSpecific":
                if (p.Length > 0 && !p.StartsWith('/'))
                {
                    errs.Add(FieldError.Invalid(path.Child("path"), p, "must be an absolute path"));
                }

                break;
            default:
                errs.Add(FieldError.NotSupported(path.Child("pathType"), pathType, PathTypes));
                break;
        }

        errs.AddRange(ValidateBackend(JsonAccess.Obj(httpPath, "backend") ?? [], path.Child("backend")));
        return errs;
    }

    private static FieldErrorList ValidateBackend(JsonObject backend, FieldPath path)
    {
        var errs = new FieldErrorList();
        var service = JsonAccess.Obj(backend, "service");
        var resource = JsonAccess.Obj(backend, "resource");
        if (service is not null && resource is not null)
        {
            errs.Add(FieldError.Invalid(path, "", "cannot set both resource and service backends"));
            return errs;
        }

        if (resource is not null)
        {
            if (JsonAccess.Str(resource, "kind").Length == 0)
            {
                errs.Add(FieldError.Required(path.Child("resource", "kind")));
            }

            if (JsonAccess.Str(resource, "name").Length == 0)
            {
                errs.Add(FieldError.Required(path.Child("resource", "name")));
            }

            return errs;
        }

        if (service is null)
        {
            errs.Add(FieldError.Required(path, "resource or service backend is required"));
            return errs;
        }

        var name = JsonAccess.Str(service, "name");
        if (name.Length == 0)
        {
            errs.Add(FieldError.Required(path.Child("service", "name")));
        }
        else
        {
            errs.AddRange(NameRules.NameIsDns1035Label(name, false).Select(m => FieldError.Invalid(path.Child("service", "name"), name, m)));
        }

        var port = JsonAccess.Obj(service, "port") ?? [];
        var portName = JsonAccess.Str(port, "name");
        var portNumber = JsonAccess.Long(port, "number") ?? 0;
        if (portName.Length > 0 && portNumber != 0)
        {
            errs.Add(FieldError.Invalid(path.Child("service", "port"), new GoLiteral(
                $"networking.ServiceBackendPort{{Name:{GoSyntax.Quote(portName)}, Number:{portNumber}}}"), "cannot set both port name & port number"));
        }
        else if (portName.Length > 0)
        {
            errs.AddRange(FormatRules.PortName(portName).Select(m => FieldError.Invalid(path.Child("service", "port", "name"), portName, m)));
        }
        else if (portNumber != 0)
        {
            errs.AddRange(FormatRules.PortNumber(portNumber).Select(m => FieldError.Invalid(path.Child("service", "port", "number"), portNumber, m)));
        }
        else
        {
            errs.Add(FieldError.Required(path.Child("service", "port"), "port name or number is required"));
        }

        return errs;
    }
}
