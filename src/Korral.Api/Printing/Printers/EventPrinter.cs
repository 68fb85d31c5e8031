using System.Text.Json.Nodes;
using static Korral.Api.Printing.PrintFormat;
using static Korral.Api.Selectors.JsonRead;

namespace Korral.Api.Printing.Printers;

/// <summary>
/// Events, for both core/v1 and events.k8s.io/v1 objects (one resource upstream, two spellings: involvedObject or
/// regarding, message or note, firstTimestamp or deprecatedFirstTimestamp…). There is no NAME column by default.
/// </summary>
internal static class EventPrinter
{
    public static readonly TableColumnDefinition[] Columns =
    [
        Col.Str("Last Seen", "Time since the event was last observed."),
        Col.Str("Type", "Normal or Warning."),
        Col.Str("Reason", "A short machine-readable reason."),
        Col.Str("Object", "The object the event is about, as kind/name."),
        Col.Str("Subobject", "The part of the object, e.g. a container.", 1),
        Col.Str("Source", "The component (and host) that reported the event.", 1),
        Col.Str("Message", "A human-readable description."),
        Col.Str("First Seen", "Time since the event was first observed.", 1),
        Col.Str("Count", "How often the event occurred.", 1),
        new TableColumnDefinition("Name", "string", "name", "Name must be unique within a namespace.", 1),
    ];

    public static object?[] Cells(JsonObject obj, DateTimeOffset now)
    {
        var regarding = Obj(obj, "involvedObject") ?? Obj(obj, "regarding");

        var first = Time(obj, "firstTimestamp") ?? Time(obj, "deprecatedFirstTimestamp");
        var firstSeen = first is { } f ? HumanDuration.Since(f, now) : HumanDuration.Since(Time(obj, "eventTime"), now);

        var last = Time(obj, "lastTimestamp") ?? Time(obj, "deprecatedLastTimestamp");
        var lastSeen = last is { } l ? HumanDuration.Since(l, now) : firstSeen;

        var count = IntOrNull(obj, "count") ?? Int(obj, "deprecatedCount");
        if (Obj(obj, "series") is { } series)
        {
            lastSeen = HumanDuration.Since(Time(series, "lastObservedTime"), now);
            count = Int(series, "count");
        }
        else if (count == 0)
        {
            count = 1; // Singleton events of the new API carry no count.
        }

        var kind = Str(regarding, "kind").ToLowerInvariant();
        var name = Str(regarding, "name");
        var target = name.Length > 0 ? kind + "/" + name : kind;

        var source = Obj(obj, "source") ?? Obj(obj, "deprecatedSource");
        var component = FirstNonEmpty(Str(source, "component"), StrOrNull(obj, "reportingComponent") ?? Str(obj, "reportingController"));
        var host = FirstNonEmpty(Str(source, "host"), Str(obj, "reportingInstance"));
        var sourceText = host.Length == 0 ? component : component + ", " + host;

        var message = (StrOrNull(obj, "message") ?? Str(obj, "note")).Trim();
        return
        [
            lastSeen,
            Str(obj, "type"),
            Str(obj, "reason"),
            target,
            Str(regarding, "fieldPath"),
            sourceText,
            message,
            firstSeen,
            Int(count),
            Name(obj),
        ];
    }
}
