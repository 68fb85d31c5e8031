namespace Korral.Api.Selectors;

/// <summary>
/// Parser for the label selector query syntax (<c>a=b,c in (d,e),!f</c>). It follows upstream's grammar, token
/// rules and error texts: a lexer that knows <c>= == != ! ( ) , &gt; &lt;</c> and the keywords <c>in</c>/<c>notin</c>
/// (which are plain identifiers where a value is expected), then a recursive-descent pass over the tokens.
/// </summary>
internal static class LabelSelectorParser
{
    private const string BinaryOperators = "in, notin, =, ==, !=, gt, lt";

    public static bool TryParse(string text, out List<LabelRequirement> requirements, out string? error)
    {
        var tokens = Lex(text);
        var parser = new Cursor(tokens);
        requirements = [];
        while (true)
        {
            var (tok, lit) = parser.Peek(values: true);
            switch (tok)
            {
                case Token.Identifier or Token.DoesNotExist:
                    if (!TryParseRequirement(ref parser, out var requirement, out error))
                    {
                        error = "unable to parse requirement: " + error;
                        return false;
                    }

                    requirements.Add(requirement!);
                    var (next, nextLit) = parser.Next(values: true);
                    switch (next)
                    {
                        case Token.EndOfString:
                            return true;
                        case Token.Comma:
                            var (after, afterLit) = parser.Peek(values: true);
                            if (after is not (Token.Identifier or Token.DoesNotExist))
                            {
                                error = $"found '{afterLit}', expected: identifier after ','";
                                return false;
                            }

                            break;
                        default:
                            error = $"found '{nextLit}', expected: ',' or 'end of string'";
                            return false;
                    }

                    break;
                case Token.EndOfString:
                    error = null;
                    return true;
                default:
                    error = $"found '{lit}', expected: !, identifier, or 'end of string'";
                    return false;
            }
        }
    }

    private static bool TryParseRequirement(ref Cursor parser, out LabelRequirement? requirement, out string? error)
    {
        requirement = null;

        // Key, with an optional leading '!' and an inferred Exists when nothing follows the key.
        LabelSelectorOperator? op = null;
        var (tok, key) = parser.Next(values: true);
        if (tok == Token.DoesNotExist)
        {
            op = LabelSelectorOperator.DoesNotExist;
            (tok, key) = parser.Next(values: true);
        }

        if (tok != Token.Identifier)
        {
            error = $"found '{key}', expected: identifier";
            return false;
        }

        var keyErrors = LabelValidation.QualifiedNameErrors(key);
        if (keyErrors.Count != 0)
        {
            // Upstream validates the key against a nil field path here, hence "<nil>".
            error = GoFormat.InvalidValue("<nil>", GoFormat.Quote(key), string.Join("; ", keyErrors));
            return false;
        }

        var (following, _) = parser.Peek(values: true);
        if (following is Token.EndOfString or Token.Comma && op is null)
        {
            op = LabelSelectorOperator.Exists;
        }

        if (op is LabelSelectorOperator.Exists or LabelSelectorOperator.DoesNotExist)
        {
            return LabelRequirement.TryCreate(key, op.Value, [], out requirement, out error);
        }

        // Binary operator: here "in"/"notin" are keywords.
        var (opTok, opLit) = parser.Next(values: false);
        LabelSelectorOperator binary;
        switch (opTok)
        {
            case Token.In: binary = LabelSelectorOperator.In; break;
            case Token.NotIn: binary = LabelSelectorOperator.NotIn; break;
            case Token.Equals: binary = LabelSelectorOperator.Equals; break;
            case Token.DoubleEquals: binary = LabelSelectorOperator.DoubleEquals; break;
            case Token.NotEquals: binary = LabelSelectorOperator.NotEquals; break;
            case Token.GreaterThan: binary = LabelSelectorOperator.GreaterThan; break;
            case Token.LessThan: binary = LabelSelectorOperator.LessThan; break;
            default:
                error = $"found '{opLit}', expected: {BinaryOperators}";
                return false;
        }

        var values = new SortedSet<string>(StringComparer.Ordinal);
        if (binary is LabelSelectorOperator.In or LabelSelectorOperator.NotIn)
        {
            if (!TryParseValueSet(ref parser, values, out error))
            {
                return false;
            }
        }
        else if (!TryParseExactValue(ref parser, values, out error))
        {
            return false;
        }

        return LabelRequirement.TryCreate(key, binary, [.. values], out requirement, out error);
    }

    // "(" [values] ")" where empty items stand for the empty string: "()", "(,a)", "(a,,b)".
    private static bool TryParseValueSet(ref Cursor parser, SortedSet<string> values, out string? error)
    {
        var (tok, lit) = parser.Next(values: true);
        if (tok != Token.OpenParen)
        {
            error = $"found '{lit}' expected: '('";
            return false;
        }

        (tok, lit) = parser.Peek(values: true);
        switch (tok)
        {
            case Token.Identifier or Token.Comma:
                if (!TryParseIdentifierList(ref parser, values, out error))
                {
                    return false;
                }

                if (parser.Next(values: true).Token != Token.ClosedParen)
                {
                    error = $"found '{lit}', expected: ')'";
                    return false;
                }

                return true;
            case Token.ClosedParen:
                parser.Next(values: true);
                values.Add("");
                error = null;
                return true;
            default:
                error = $"found '{lit}', expected: ',', ')' or identifier";
                return false;
        }
    }

    private static bool TryParseIdentifierList(ref Cursor parser, SortedSet<string> values, out string? error)
    {
        while (true)
        {
            var (tok, lit) = parser.Next(values: true);
            switch (tok)
            {
                case Token.Identifier:
                    values.Add(lit);
                    var (next, nextLit) = parser.Peek(values: true);
                    switch (next)
                    {
                        case Token.Comma:
                            continue;
                        case Token.ClosedParen:
                            error = null;
                            return true;
                        default:
                            error = $"found '{nextLit}', expected: ',' or ')'";
                            return false;
                    }

                case Token.Comma:
                    if (values.Count == 0)
                    {
                        values.Add("");
                    }

                    var (peek, _) = parser.Peek(values: true);
                    if (peek == Token.ClosedParen)
                    {
                        values.Add("");
                        error = null;
                        return true;
                    }

                    if (peek == Token.Comma)
                    {
                        values.Add("");
                    }

                    break;
                default:
                    error = $"found '{lit}', expected: ',', or identifier";
                    return false;
            }
        }
    }

    private static bool TryParseExactValue(ref Cursor parser, SortedSet<string> values, out string? error)
    {
        var (peek, _) = parser.Peek(values: true);
        if (peek is Token.EndOfString or Token.Comma)
        {
            values.Add("");
            error = null;
            return true;
        }

        var (tok, lit) = parser.Next(values: true);
        if (tok == Token.Identifier)
        {
            values.Add(lit);
            error = null;
            return true;
        }

        error = $"found '{lit}', expected: identifier";
        return false;
    }

    private static List<(Token Token, string Literal)> Lex(string s)
    {
        var tokens = new List<(Token, string)>();
        var pos = 0;
        while (true)
        {
            while (pos < s.Length && IsWhitespace(s[pos]))
            {
                pos++;
            }

            if (pos >= s.Length)
            {
                tokens.Add((Token.EndOfString, ""));
                return tokens;
            }

            var start = pos;
            if (IsSpecial(s[pos]))
            {
                // Longest run of symbol characters that still spells a known token; at least one character.
                var best = Token.Error;
                var bestEnd = pos;
                var end = pos;
                while (end < s.Length && IsSpecial(s[end]))
                {
                    end++;
                    var candidate = SymbolToken(s.AsSpan(start, end - start));
                    if (candidate != Token.Error)
                    {
                        best = candidate;
                        bestEnd = end;
                    }
                    else if (best != Token.Error)
                    {
                        break;
                    }
                }

                if (best == Token.Error)
                {
                    tokens.Add((Token.Error, $"error expected: keyword found '{s[start..end]}'"));
                    pos = end;
                    continue;
                }

                tokens.Add((best, s[start..bestEnd]));
                pos = bestEnd;
                continue;
            }

            while (pos < s.Length && !IsSpecial(s[pos]) && !IsWhitespace(s[pos]))
            {
                pos++;
            }

            var word = s[start..pos];
            tokens.Add((word switch { "in" => Token.In, "notin" => Token.NotIn, _ => Token.Identifier }, word));
        }
    }

    private static Token SymbolToken(ReadOnlySpan<char> symbol) => symbol switch
    {
        ")" => Token.ClosedParen,
        "," => Token.Comma,
        "!" => Token.DoesNotExist,
        "==" => Token.DoubleEquals,
        "=" => Token.Equals,
        ">" => Token.GreaterThan,
        "<" => Token.LessThan,
        "!=" => Token.NotEquals,
        "(" => Token.OpenParen,
        _ => Token.Error,
    };

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsSpecial(char c) => c is '=' or '!' or '(' or ')' or ',' or '>' or '<';

    private enum Token
    {
        Error,
        EndOfString,
        ClosedParen,
        Comma,
        DoesNotExist,
        DoubleEquals,
        Equals,
        GreaterThan,
        Identifier,
        In,
        LessThan,
        NotEquals,
        NotIn,
        OpenParen,
    }

    private struct Cursor(List<(Token Token, string Literal)> tokens)
    {
        private int position;

        // Where a value is expected, the keywords "in" and "notin" are ordinary identifiers ("a in (in)").
        public readonly (Token Token, string Literal) Peek(bool values) => Adjust(tokens[Math.Min(position, tokens.Count - 1)], values);

        public (Token Token, string Literal) Next(bool values)
        {
            var item = tokens[Math.Min(position, tokens.Count - 1)];
            position++;
            return Adjust(item, values);
        }

        private static (Token, string) Adjust((Token Token, string Literal) item, bool values) =>
            values && item.Token is Token.In or Token.NotIn ? (Token.Identifier, item.Literal) : item;
    }
}
