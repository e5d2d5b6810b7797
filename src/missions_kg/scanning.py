"""Find where a TriG file puts triples in the default graph (parsers don't say where).

Called only after pyoxigraph has parsed the file and found default-graph quads, so the
input is valid TriG; this scanner only tracks strings, IRIs, comments and brace depth.
"""

from __future__ import annotations

import re

_DIRECTIVE = re.compile(r"(@prefix|@base|PREFIX|BASE)\b", re.IGNORECASE)
_GRAPH = re.compile(r"GRAPH\b", re.IGNORECASE)
_SKIP = re.compile(r"(?:\s+|#[^\n]*)*")


def _skip_ws(text: str, i: int) -> int:
    return _SKIP.match(text, i).end()


def _skip_token(text: str, i: int) -> int:
    """End of the token (IRI, string, or bare word) starting at ``i``."""
    c = text[i]
    if c == "<":
        return text.index(">", i) + 1
    if text.startswith(('"""', "'''"), i):
        quote = text[i:i + 3]
        j = i + 3
        while True:
            j = text.index(quote, j)
            if text[j - 1] != "\\" or text[j - 2] == "\\":
                return j + 3
            j += 1
    if c in "\"'":
        j = i + 1
        while text[j] != c:
            j += 2 if text[j] == "\\" else 1
        return j + 1
    if c in "{}[]().,;":
        return i + 1
    m = re.compile(r"[^\s{}\[\]()<\"',;#]+").match(text, i)
    end = m.end() if m else i + 1
    if end > i + 1 and text[end - 1] == ".":  # a statement-ending dot glued to a name
        end -= 1
    return end


def default_graph_line(text: str) -> int | None:
    """Line (1-based) of the first default-graph statement of a TriG document, if found."""
    i, depth, n = 0, 0, len(text)
    try:
        while True:
            i = _skip_ws(text, i)
            if i >= n:
                return None
            if depth > 0:
                if text[i] == "{":
                    depth += 1
                elif text[i] == "}":
                    depth -= 1
                i = _skip_token(text, i)
                continue
            start = i
            if _DIRECTIVE.match(text, i):
                at = text[i] == "@"
                i = _skip_ws(text, _DIRECTIVE.match(text, i).end())
                while i < n and text[i] != "<":  # the prefix name, if any
                    i = _skip_token(text, i)
                    i = _skip_ws(text, i)
                i = _skip_ws(text, _skip_token(text, i))
                if at and i < n and text[i] == ".":
                    i += 1
                continue
            if _GRAPH.match(text, i):
                i = _skip_ws(text, _GRAPH.match(text, i).end())
            if text[i] == "{":
                return text.count("\n", 0, start) + 1  # an unnamed block is the default graph
            if text[i] == "[":
                i = _skip_ws(text, i + 1)
                i = i + 1 if i < n and text[i] == "]" else i
            else:
                i = _skip_token(text, i)
            i = _skip_ws(text, i)
            if i < n and text[i] == "{":
                depth, i = 1, i + 1
                continue
            return text.count("\n", 0, start) + 1
    except (ValueError, IndexError):
        return None
