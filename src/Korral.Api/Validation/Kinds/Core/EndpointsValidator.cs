using System.Text.Json.Nodes;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Core;

/// <summary>Endpoints (v1): every subset has addresses (valid, non-special IPs) and well-formed ports.</summary>
public sealed class EndpointsValidator : ObjectValidator
{
    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];

    public override bool Namespaced => true;

    public override FieldErrorList ValidateCreate(JsonObject obj)
    {
        var errs = Meta(obj);
        foreach (var (i, subset) in JsonAccess.Items(obj, "subsets"))
        {
            var sPath = FieldPath.Root("subsets").Index(i);
            if (JsonAccess.Count(subset, "addresses") == 0 && JsonAccess.Count(subset, "notReadyAddresses") == 0)
            {
                errs.Add(FieldError.Required(sPath, "must specify `addresses` or `notReadyAddresses`"));
            }

            foreach (var list in new[] { "addresses", "notReadyAddresses" })
            {
                foreach (var (j, address) in JsonAccess.Items(subset, list))
                {
                    errs.AddRange(ValidateAddress(address, sPath.Child(list).Index(j)));
                }
            }

            var ports = JsonAccess.Arr(subset, "ports") ?? [];
            for (var j = 0; j < ports.Count; j++)
            {
                errs.AddRange(ValidatePort(ports[j] as JsonObject ?? [], ports.Count > 1, sPath.Child("ports").Index(j)));
            }
        }

        return errs;
    }

    public override FieldErrorList ValidateUpdate(JsonObject obj, JsonObject old)
    {
        var errs = MetaUpdate(obj, old);
        errs.AddRange(ValidateCreate(obj));
        return errs;
    }

    private static FieldErrorList ValidateAddress(JsonObject address, FieldPath path)
    {
        var ip = JsonAccess.Str(address, "ip");
        var errs = FormatRules.IpAddress(path.Child("ip"), ip);
        var hostname = JsonAccess.Str(address, "hostname");
        if (hostname.Length > 0)
        {
            errs.AddRange(PodSpecRules.Dns1123Label(hostname, path.Child("hostname")));
        }

        if (JsonAccess.String(address, "nodeName") is { } nodeName)
        {
            errs.AddRange(NameRules.NameIsDnsSubdomain(nodeName, false).Select(m => FieldError.Invalid(path.Child("nodeName"), nodeName, m)));
        }

        errs.AddRange(ServiceValidator.ValidateNonSpecialIP(ip, path.Child("ip")));
        return errs;
    }

    private static FieldErrorList ValidatePort(JsonObject port, bool requireName, FieldPath path)
    {
        var errs = new FieldErrorList();
        var name = JsonAccess.Str(port, "name");
        if (requireName && name.Length == 0)
        {
            errs.Add(FieldError.Required(path.Child("name")));
        }
        else if (name.Length != 0)
        {
            errs.AddRange(PodSpecRules.Dns1123Label(name, path.Child("name")));
        }

        var number = JsonAccess.Long(port, "port") ?? 0;
        errs.AddRange(FormatRules.PortNumber(number).Select(m => FieldError.Invalid(path.Child("port"), number, m)));
        var protocol = JsonAccess.Str(port, "protocol");
        if (protocol.Length == 0)
        {
            errs.Add(FieldError.Required(path.Child("protocol")));
        }
        else if (!Protocols.Contains(protocol))
        {
            errs.Add(FieldError.NotSupported(path.Child("protocol"), protocol, Protocols));
        }

        if (JsonAccess.String(port, "appProtocol") is { } appProtocol)
        {
            errs.AddRange(PodSpecRules.QualifiedName(appProtocol, path.Child("appProtocol")));
        }

        return errs;
    }
}
