namespace Korral.Kubelet.Translation;

/// <summary>
/// The parts of a resolv.conf the kubelet uses, parsed as upstream parses them: nameserver lines accumulate, the last
/// search line wins (trailing dots dropped, "." ignored), the last options line wins; comments and other lines are ignored.
/// </summary>
public sealed record ResolvConf(IReadOnlyList<string> Nameservers, IReadOnlyList<string> Searches, IReadOnlyList<string> Options)
{
    public static ResolvConf Parse(string content)
    {
        var nameservers = new List<string>();
        IReadOnlyList<string> searches = [];
        IReadOnlyList<string> options = [];
        foreach (var line in content.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith('#'))
            {
                continue;
            }

            var fields = trimmed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            switch (fields[0])
            {
                case "nameserver" when fields.Length >= 2:
                    nameservers.Add(fields[1]);
                    break;
                case "search":
                    searches = fields.Skip(1).Where(s => s != ".").Select(s => s.EndsWith('.') ? s[..^1] : s).ToList();
                    break;
                case "options":
                    options = fields.Skip(1).ToList();
                    break;
            }
        }

        return new ResolvConf(nameservers, searches, options);
    }
}
