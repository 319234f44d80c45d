"""CSV files: `variables` is a list of rows (mappings), written with Python's csv module.

The header is `columns` when given (a row key outside it is an error), otherwise every key
of every row in the order first seen, so no column is lost because the first row lacks it.
A missing key and None are an empty cell. Cells are single values: `true`/`false` for bools,
ISO 8601 dates; a list or mapping in a cell is an error. CSV has no comments, so no header
comment is written.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Sequence
from typing import Any

from axogen.formats import ParseProblem, contract, scalar_text
from axogen.values import ValueProblem


def dump(
    data: Any,
    *,
    header: str | None = None,
    columns: Sequence[str] | None = None,
    delimiter: str = ",",
    quote_char: str = '"',
    line_terminator: str = "\n",
) -> str:
    """Render a list of mappings as CSV text, one line per row after the header line."""
    import csv

    del header  # CSV has no comment syntax
    if not isinstance(data, list):
        raise ValueProblem(
            (), f"a CSV file needs a list of rows (mappings), got {type(data).__name__}"
        )
    for i, row in enumerate(data):
        if not isinstance(row, dict):
            raise ValueProblem((i,), f"each CSV row must be a mapping, got {type(row).__name__}")
    if columns is None:
        names = list(dict.fromkeys(key for row in data for key in row))
    else:
        names = list(columns)
        known = set(names)
        for i, row in enumerate(data):
            for key in row:
                if key not in known:
                    raise ValueProblem(
                        (i, key), f"the row has the key {key!r}, which is not among the columns"
                    )
    # "\r\n" as the writer's terminator makes it quote any cell holding "\r" or "\n" (with
    # "\n" alone, a lone "\r" is left bare and readers lose it); each row then ends as asked
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quotechar=quote_char, lineterminator="\r\n")
    table = [names] if names else []
    table.extend(
        [scalar_text(row.get(name), (i, name), "a CSV cell") for name in names]
        for i, row in enumerate(data)
    )
    lines = []
    for cells in table:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        lines.append(buffer.getvalue()[:-2] + line_terminator)
    return "".join(lines)


def load(text: str) -> list[dict[str, str]]:
    """Rows as mappings from the header line's names; a short row's missing cells are ""."""
    import csv

    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        names = next(reader, None)
        if names is None:
            return []
        rows = []
        for cells in reader:
            if not cells:
                continue
            if len(cells) > len(names):
                raise ParseProblem(
                    f"the row has {len(cells)} cells but the header names {len(names)}",
                    reader.line_num,
                )
            rows.append(dict(zip(names, [*cells, *[""] * (len(names) - len(cells))], strict=True)))
    except csv.Error as e:
        raise ParseProblem(str(e), reader.line_num) from None
    return rows


def _one_char(value: Any) -> str:
    if not isinstance(value, str) or len(value) != 1 or value in "\r\n":
        raise TypeError(f"must be one character (not a line break), got {value!r}")
    return value


def _columns(value: Any) -> list[str] | None:
    if value is None:
        return None
    if (
        isinstance(value, str)
        or not isinstance(value, Collection)
        or not all(isinstance(c, str) for c in value)
    ):
        raise TypeError(f"must be a list of strings, got {value!r}")
    if len(set(value)) != len(value):
        raise TypeError(f"has a name twice: {list(value)!r}")
    return list(value)


def _prepare(options: dict[str, Any], variables: Any, schema: Any) -> tuple[dict[str, Any], Any]:
    if options["delimiter"] == options["quote_char"]:
        raise TypeError("csv(): delimiter and quote_char must differ")
    return options, variables


FORMAT = contract.Format(
    name="csv",
    doc="A CSV file from a list of rows (mappings); the header is every key, first seen first.",
    extensions=(".csv",),
    dump=dump,
    load=load,
    options=(
        contract.Option(
            "columns",
            None,
            _columns,
            "the header's names, in order; None: every key",
            "list[str] | tuple[str, ...] | None",
        ),
        contract.Option("delimiter", ",", _one_char, "between cells", "str"),
        contract.Option("quote_char", '"', _one_char, "quotes a cell", "str"),
        contract.Option(
            "line_terminator",
            "\n",
            contract.one_of(("\n", "\r\n"), '"\\n" or "\\r\\n"'),
            "ends each row",
            "str",
        ),
    ),
    comment=None,
    cannot_hold="anything but a list of flat rows; values are read back as text",
    no_variables=list,
    prepare=_prepare,
    example=contract.Example(
        variables=[{"name": "a", "port": 1}, {"name": "b", "port": 2}],
        loads_as=[{"name": "a", "port": "1"}, {"name": "b", "port": "2"}],
    ),
)
