using System.Text.Json.Nodes;
using static Korral.Api.Printing.PrintFormat;
using static Korral.Api.Selectors.JsonRead;

namespace Korral.Api.Printing.Printers;

/// <summary>Jobs (with the STATUS column of recent servers) and CronJobs.</summary>
internal static class BatchPrinters
{
    public static readonly TableColumnDefinition[] JobColumns =
    [
        Col.Name,
        Col.Str("Status", "Complete, Failed, Terminating, Suspended, FailureTarget or Running."),
        Col.Str("Completions", "Succeeded pods out of required completions."),
        Col.Str("Duration", "How long the job ran, or has been running."),
        Col.Age,
        Col.Containers,
        Col.Images,
        Col.Selector("The label selector of the job's pods."),
    ];

    public static readonly TableColumnDefinition[] CronJobColumns =
    [
        Col.Name,
        Col.Str("Schedule", "The cron schedule."),
        Col.Str("Timezone", "The time zone of the schedule."),
        Col.Bool("Suspend", "Whether new runs are suspended."),
        Col.Int("Active", "Jobs currently running."),
        Col.Str("Last Schedule", "Time since a job was last scheduled."),
        Col.Age,
        Col.Containers,
        Col.Images,
        Col.Selector("The label selector of the jobs' pods."),
    ];

    public static object?[] Job(JsonObject obj, DateTimeOffset now)
    {
        var spec = Obj(obj, "spec");
        var status = Obj(obj, "status");
        var succeeded = Int(status, "succeeded");

        string completions;
        if (IntOrNull(spec, "completions") is { } required)
        {
            completions = Itoa(succeeded) + "/" + Itoa(required);
        }
        else
        {
            var parallelism = Int(spec, "parallelism");
            completions = parallelism > 1 ? Itoa(succeeded) + "/1 of " + Itoa(parallelism) : Itoa(succeeded) + "/1";
        }

        var duration = "";
        if (Time(status, "startTime") is { } start)
        {
            duration = Time(status, "completionTime") is { } end ? HumanDuration.Format(end - start) : HumanDuration.Since(start, now);
        }

        var conditions = Arr(status, "conditions");
        string state;
        if (ConditionTrue(conditions, "Complete"))
        {
            state = "Complete";
        }
        else if (ConditionTrue(conditions, "Failed"))
        {
            state = "Failed";
        }
        else if (Deleting(obj))
        {
            state = "Terminating";
        }
        else if (ConditionTrue(conditions, "Suspended"))
        {
            state = "Suspended";
        }
        else if (ConditionTrue(conditions, "FailureTarget"))
        {
            state = "FailureTarget";
        }
        else
        {
            state = "Running";
        }

        var (names, images) = Containers(TemplateSpec(spec));
        return [Name(obj), state, completions, duration, Age(obj, now), names, images, LabelSelector(spec?["selector"])];
    }

    public static object?[] CronJob(JsonObject obj, DateTimeOffset now)
    {
        var spec = Obj(obj, "spec");
        var status = Obj(obj, "status");
        var lastSchedule = Has(status, "lastScheduleTime") ? Since(status, "lastScheduleTime", now) : "<none>";
        var timeZone = StrOrNull(spec, "timeZone") ?? "<none>";
        var suspend = BoolOrNull(spec, "suspend") switch
        {
            true => "True",
            false => "False",
            null => "<unset>",
        };

        var jobSpec = Obj(Obj(spec, "jobTemplate"), "spec");
        var (names, images) = Containers(TemplateSpec(jobSpec));
        return
        [
            Name(obj),
            Str(spec, "schedule"),
            timeZone,
            suspend,
            Int(Arr(status, "active")?.Count ?? 0),
            lastSchedule,
            Age(obj, now),
            names,
            images,
            LabelSelector(jobSpec?["selector"]),
        ];
    }

    // The first condition of the type decides, as upstream's hasJobCondition.
    private static bool ConditionTrue(JsonArray? conditions, string type) =>
        Condition(conditions, type) is { } c && StrIs(c, "status", "True");
}
