using Korral.Api.Models.PolicyV1;
using Korral.Scheduler.Plugins.DefaultPreemption;
using static Korral.Scheduler.Tests.Plugins.DefaultPreemption.PreemptionObjects;

namespace Korral.Scheduler.Tests.Plugins.DefaultPreemption;

public sealed class DisruptionBudgetsTests
{
    [Theory]
    [InlineData("one disruption allowed: the second pod breaks it", "allowed1", "a1 a2", "a2")]
    [InlineData("budget of another namespace", "other-namespace", "a1", "")]
    [InlineData("pods the budget already counts as disrupted spend nothing", "allowed0-a1-disrupted", "a1 a2", "a2")]
    [InlineData("an empty selector protects nothing", "empty-selector", "a1", "")]
    [InlineData("no selector protects nothing", "no-selector", "a1", "")]
    [InlineData("pods without labels match no budget", "allowed0", "unlabelled", "")]
    [InlineData("one exhausted budget among several is enough", "allowed1 allowed0", "a1", "a1")]
    public void Splits_victims_by_whether_evicting_them_breaks_a_budget(string why, string budgets, string pods, string expectedViolating)
    {
        _ = why;
        var compiled = DisruptionBudgets.From(budgets.Split(' ').Select(BudgetFor));
        var victims = pods.Split(' ').Select(name => name == "unlabelled" ? Pod(name, 1) : Pod(name, 1, configure: Labelled("app", "a"))).ToList();

        var (violating, nonViolating) = compiled.Split(victims);

        Assert.Equal(expectedViolating, string.Join(' ', violating.Select(p => p.Name)));
        Assert.Equal(victims.Count, violating.Count + nonViolating.Count);
        Assert.Equal(victims.Where(v => !violating.Contains(v)), nonViolating);
    }

    private static PodDisruptionBudget BudgetFor(string kind) => kind switch
    {
        "allowed1" => Budget("b1", "a", 1),
        "allowed0" => Budget("b0", "a", 0),
        "other-namespace" => Budget("b", "a", 0, ns: "other"),
        "allowed0-a1-disrupted" => Budget("b", "a", 0, disruptedPods: "a1"),
        "empty-selector" => WithSelector(Budget("b", "a", 0), new Api.Models.MetaV1.LabelSelector()),
        _ => WithSelector(Budget("b", "a", 0), null),
    };

    private static PodDisruptionBudget WithSelector(PodDisruptionBudget budget, Api.Models.MetaV1.LabelSelector? selector)
    {
        budget.Spec!.Selector = selector;
        return budget;
    }
}
