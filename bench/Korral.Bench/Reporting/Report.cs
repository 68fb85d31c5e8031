using System.Globalization;
using System.Text;
using Korral.Bench.Measurement;

namespace Korral.Bench.Reporting;

/// <summary>
/// The results of one benchmark run: machine facts, a table of figures with the team's targets, server problems seen
/// along the way, and notes. Rendered as Markdown so it can go into docs/benchmarks.md as is.
/// </summary>
public sealed class Report
{
    private readonly List<(string Name, string Value)> _facts = [];
    private readonly List<ResultRow> _rows = [];
    private readonly List<string> _problems = [];
    private readonly List<string> _notes = [];
    private readonly List<(string Name, TimeSpan Elapsed, CpuShares Cpu)> _phases = [];

    /// <summary>Set when the run stopped early: the report holds what was measured until then.</summary>
    public bool Failed { get; set; }

    public void Fact(string name, string value) => _facts.Add((name, value));

    public void Row(ResultRow row) => _rows.Add(row);

    /// <summary>Something the server did wrong (an error, a crash, a missing event): reported, never worked around.</summary>
    public void Problem(string text)
    {
        if (!_problems.Contains(text))
        {
            _problems.Add(text);
        }
    }

    public void Note(string text) => _notes.Add(text);

    /// <summary>How long a phase took and who used the CPU meanwhile (the other processes' share flags a noisy figure).</summary>
    public void Phase(string name, TimeSpan elapsed, CpuShares cpu) => _phases.Add((name, elapsed, cpu));

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine("## Machine").AppendLine();
        foreach (var (name, value) in _facts)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- **{name}**: {value}");
        }

        md.AppendLine().AppendLine("## Results").AppendLine();
        md.AppendLine("| Measurement | Result | Target | Verdict |");
        md.AppendLine("|---|---|---|---|");
        foreach (var row in _rows)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {row.Measurement} | {row.Result} | {row.Target ?? "—"} | {row.Verdict ?? ""} |");
        }

        if (_phases.Count > 0)
        {
            md.AppendLine().AppendLine("## CPU use per phase (percent of all cores)").AppendLine();
            md.AppendLine("| Phase | Time | Server | Client | Other processes |");
            md.AppendLine("|---|---|---|---|---|");
            foreach (var (name, elapsed, cpu) in _phases)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {Format.Duration(elapsed)} | {cpu.Server:0} % | {cpu.Client:0} % | {cpu.Others:0} % |");
            }
        }

        if (_problems.Count > 0)
        {
            md.AppendLine().AppendLine("## Server problems seen").AppendLine();
            foreach (var problem in _problems)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {problem}");
            }
        }

        if (_notes.Count > 0)
        {
            md.AppendLine().AppendLine("## Notes").AppendLine();
            foreach (var note in _notes)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
            }
        }

        return md.ToString();
    }
}
