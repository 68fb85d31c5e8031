using Korral.Bench.Kubelet.Scenarios;

namespace Korral.Bench.Kubelet.Reporting;

/// <summary>Everything one run measured, for the Markdown table and the JSON file.</summary>
public sealed record BenchReport(PodStartupOptions Options, MachineInfo Machine, DateTimeOffset StartedAt, int ServerReadyMs, string RunDir,
    IReadOnlyList<ScenarioResult> Scenarios, IReadOnlyList<string> Problems);
