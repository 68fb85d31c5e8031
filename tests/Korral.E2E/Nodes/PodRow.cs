using System.Text.RegularExpressions;

namespace Korral.E2E.Nodes;

/// <summary>
/// One line of `kubectl get pods -w --output-watch-events`: EVENT NAME READY STATUS RESTARTS AGE, where RESTARTS may read
/// "2 (5s ago)".
/// </summary>
public sealed record PodRow(string Event, string Name, string Ready, string Status, int Restarts)
{
    /// <summary>The row of a printed line, or null for the header and anything else that is not a pod row.</summary>
    public static PodRow? Parse(string line) =>
        Regex.Split(line.Trim(), @"\s+") switch
        {
            [var ev and ("ADDED" or "MODIFIED" or "DELETED"), var name, var ready, var status, var restarts, ..]
                when int.TryParse(restarts, System.Globalization.CultureInfo.InvariantCulture, out var count) =>
                new PodRow(ev, name, ready, status, count),
            _ => null,
        };

    public override string ToString() => $"{Event} {Name} {Ready} {Status} {Restarts}";
}
