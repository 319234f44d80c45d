"""`ref+echo://TEXT`: TEXT itself, verbatim (`?` and `#` included).

vals' echo provider; in an env file it is how a literal value that looks like a reference
is written: `ref+echo://op://not/a/reference` is the value `op://not/a/reference`.
"""

from __future__ import annotations

import dataclasses

from axogen.config.references import Reference


@dataclasses.dataclass(frozen=True, slots=True)
class EchoProvider:
    scheme: str = "echo"

    def resolve(self, ref: Reference, timeout: float) -> str:
        return ref.body


PROVIDER = EchoProvider()
