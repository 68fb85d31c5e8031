using System.Text;

namespace Korral.Kubelet.Volumes;

/// <summary>
/// subPathExpr expansion: $(VAR) from the container's resolved environment, $$ for a literal $, anything else kept as
/// written (Kubernetes' expansion rules); unlike command expansion, a variable that is unset or empty is an error.
/// </summary>
internal static class SubPathExpansion
{
    /// <exception cref="ContainerMountException">Variables are unset or empty ("missing value for A, B").</exception>
    public static string Expand(string expression, IReadOnlyDictionary<string, string> environment)
    {
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        var result = new StringBuilder(expression.Length);
        var i = 0;
        while (i < expression.Length)
        {
            if (expression[i] != '$' || i + 1 >= expression.Length)
            {
                result.Append(expression[i++]);
                continue;
            }

            var next = expression[i + 1];
            if (next == '$')
            {
                result.Append('$');
                i += 2;
            }
            else if (next == '(' && expression.IndexOf(')', i + 2) is var close and >= 0)
            {
                var name = expression[(i + 2)..close];
                if (!environment.TryGetValue(name, out var value) || value.Length == 0)
                {
                    missing.Add(name);
                }

                result.Append(value);
                i = close + 1;
            }
            else
            {
                result.Append('$').Append(next);
                i += 2;
            }
        }

        return missing.Count > 0 ? throw new ContainerMountException("missing value for " + string.Join(", ", missing)) : result.ToString();
    }
}
