using System.Globalization;
using System.Text;

namespace Dashboard.Model.Selectors;

/// <summary>
/// A line-by-line port of the lexer and recursive-descent parser in apimachinery
/// <c>pkg/labels/selector.go</c>, so that what parses, what does not, and every error message match
/// the API server (quirks included, e.g. <c>k in ()</c> means the empty value).
/// </summary>
internal sealed class LabelSelectorParser(string input)
{
    private const string BinaryOperatorList = "in, notin, =, ==, !=, gt, lt";

    private readonly string _input = input;
    private readonly List<(Token Token, string Literal)> _items = [];
    private int _lexPosition;
    private int _position;

    private enum Token
    {
        Error,
        EndOfString,
        ClosedPar,
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
        OpenPar,
    }

    private enum Context
    {
        KeyAndOperator,
        Values,
    }

    public List<LabelRequirement> Parse()
    {
        Scan();
        var requirements = new List<LabelRequirement>();
        while (true)
        {
            var (token, literal) = Lookahead(Context.Values);
            switch (token)
            {
                case Token.Identifier:
                case Token.DoesNotExist:
                    requirements.Add(ParseRequirementWithPrefix());
                    var (next, nextLiteral) = Consume(Context.Values);
                    switch (next)
                    {
                        case Token.EndOfString:
                            return requirements;
                        case Token.Comma:
                            var (afterComma, afterCommaLiteral) = Lookahead(Context.Values);
                            if (afterComma != Token.Identifier && afterComma != Token.DoesNotExist)
                            {
                                throw new SelectorParseException($"found '{afterCommaLiteral}', expected: identifier after ','");
                            }

                            break;
                        default:
                            throw new SelectorParseException($"found '{nextLiteral}', expected: ',' or 'end of string'");
                    }

                    break;
                case Token.EndOfString:
                    return requirements;
                default:
                    throw new SelectorParseException($"found '{literal}', expected: !, identifier, or 'end of string'");
            }
        }
    }

    private LabelRequirement ParseRequirementWithPrefix()
    {
        try
        {
            return ParseRequirement();
        }
        catch (RequirementException exception)
        {
            throw new SelectorParseException("unable to parse requirement: " + exception.Message);
        }
    }

    private LabelRequirement ParseRequirement()
    {
        var (key, @operator) = ParseKeyAndInferOperator();
        if (@operator is LabelSelectorOperator.Exists or LabelSelectorOperator.DoesNotExist)
        {
            return NewRequirement(key, @operator.Value, []);
        }

        var binary = ParseOperator();
        var values = binary is LabelSelectorOperator.In or LabelSelectorOperator.NotIn ? ParseValues() : ParseExactValue();
        // sets.String.List(): sorted and de-duplicated.
        var list = values.ToList();
        list.Sort(StringComparer.Ordinal);
        return NewRequirement(key, binary, [.. list]);
    }

    private (string Key, LabelSelectorOperator? Operator) ParseKeyAndInferOperator()
    {
        LabelSelectorOperator? @operator = null;
        var (token, literal) = Consume(Context.Values);
        if (token == Token.DoesNotExist)
        {
            @operator = LabelSelectorOperator.DoesNotExist;
            (token, literal) = Consume(Context.Values);
        }

        if (token != Token.Identifier)
        {
            throw new RequirementException($"found '{literal}', expected: identifier");
        }

        var keyErrors = LabelValidation.IsQualifiedName(literal);
        if (keyErrors.Count != 0)
        {
            // The API server parses without a field path, so Go prints the nil path as "<nil>".
            throw new RequirementException(FieldErrors.Invalid("<nil>", literal, string.Join("; ", keyErrors)));
        }

        var (next, _) = Lookahead(Context.Values);
        if ((next == Token.EndOfString || next == Token.Comma) && @operator != LabelSelectorOperator.DoesNotExist)
        {
            @operator = LabelSelectorOperator.Exists;
        }

        return (literal, @operator);
    }

    private LabelSelectorOperator ParseOperator()
    {
        var (token, literal) = Consume(Context.KeyAndOperator);
        return token switch
        {
            Token.In => LabelSelectorOperator.In,
            Token.Equals => LabelSelectorOperator.Equals,
            Token.DoubleEquals => LabelSelectorOperator.DoubleEquals,
            Token.GreaterThan => LabelSelectorOperator.GreaterThan,
            Token.LessThan => LabelSelectorOperator.LessThan,
            Token.NotIn => LabelSelectorOperator.NotIn,
            Token.NotEquals => LabelSelectorOperator.NotEquals,
            _ => throw new RequirementException($"found '{literal}', expected: {BinaryOperatorList}"),
        };
    }

    private HashSet<string> ParseValues()
    {
        var (token, literal) = Consume(Context.Values);
        if (token != Token.OpenPar)
        {
            // Upstream has no comma after the quote here.
            throw new RequirementException($"found '{literal}' expected: '('");
        }

        (token, literal) = Lookahead(Context.Values);
        switch (token)
        {
            case Token.Identifier:
            case Token.Comma:
                var values = ParseIdentifiersList();
                if (Consume(Context.Values).Token != Token.ClosedPar)
                {
                    throw new RequirementException($"found '{literal}', expected: ')'");
                }

                return values;
            case Token.ClosedPar:
                // "()" is the set holding the empty value.
                Consume(Context.Values);
                return new HashSet<string>(StringComparer.Ordinal) { string.Empty };
            default:
                throw new RequirementException($"found '{literal}', expected: ',', ')' or identifier");
        }
    }

    private HashSet<string> ParseIdentifiersList()
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var (token, literal) = Consume(Context.Values);
            switch (token)
            {
                case Token.Identifier:
                    values.Add(literal);
                    var (next, nextLiteral) = Lookahead(Context.Values);
                    switch (next)
                    {
                        case Token.Comma:
                            continue;
                        case Token.ClosedPar:
                            return values;
                        default:
                            throw new RequirementException($"found '{nextLiteral}', expected: ',' or ')'");
                    }

                case Token.Comma:
                    // "(," ",," and ",)" each stand for the empty value.
                    if (values.Count == 0)
                    {
                        values.Add(string.Empty);
                    }

                    var (afterComma, _) = Lookahead(Context.Values);
                    if (afterComma == Token.ClosedPar)
                    {
                        values.Add(string.Empty);
                        return values;
                    }

                    if (afterComma == Token.Comma)
                    {
                        values.Add(string.Empty);
                    }

                    break;
                default:
                    throw new RequirementException($"found '{literal}', expected: ',', or identifier");
            }
        }
    }

    private HashSet<string> ParseExactValue()
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        var (next, _) = Lookahead(Context.Values);
        if (next == Token.EndOfString || next == Token.Comma)
        {
            values.Add(string.Empty);
            return values;
        }

        var (token, literal) = Consume(Context.Values);
        if (token == Token.Identifier)
        {
            values.Add(literal);
            return values;
        }

        throw new RequirementException($"found '{literal}', expected: identifier");
    }

    /// <summary>Upstream <c>NewRequirement</c>'s checks, with the errors aggregated the way Go prints them.</summary>
    private static LabelRequirement NewRequirement(string key, LabelSelectorOperator @operator, string[] values)
    {
        var errors = new List<string>();
        switch (@operator)
        {
            case LabelSelectorOperator.In:
            case LabelSelectorOperator.NotIn:
                if (values.Length == 0)
                {
                    errors.Add(FieldErrors.Invalid("values", "[]string{}", "for 'in', 'notin' operators, values set can't be empty", quote: false));
                }

                break;
            case LabelSelectorOperator.GreaterThan:
            case LabelSelectorOperator.LessThan:
                for (var i = 0; i < values.Length; i++)
                {
                    if (!long.TryParse(values[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                    {
                        errors.Add(FieldErrors.Invalid($"values[{i}]", values[i], "for 'Gt', 'Lt' operators, the value must be an integer"));
                    }
                }

                break;
        }

        for (var i = 0; i < values.Length; i++)
        {
            var valueErrors = LabelValidation.IsValidLabelValue(values[i]);
            if (valueErrors.Count != 0)
            {
                errors.Add(FieldErrors.Invalid($"values[{i}][{key}]", values[i], string.Join("; ", valueErrors)));
            }
        }

        if (errors.Count != 0)
        {
            throw new RequirementException(FieldErrors.Aggregate(errors));
        }

        return new LabelRequirement(key, @operator, values);
    }

    private (Token Token, string Literal) Lookahead(Context context) => Adjust(_items[_position], context);

    private (Token Token, string Literal) Consume(Context context)
    {
        // The token list always ends with EndOfString; never step past it.
        var item = _items[Math.Min(_position, _items.Count - 1)];
        _position++;
        return Adjust(item, context);
    }

    // 'in' and 'notin' are plain identifiers where values are expected (e.g. "value in (in)").
    private static (Token Token, string Literal) Adjust((Token Token, string Literal) item, Context context) =>
        context == Context.Values && item.Token is Token.In or Token.NotIn
            ? (Token.Identifier, item.Literal)
            : item;

    private void Scan()
    {
        while (true)
        {
            var item = Lex();
            _items.Add(item);
            if (item.Token == Token.EndOfString)
            {
                return;
            }
        }
    }

    // The lexer reads bytes in Go; a NUL reads as end of input, exactly like Go's read() returning 0.
    private char Read()
    {
        if (_lexPosition < _input.Length)
        {
            return _input[_lexPosition++];
        }

        return '\0';
    }

    private void Unread() => _lexPosition--;

    private static bool IsWhitespace(char ch) => ch is ' ' or '\t' or '\r' or '\n';

    private static bool IsSpecialSymbol(char ch) => ch is '=' or '!' or '(' or ')' or ',' or '>' or '<';

    private static Token? TokenFor(string literal) => literal switch
    {
        ")" => Token.ClosedPar,
        "," => Token.Comma,
        "!" => Token.DoesNotExist,
        "==" => Token.DoubleEquals,
        "=" => Token.Equals,
        ">" => Token.GreaterThan,
        "in" => Token.In,
        "<" => Token.LessThan,
        "!=" => Token.NotEquals,
        "notin" => Token.NotIn,
        "(" => Token.OpenPar,
        _ => null,
    };

    private (Token Token, string Literal) Lex()
    {
        var ch = Read();
        while (IsWhitespace(ch))
        {
            ch = Read();
        }

        if (ch == '\0')
        {
            return (Token.EndOfString, string.Empty);
        }

        Unread();
        return IsSpecialSymbol(ch) ? ScanSpecialSymbol() : ScanIdentifierOrKeyword();
    }

    private (Token Token, string Literal) ScanIdentifierOrKeyword()
    {
        var buffer = new StringBuilder();
        while (true)
        {
            var ch = Read();
            if (ch == '\0')
            {
                break;
            }

            if (IsSpecialSymbol(ch) || IsWhitespace(ch))
            {
                Unread();
                break;
            }

            buffer.Append(ch);
        }

        var literal = buffer.ToString();
        return (TokenFor(literal) ?? Token.Identifier, literal);
    }

    private (Token Token, string Literal) ScanSpecialSymbol()
    {
        (Token Token, string Literal)? last = null;
        var buffer = new StringBuilder();
        while (true)
        {
            var ch = Read();
            if (ch == '\0')
            {
                break;
            }

            if (!IsSpecialSymbol(ch))
            {
                Unread();
                break;
            }

            buffer.Append(ch);
            var token = TokenFor(buffer.ToString());
            if (token is { } known)
            {
                last = (known, buffer.ToString());
            }
            else if (last is not null)
            {
                Unread();
                break;
            }
        }

        return last ?? (Token.Error, $"error expected: keyword found '{buffer}'");
    }

    /// <summary>An error inside one requirement; the caller prefixes "unable to parse requirement: ".</summary>
    private sealed class RequirementException(string message) : Exception(message);
}
