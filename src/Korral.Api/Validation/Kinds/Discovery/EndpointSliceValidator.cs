using System.Text.Json.Nodes;
using Korral.Api.Validation.Kinds.Core;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Discovery;

/// <summary>EndpointSlices (discovery.k8s.io/v1): address type, endpoints with valid addresses, unique named ports; addressType immutable.</summary>
public sealed class EndpointSliceValidator : ObjectValidator
{
    private const int MaxEndpoints = 1000;
    private const int MaxAddresses = 100;
    private const int MaxPorts = 20000;
    private static readonly string[] AddressTypes = ["FQDN", "IPv4", "IPv6"];
    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];

    public override bool Namespaced => true;

    public override FieldErrorList ValidateCreate(JsonObject obj)
    {
        var errs = Meta(obj);
        var addressType = JsonAccess.Str(obj, "addressType");
        if (addressType.Length == 0)
        {
            errs.Add(FieldError.Required(FieldPath.Root("addressType")));
        }
        else if (!AddressTypes.Contains(addressType))
        {
            errs.Add(FieldError.NotSupported(FieldPath.Root("addressType"), addressType, AddressTypes));
        }

        var endpoints = JsonAccess.Arr(obj, "endpoints") ?? [];
        var ePath = FieldPath.Root("endpoints");
        if (endpoints.Count > MaxEndpoints)
        {
            errs.Add(FieldError.TooMany(ePath, endpoints.Count, MaxEndpoints));
        }

        for (var i = 0; i < endpoints.Count; i++)
        {
            var endpoint = endpoints[i] as JsonObject ?? [];
            var addressPath = ePath.Index(i).Child("addresses");
            var addresses = JsonAccess.StringList(endpoint["addresses"]) ?? [];
            if (addresses.Count == 0)
            {
                errs.Add(FieldError.Required(addressPath, "must contain at least 1 address"));
            }
            else if (addresses.Count > MaxAddresses)
            {
                errs.Add(FieldError.TooMany(addressPath, addresses.Count, MaxAddresses));
            }

            for (var j = 0; j < addresses.Count; j++)
            {
                switch (addressType)
                {
                    case "IPv4":
                        errs.AddRange(FormatRules.Ipv4Address(addressPath.Index(j), addresses[j]));
                        break;
                    case "IPv6":
                        errs.AddRange(FormatRules.Ipv6Address(addressPath.Index(j), addresses[j]));
                        break;
                    case "FQDN":
                        var name = addresses[j].EndsWith('.') ? addresses[j][..^1] : addresses[j];
                        var msgs = NameRules.Dns1123Subdomain(name);
                        if (msgs.Count > 0)
                        {
                            errs.AddRange(msgs.Select(m => FieldError.Invalid(addressPath.Index(j), name, m)));
                        }
                        else if (!name.Contains('.'))
                        {
                            errs.Add(FieldError.Invalid(addressPath.Index(j), name, "should be a domain with at least two segments separated by dots"));
                        }

                        break;
                }
            }

            if (JsonAccess.String(endpoint, "nodeName") is { } nodeName)
            {
                errs.AddRange(NameRules.NameIsDnsSubdomain(nodeName, false).Select(m => FieldError.Invalid(ePath.Index(i).Child("nodeName"), nodeName, m)));
            }

            if (JsonAccess.String(endpoint, "hostname") is { } hostname)
            {
                errs.AddRange(PodSpecRules.Dns1123Label(hostname, ePath.Index(i).Child("hostname")));
            }
        }

        var ports = JsonAccess.Arr(obj, "ports") ?? [];
        var pPath = FieldPath.Root("ports");
        if (ports.Count > MaxPorts)
        {
            errs.Add(FieldError.TooMany(pPath, ports.Count, MaxPorts));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i] as JsonObject ?? [];
            var name = JsonAccess.Str(port, "name");
            if (name.Length > 0)
            {
                errs.AddRange(PodSpecRules.Dns1123Label(name, pPath.Index(i).Child("name")));
            }

            if (!names.Add(name))
            {
                errs.Add(FieldError.Duplicate(pPath.Index(i).Child("name"), name));
            }

            if (JsonAccess.String(port, "protocol") is not { } protocol)
            {
                errs.Add(FieldError.Required(pPath.Index(i).Child("protocol")));
            }
            else if (!Protocols.Contains(protocol))
            {
                errs.Add(FieldError.NotSupported(pPath.Index(i).Child("protocol"), protocol, Protocols));
            }

            if (JsonAccess.String(port, "appProtocol") is { } appProtocol)
            {
                errs.AddRange(PodSpecRules.QualifiedName(appProtocol, pPath.Index(i).Child("appProtocol")));
            }
        }

        return errs;
    }

    public override FieldErrorList ValidateUpdate(JsonObject obj, JsonObject old)
    {
        var errs = ValidateCreate(obj);
        errs.AddRange(MetaUpdate(obj, old));
        errs.AddRange(CommonRules.Immutable(obj["addressType"], old["addressType"], FieldPath.Root("addressType")));
        return errs;
    }
}
