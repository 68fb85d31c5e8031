using System.Text.Json.Nodes;
using Korral.Api.Defaulting;
using Korral.Api.Validation.Kinds.Apps;
using Korral.Api.Validation.Kinds.Batch;

namespace Korral.Api.Tests.Validation.Kinds;

public class WorkloadValidatorTests
{
    private static readonly DeploymentValidator Deployments = new();

    public static TheoryData<string, Action<JsonObject>, string[]> DeploymentCases => new()
    {
        { "valid", _ => { }, [] },
        {
            "selector does not match",
            d => d.Spec()["template"]!["metadata"]!["labels"]!["app"] = "api",
            ["spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"api\"}: `selector` does not match template `labels`"]
        },
        {
            "selector missing",
            d => d.Spec().Remove("selector"),
            [
                "spec.selector: Required value",
                "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`",
            ]
        },
        {
            "empty selector",
            d => d.Spec()["selector"] = new JsonObject(),
            ["spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"]
        },
        {
            "negative replicas",
            d => d.Spec()["replicas"] = -1,
            ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"]
        },
        {
            "template restart policy",
            d => d.Spec()["template"]!["spec"]!["restartPolicy"] = "Never",
            ["spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""]
        },
        {
            "strategy type",
            d => d.Spec()["strategy"] = JsonNode.Parse("""{"type":"BlueGreen"}"""),
            ["spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:\"BlueGreen\", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: \"Recreate\", \"RollingUpdate\""]
        },
        {
            "both surge and unavailable zero",
            d => d.Spec()["strategy"] = JsonNode.Parse("""{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":0,"maxSurge":"0%"}}"""),
            ["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: may not be 0 when `maxSurge` is 0"]
        },
        {
            "over 100 percent",
            d => d.Spec()["strategy"]!["rollingUpdate"]!["maxUnavailable"] = "120%",
            ["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"120%\"}: must not be greater than 100%"]
        },
        {
            "progress deadline",
            d => d.Spec()["minReadySeconds"] = 600,
            ["spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds"]
        },
    };

    [Theory]
    [MemberData(nameof(DeploymentCases))]
    public void DeploymentCreate(string name, Action<JsonObject> edit, string[] expected)
    {
        _ = name;
        Assert.Equal(expected, Deployments.ValidateCreate(TestObjects.Deployment().With(edit)).Select(e => e.ToString()));
    }

    [Fact]
    public void DeploymentSelectorIsImmutable()
    {
        var old = TestObjects.Deployment();
        var changed = TestObjects.Deployment().With(d =>
        {
            d.Spec()["selector"]!["matchLabels"]!["app"] = "web2";
            d.Spec()["template"]!["metadata"]!["labels"]!["app"] = "web2";
        });
        Assert.Equal(
            ["spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"],
            Deployments.ValidateUpdate(changed, old).Select(e => e.ToString()));
        Assert.Empty(Deployments.ValidateUpdate(TestObjects.Deployment().With(d => d.Spec()["replicas"] = 5), old));
    }

    private static JsonObject StatefulSet() => TestObjects.Defaulted("apps", "StatefulSet", """
        {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"database-statefulset","namespace":"default"},
         "spec":{"serviceName":"database","replicas":1,"selector":{"matchLabels":{"app":"database"}},
                 "template":{"metadata":{"labels":{"app":"database"}},"spec":{"containers":[{"name":"database","image":"redis:latest",
                   "volumeMounts":[{"name":"database-data","mountPath":"/data"}]}]}},
                 "volumeClaimTemplates":[{"metadata":{"name":"database-data"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}]}}
        """);

    [Fact]
    public void StatefulSetScenarioIsValidAndItsSpecMostlyFixed()
    {
        var validator = new StatefulSetValidator();
        var sts = StatefulSet();
        Assert.Empty(validator.ValidateCreate(sts));
        Assert.Empty(validator.ValidateUpdate(StatefulSet().With(s => s.Spec()["replicas"] = 3), sts));
        Assert.Equal(
            ["spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"],
            validator.ValidateUpdate(StatefulSet().With(s => s.Spec()["serviceName"] = "other"), sts).Select(e => e.ToString()));
        Assert.Equal(
            ["metadata.name: Invalid value: \"db.set\": must not contain dots"],
            validator.ValidateCreate(StatefulSet().With(s => s["metadata"]!["name"] = "db.set")).Select(e => e.ToString()));
        Assert.Equal(
            ["spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'"],
            validator.ValidateCreate(StatefulSet().With(s => s.Spec()["podManagementPolicy"] = "Random")).Select(e => e.ToString()));
    }

    [Fact]
    public void DaemonSetAndReplicaSet()
    {
        var ds = TestObjects.Defaulted("apps", "DaemonSet", """
            {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"agent","namespace":"kube-system"},
             "spec":{"selector":{"matchLabels":{"app":"agent"}},"template":{"metadata":{"labels":{"app":"agent"}},"spec":{"containers":[{"name":"a","image":"busybox"}]}}}}
            """);
        Assert.Empty(new DaemonSetValidator().ValidateCreate(ds));
        ds.Spec()["updateStrategy"]!["rollingUpdate"]!["maxSurge"] = 1;
        Assert.Equal(["spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:\"\"}: may not be set when maxUnavailable is non-zero"],
            new DaemonSetValidator().ValidateCreate(ds).Select(e => e.ToString()));

        var rs = TestObjects.Defaulted("apps", "ReplicaSet", """
            {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-abc","namespace":"default"},
             "spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"a","image":"busybox"}],"activeDeadlineSeconds":5}}}}
            """);
        Assert.Equal(["spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported"],
            new ReplicaSetValidator().ValidateCreate(rs).Select(e => e.ToString()));
    }

    private static JsonObject Job(string restartPolicy = "Never")
    {
        var job = TestObjects.Defaulted("batch", "Job", """
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"pi","namespace":"default","uid":"0d0c1c6e-1111-2222-3333-444455556666"},
             "spec":{"template":{"spec":{"containers":[{"name":"pi","image":"perl"}],"restartPolicy":"RESTART"}}}}
            """.Replace("RESTART", restartPolicy));
        JobDefaults.GenerateSelector(job, "0d0c1c6e-1111-2222-3333-444455556666");
        return job;
    }

    [Fact]
    public void JobRules()
    {
        var validator = new JobValidator();
        Assert.Empty(validator.ValidateCreate(Job()));
        Assert.Equal(["spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""],
            validator.ValidateCreate(Job("Always")).Select(e => e.ToString()));
        Assert.Equal(
            [
                "spec.template.spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
                "spec.template.spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"OnFailure\", \"Never\"",
            ],
            validator.ValidateCreate(Job("Sometimes")).Select(e => e.ToString()));
        Assert.Equal(["spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0"],
            validator.ValidateCreate(Job().With(j => j.Spec()["backoffLimit"] = -1)).Select(e => e.ToString()));

        var noUid = Job().With(j => ((JsonObject)j["metadata"]!).Remove("uid"));
        Assert.Contains("metadata.uid: Required value", validator.ValidateCreate(noUid).Select(e => e.ToString()));

        var old = Job();
        Assert.Empty(validator.ValidateUpdate(Job(), old));
        var changedTemplate = Job().With(j => j.Spec()["template"]!["spec"]!["containers"]![0]!["image"] = "perl:5");
        var error = Assert.Single(validator.ValidateUpdate(changedTemplate, old));
        Assert.Equal("spec.template", error.Field);
        Assert.EndsWith(": field is immutable", error.ToString());
    }

    private static JsonObject CronJob(string schedule) => TestObjects.Defaulted("batch", "CronJob", """
        {"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"hello","namespace":"default"},
         "spec":{"schedule":"SCHEDULE","jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"hello","image":"busybox:1.28","imagePullPolicy":"IfNotPresent","command":["/bin/sh","-c","date; echo Hello from the Kubernetes cluster"]}],"restartPolicy":"OnFailure"}}}}}}
        """.Replace("SCHEDULE", schedule));

    [Theory]
    [InlineData("* * * * *", null)]
    [InlineData("*/5 1-3 * jan-mar mon,wed", null)]
    [InlineData("@hourly", null)]
    [InlineData("@every 1h30m", null)]
    [InlineData("hello", "spec.schedule: Invalid value: \"hello\": expected exactly 5 fields, found 1: [hello]")]
    [InlineData("60 * * * *", "spec.schedule: Invalid value: \"60 * * * *\": end of range (60) above maximum (59): 60")]
    [InlineData("x * * * *", "spec.schedule: Invalid value: \"x * * * *\": failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax")]
    [InlineData("5-1 * * * *", "spec.schedule: Invalid value: \"5-1 * * * *\": beginning of range (5) beyond end of range (1): 5-1")]
    [InlineData("* * 0 * *", "spec.schedule: Invalid value: \"* * 0 * *\": beginning of range (0) below minimum (1): 0")]
    [InlineData("@fortnightly", "spec.schedule: Invalid value: \"@fortnightly\": unrecognized descriptor: @fortnightly")]
    public void CronJobSchedules(string schedule, string? expected)
    {
        var errors = new CronJobValidator().ValidateCreate(CronJob(schedule)).Select(e => e.ToString()).ToList();
        if (expected is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Equal([expected], errors);
        }
    }

    [Fact]
    public void CronJobNameAndTimeZone()
    {
        var validator = new CronJobValidator();
        var longName = CronJob("* * * * *").With(c => c["metadata"]!["name"] = new string('a', 53));
        Assert.Equal([$"metadata.name: Invalid value: \"{new string('a', 53)}\": must be no more than 52 characters"],
            validator.ValidateCreate(longName).Select(e => e.ToString()));
        Assert.Equal(["spec.schedule: Invalid value: \"TZ=UTC * * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead"],
            validator.ValidateCreate(CronJob("TZ=UTC * * * * *")).Select(e => e.ToString()));
        Assert.Equal(["spec.timeZone: Invalid value: \"\": timeZone must be nil or non-empty string"],
            validator.ValidateCreate(CronJob("* * * * *").With(c => c.Spec()["timeZone"] = "")).Select(e => e.ToString()));
        Assert.Equal(["spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\""],
            validator.ValidateCreate(CronJob("* * * * *").With(c => c.Spec()["concurrencyPolicy"] = "Sometimes")).Select(e => e.ToString()));
    }
}
