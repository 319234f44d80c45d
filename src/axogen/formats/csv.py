"""CSV files: `variables` is a list of rows (mappings), written with Python's csv module.

The header is `columns` when given (a row key outside it is an error), otherwise every key
of every row in the order first seen, so no column is lost because the first row lacks it.
A missing key and None are an empty cell. Cells are single values: `true`/`false` for bools,
ISO 8601 dates; a list or mapping in a cell is an error. CSV has no comments, so no header
comment is written.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from axogen.formats import ParseProblem, scalar_text
from axogen.values import ValueProblem

NAME = "csv"
EXTENSIONS = (".csv",)


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
