using System.Text;

namespace Korral.Kubelet.Translation;

/// <summary>
/// The kubelet's <c>$(VAR)</c> expansion (env values, command and args): <c>$(NAME)</c> becomes the variable's value,
/// an unknown <c>$(NAME)</c> is left as written, <c>$$</c> is an escaped <c>$</c>, and any other <c>$</c> (including an
/// unterminated <c>$(</c> or a trailing <c>$</c>) is kept literally.
/// </summary>
public static class VariableExpansion
{
    /// <summary>Expands <paramref name="input"/>, looking names up in <paramref name="sources"/> in order.</summary>
    public static string Expand(string input, params IReadOnlyDictionary<string, string>[] sources) =>
        Expand(input, name =>
        {
            foreach (var source in sources)
            {
                if (source.TryGetValue(name, out var value))
                {
                    return value;
                }
            }

            return null;
        });

    /// <summary>Expands <paramref name="input"/>; <paramref name="lookup"/> returns null for an unknown name.</summary>
    public static string Expand(string input, Func<string, string?> lookup)
    {
        if (!input.Contains('$', StringComparison.Ordinal))
        {
            return input;
        }

        var output = new StringBuilder(input.Length);
        var checkpoint = 0;
        for (var cursor = 0; cursor < input.Length; cursor++)
        {
            if (input[cursor] != '$' || cursor + 1 >= input.Length)
            {
                continue;
            }

            output.Append(input, checkpoint, cursor - checkpoint);
            var next = input[cursor + 1];
            var advance = 1;
            if (next == '$')
            {
                output.Append('$');
            }
            else if (next == '(')
            {
                var close = input.IndexOf(')', cursor + 2);
                if (close < 0)
                {
                    // Unterminated reference: keep "$(" and go on scanning after it.
                    output.Append("$(");
                }
                else
                {
                    var name = input.Substring(cursor + 2, close - cursor - 2);
                    output.Append(lookup(name) ?? "$(" + name + ")");
                    advance = close - cursor;
                }
            }
            else
            {
                output.Append('$').Append(next);
            }

            cursor += advance;
            checkpoint = cursor + 1;
        }

        output.Append(input, checkpoint, input.Length - checkpoint);
        return output.ToString();
    }
}
