"""``fn.parse``: text to an fn function — a tokenizer and an operator-precedence parser.

Never ``eval``: the text can say nothing but this grammar (Python's, restricted)::

    sum     := sum ('+' | '-') product | product
    product := product ('*' | '/') factor | factor
    factor  := '-' factor | power                  -- so -x**2 is -(x**2), as in Python
    power   := atom ['**' factor]                  -- right-associative: 2**3**2 is 2**9
    atom    := NUMBER | 'x' | 'pi' | 'e' | NAME | '(' sum ')' | call
    call    := FUNCTION '(' sum (',' value)* (',' NAME '=' value)* [','] ')'
             | NAME '(' sum ')'                     -- a name bound by keyword to a function
    value   := ['-'] NUMBER | STRING | 'True' | 'False'

FUNCTION is an elementwise activation of the registry or sin, cos, exp, log, sqrt, abs; NAME
is a name given to ``parse`` by keyword. Parameters are plain values (``hardtanh(x, -2, 2)``),
checked against the F function's signature and then by the F function itself.

A named part may be given as text, ``parse("C(A + B)", A="tanh(x + 0.5)", ...)``: it is read
by the same parser, with the parts given before it bound, and named after its keyword. A
mistake in it is a ``ParseError`` whose ``part`` is that keyword, pointing into its text.

The parser is Dijkstra's shunting-yard algorithm: operands wait on one stack, operators and
open parentheses on another, and an operator is applied when one that binds more loosely
arrives. It is a loop over the tokens — no recursion — so 10,000 nested parentheses are just a
deep list, and the work is linear in the length of the text.

Every error is a ``ParseError`` saying what was expected, at which column, with the line and a
caret under the culprit.
"""

from __future__ import annotations

import keyword
import math
import re
from dataclasses import dataclass
from typing import Any

from . import functions
from .expr import BinOp, Call, Const, Expr, Neg, X, as_expr
from .lifting import lift

MAX_LENGTH = 1_000_000  # characters; far beyond any formula, short of a denial of service

# Binding power and right-associativity of the binary operators; unary minus sits between.
_BINARY = {"+": (1, False), "-": (1, False), "*": (2, False), "/": (2, False), "**": (4, True)}
_NEGATION = 3

_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<string>'[^'\n]*'|"[^"\n]*")
    | (?P<op>\*\*|[-+*/(),=])
    """,
    re.VERBOSE,
)


class ParseError(ValueError):
    """A mistake in the text: ``message``, ``lineno`` and ``column`` (from 1), the ``line``;
    ``part`` names the named part whose text it is in (``None``: the main text).

    ``str(error)`` shows the message, the line and a caret under the culprit.
    """

    def __init__(
        self, message: str, text: str, position: int, length: int = 1, part: str | None = None
    ) -> None:
        start = text.rfind("\n", 0, position) + 1
        end = text.find("\n", position)
        message = _abbreviate(message)
        self.message = message
        self.part = part
        self.position = position
        self.length = length
        self.lineno = text.count("\n", 0, position) + 1
        self.column = position - start + 1
        self.line = text[start : len(text) if end < 0 else end]
        where = f"line {self.lineno}, column {self.column}" if "\n" in text else ""
        where = where or f"column {self.column}"
        shown, offset = _window(self.line, self.column - 1)
        carets = "^" * max(1, min(length, len(shown) - offset))
        super().__init__(f"{message} ({where})\n    {shown}\n    {' ' * offset}{carets}")


def _abbreviate(message: str, longest: int = 60) -> str:
    """The message with each long quotation, and each long run of non-space characters, cut
    in the middle: a 100,000-letter name is quoted by its ends, not in full."""

    def cut(match: re.Match[str]) -> str:
        return f"{match[0][:40]}...{match[0][-12:]}"

    quoted = rf"'[^'\n]{{{longest},}}'|\"[^\"\n]{{{longest},}}\""
    return re.sub(rf"\S{{{longest + 1},}}", cut, re.sub(quoted, cut, message))


def _window(line: str, index: int, width: int = 76) -> tuple[str, int]:
    """At most ``width`` characters of ``line`` around ``index``, and where index falls."""
    if len(line) <= width:
        return line, index
    start = max(0, min(index - width // 2, len(line) - width))
    end = start + width
    prefix = "..." if start > 0 else ""
    suffix = "..." if end < len(line) else ""
    return prefix + line[start:end] + suffix, index - start + len(prefix)


@dataclass(frozen=True)
class Token:
    kind: str  # number, name, string, op, end
    text: str
    start: int


_CHARACTER_HINTS = {
    ".": " (attribute access is not part of the grammar)",
    "^": " (powers are written **, as in Python: x**2)",
}


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, ending with an ``end`` token."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            char = text[pos]
            if char in "'\"":
                raise ParseError("this string is never closed", text, pos)
            hint = _CHARACTER_HINTS.get(char, "")
            raise ParseError(f"unexpected character {char!r}{hint}", text, pos)
        if match.lastgroup != "space":
            tokens.append(Token(match.lastgroup or "", match.group(), pos))
        pos = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


def parse(text: str, **names: Any) -> Expr:
    """The fn function that ``text`` writes, e.g. ``parse("tanh(-3*x + 1.5)")``.

    ``names`` binds names to named parts: ``parse("C(A + B)", A=A, B=B, C=C)``. Each is an fn
    function (used as it is), a number, a Tensor → Tensor callable (lifted under that name
    by ``fn.lift``) or text, parsed with the parts before it bound and named after its keyword:
    ``parse("C(A + B)", A="tanh(x + 0.5)", B="tanh(-2*x - 1.5)", C="tanh(-3*x + 1.5)")``.
    Raises ``ParseError`` (a ``ValueError``) for any mistake in a text.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse() expects the text as a str, got {type(text).__name__}")
    bound: dict[str, Expr] = {}
    given = list(names)
    for i, (name, value) in enumerate(names.items()):
        if functions.taken(name):
            raise ValueError(f"parse(): {name!r} already means something and cannot be bound")
        bound[name] = _part(name, value, bound, given[i + 1 :])
    return _read(text, bound, [])


def _read(text: str, bound: dict[str, Expr], later: list[str]) -> Expr:
    """Parse one text with ``bound`` names (``later``: names given after it, for hints)."""
    if len(text) > MAX_LENGTH:
        raise ParseError(
            f"the text is too long ({len(text):,} characters; at most {MAX_LENGTH:,})", text, 0
        )
    return _Parser(text, bound, later).run()


def _part(name: str, value: Any, bound: dict[str, Expr], later: list[str]) -> Expr:
    """A named part given to ``parse``, as an fn function."""
    if isinstance(value, str):
        try:
            return _read(value, dict(bound), later).named(name)
        except ParseError as e:
            raise ParseError(f"in {name}: {e.message}", value, e.position, e.length, name) from None
    expr = as_expr(value)
    if expr is not None:
        return expr
    if callable(value) and not isinstance(value, bool):
        return lift(value, name=name)
    raise TypeError(
        f"parse(): {name} must be an fn function, a number, text or a callable on Tensors; "
        f"got {type(value).__name__}"
    )


@dataclass
class _Open:
    """An open parenthesis on the operator stack: a group, or a call of ``function``."""

    paren: Token
    function: Token | None


@dataclass
class _Operator:
    token: Token
    index: int  # of the token
    unary: bool


class _Parser:
    def __init__(self, text: str, bound: dict[str, Expr], later: list[str]) -> None:
        self.text = text
        self.bound = bound
        self.later = later  # names given after this text: a hint when one is used too early
        self.tokens = tokenize(text)
        self.i = 0
        # Each operand remembers the index of the number token it *is*, if it is one, so that
        # "-2" becomes the constant -2 (and "-(2)" or "-2**2" do not).
        self.operands: list[tuple[Expr, int]] = []
        self.operators: list[_Operator | _Open] = []

    def error(self, message: str, token: Token, end: Token | None = None) -> ParseError:
        stop = (end or token).start + max(1, len((end or token).text))
        return ParseError(message, self.text, token.start, stop - token.start)

    # -- the main loop: alternately expect an operand and an operator ---------------------------
    def run(self) -> Expr:
        expect_operand = True
        while True:
            token = self.tokens[self.i]
            if expect_operand:
                expect_operand = self.operand(token)
            elif token.kind == "end":
                self.finish(token)
                break
            else:
                expect_operand = self.operator(token)
        (result, _) = self.operands[0]
        return result

    def operand(self, token: Token) -> bool:
        """Handle a token where an operand must come; return whether one still must."""
        if token.kind == "number":
            self.operands.append((Const(self.number(token)), self.i))
            self.i += 1
            return False
        if token.kind == "name":
            if self.tokens[self.i + 1].text == "(":
                self.open_call(token)
                return True
            self.operands.append((self.resolve(token), -1))
            self.i += 1
            return False
        if token.text == "-":
            self.operators.append(_Operator(token, self.i, unary=True))
            self.i += 1
            return True
        if token.text == "(":
            self.operators.append(_Open(token, None))
            self.i += 1
            return True
        if token.kind == "end":
            if self.i == 0:
                raise self.error("empty expression: write a function of x, e.g. tanh(x)", token)
            raise self.error("unexpected end of the text: an expression must follow", token)
        if token.kind == "string":
            raise self.error(
                "a string can only be a parameter value, as in gelu(x, approximate='tanh')", token
            )
        raise self.error(f"expected an expression, found {token.text!r}", token)

    def operator(self, token: Token) -> bool:
        """Handle a token where an operator must come; return whether an operand must follow."""
        if token.text in _BINARY:
            power, right = _BINARY[token.text]
            # Apply the waiting operators that bind at least as tightly (more, if right-assoc).
            while self.operators and isinstance(top := self.operators[-1], _Operator):
                waiting = _NEGATION if top.unary else _BINARY[top.token.text][0]
                if waiting < power or (waiting == power and right):
                    break
                self.reduce()
            self.operators.append(_Operator(token, self.i, unary=False))
            self.i += 1
            return True
        if token.text in (")", ","):
            opened = self.close_to_open(token)
            self.i += 1
            if opened.function is None:
                if token.text == ",":
                    raise self.error("unexpected ',': only a call takes several arguments", token)
                expr, _ = self.operands.pop()
                self.operands.append((expr, -1))  # "(2)" is no longer a bare number
            else:
                self.finish_call(opened, token)
            return False
        if token.text == "=":
            raise self.error(
                "unexpected '=': keyword parameters go inside a call, as in "
                "leaky_relu(x, negative_slope=0.2)",
                token,
            )
        hint = (
            "; write '*' to multiply"
            if token.kind in ("name", "number") or token.text == "("
            else ""
        )
        raise self.error(f"unexpected {token.text!r} after a complete expression{hint}", token)

    def finish(self, end: Token) -> None:
        """At the end of the text: apply what waits; nothing may still be open."""
        while self.operators:
            top = self.operators[-1]
            if isinstance(top, _Open):
                raise self.error("'(' was never closed", top.paren)
            self.reduce()

    def number(self, token: Token) -> float:
        """The value of a number token; one too large for a float is refused, not made inf
        (inf prints as ``inf``, which is not a number the grammar can read back)."""
        value = float(token.text)
        if math.isinf(value):
            raise self.error(f"the number {token.text} is too large for a float", token)
        return value

    # -- operators ----------------------------------------------------------------------------
    def reduce(self) -> None:
        """Apply the operator on top of the stack to the operands on top of theirs."""
        op = self.operators.pop()
        assert isinstance(op, _Operator)
        if op.unary:
            operand, number_at = self.operands.pop()
            if isinstance(operand, Const) and number_at == op.index + 1:
                self.operands.append((Const(-operand.value), -1))  # "-2" is the number -2
            else:
                self.operands.append((Neg(operand), -1))
            return
        right, _ = self.operands.pop()
        left, _ = self.operands.pop()
        self.operands.append((BinOp(op.token.text, left, right), -1))

    def close_to_open(self, token: Token) -> _Open:
        """Apply operators down to the innermost open parenthesis, and remove it."""
        while self.operators and isinstance(self.operators[-1], _Operator):
            self.reduce()
        if not self.operators:
            if token.text == ")":
                raise self.error("unmatched ')'", token)
            raise self.error("unexpected ',' outside a call", token)
        opened = self.operators.pop()
        assert isinstance(opened, _Open)
        return opened

    # -- names and calls ----------------------------------------------------------------------
    def resolve(self, token: Token) -> Expr:
        """A name standing alone: x, or a bound name."""
        name = token.text
        if name == "x":
            return X
        if name in self.bound:
            return self.bound[name]
        if name in functions.CONSTANTS:
            return Const(functions.CONSTANTS[name], name)
        if functions.is_function(name):
            raise self.error(f"{name} is a function: call it, as in {name}(x)", token)
        raise self.unknown(token)

    def unknown(self, token: Token) -> ParseError:
        name = token.text
        if functions.not_one_variable(name):
            return self.error(
                f"{name} is not elementwise (it mixes the entries along dim), so it is not a "
                "function of one variable",
                token,
            )
        if name in self.later:
            return self.error(
                f"{name} is given after this part: a part may use only the parts before it",
                token,
            )
        known = ["x", *functions.CONSTANTS, *functions.names(), *self.bound]
        hint = functions.suggest(name, known)
        if not hint and name[:1].isupper() and not keyword.iskeyword(name):  # True, None
            hint = f"; bind it by keyword: parse(text, {name}={name})"
        return self.error(f"unknown name {name!r}{hint}", token)

    def open_call(self, name: Token) -> None:
        if not (functions.is_function(name.text) or name.text in self.bound):
            if name.text == "x" or name.text in functions.CONSTANTS:
                what = "the variable" if name.text == "x" else "a number"
                raise self.error(
                    f"{name.text} is {what}, not a function; write {name.text}*(...) to multiply",
                    name,
                )
            raise self.unknown(name)
        if name.text in self.bound and not _callable(self.bound[name.text]):
            raise self.error(f"{name.text} is a number, not a function", name)
        paren = self.tokens[self.i + 1]
        self.i += 2
        first = self.tokens[self.i]
        if first.text == ")" or (first.kind == "name" and self.tokens[self.i + 1].text == "="):
            raise self.error(
                f"{name.text}() missing 1 required positional argument: 'input' "
                "(the expression it is applied to comes first)",
                first,
            )
        self.operators.append(_Open(paren, name))

    def finish_call(self, opened: _Open, closer: Token) -> None:
        """The first argument is on the operand stack; read the parameters, build the call."""
        name = opened.function
        assert name is not None
        arg, _ = self.operands.pop()
        positional: list[tuple[Any, Token, Token]] = []
        keywords: dict[str, tuple[Any, Token, Token]] = {}
        if closer.text == ",":
            self.parameters(opened, positional, keywords)
        closing = self.tokens[self.i - 1]
        if name.text in self.bound:
            if positional or keywords:
                extra = positional[0][1] if positional else next(iter(keywords.values()))[1]
                raise self.error(f"{name.text} takes exactly one argument", extra)
            self.operands.append((self.bound[name.text](arg), -1))
            return
        # Match the parameters to the signature, then let the F function judge the values.
        try:
            params = functions.bind(
                name.text,
                [v for v, _, _ in positional],
                {k: v for k, (v, _, _) in keywords.items()},
            )
        except functions.BindError as e:
            if isinstance(e.culprit, int):
                culprit = positional[e.culprit - 1][1]
            elif isinstance(e.culprit, str):
                culprit = keywords[e.culprit][1]
            else:
                culprit = closing
            raise self.error(str(e), culprit) from None
        try:
            functions.probe(name.text, params)
        except (TypeError, ValueError, RuntimeError) as e:
            start, end = self.blame(name.text, positional, keywords)
            raise self.error(str(e), start or name, end) from None
        self.operands.append((Call(name.text, arg, params), -1))

    def blame(
        self,
        name: str,
        positional: list[tuple[Any, Token, Token]],
        keywords: dict[str, tuple[Any, Token, Token]],
    ) -> tuple[Token | None, Token | None]:
        """The first parameter that, added to the defaults, makes the F function refuse."""
        signature = list(functions.parameters(name))
        given = [(signature[i], p) for i, p in enumerate(positional)] + list(keywords.items())
        sample = functions.ACTIVATIONS[name].call_params()
        trial: dict[str, Any] = {}
        for key, (value, start, end) in given:
            trial[key] = value
            try:
                functions.probe(name, {**sample, **trial})
            except (TypeError, ValueError, RuntimeError):
                return start, end
        return None, None

    def parameters(
        self,
        opened: _Open,
        positional: list[tuple[Any, Token, Token]],
        keywords: dict[str, tuple[Any, Token, Token]],
    ) -> None:
        """Read ``value, ..., key=value, ... )`` after the first argument of a call."""
        while True:
            token = self.tokens[self.i]
            if token.text == ")":
                self.i += 1
                return
            if token.kind == "name" and self.tokens[self.i + 1].text == "=":
                self.i += 2
                value, _, end = self.value(opened)
                if token.text in keywords:
                    raise self.error(f"keyword argument repeated: {token.text}", token)
                keywords[token.text] = (value, token, end)
            else:
                if keywords:
                    raise self.error("positional argument follows keyword argument", token)
                positional.append(self.value(opened))
            token = self.tokens[self.i]
            self.i += 1
            if token.text == ")":
                return
            if token.text != ",":
                raise self.unexpected_in_parameters(opened, token)

    def value(self, opened: _Open) -> tuple[Any, Token, Token]:
        """A parameter value: a number (with its sign), a string, True or False."""
        start = token = self.tokens[self.i]
        sign = 1.0
        if token.text == "-":
            sign = -1.0
            self.i += 1
            token = self.tokens[self.i]
        self.i += 1
        if token.kind == "number":
            return sign * self.number(token), start, token
        if sign > 0 and token.kind == "string":
            return token.text[1:-1], start, token
        if sign > 0 and token.text in ("True", "False"):
            return token.text == "True", start, token
        self.i -= 1
        raise self.unexpected_in_parameters(opened, token, value=True)

    def unexpected_in_parameters(
        self, opened: _Open, token: Token, value: bool = False
    ) -> ParseError:
        if token.kind == "end":
            return self.error("'(' was never closed", opened.paren)
        if value:
            return self.error(
                f"expected a parameter value (a number or a string), found {token.text!r}; "
                "parameters after the first argument are plain values",
                token,
            )
        return self.error(
            f"expected ',' or ')' after a parameter value, found {token.text!r}; "
            "parameters after the first argument are plain values",
            token,
        )


def _callable(expr: Expr) -> bool:
    """A bound number can be used as a value but not called."""
    return not isinstance(expr, Const)
