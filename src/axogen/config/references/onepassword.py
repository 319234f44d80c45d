"""`op://VAULT/ITEM/FIELD` (1Password's own secret reference, as `op run` reads it in env
files) and vals' `ref+op://VAULT/ITEM/FIELD`: read with the 1Password CLI,
`op read --no-newline op://VAULT/ITEM/FIELD`.

`op` must be installed and signed in (the desktop app, `op signin`, or
`OP_SERVICE_ACCOUNT_TOKEN` for CI).
"""

from __future__ import annotations

import dataclasses
import shutil

from axogen.config.references import Reference, Unresolved
from axogen.config.references.command import run


@dataclasses.dataclass(frozen=True, slots=True)
class OnePasswordProvider:
    scheme: str = "op"

    def resolve(self, ref: Reference, timeout: float) -> str:
        if not ref.body.strip("/"):
            raise Unresolved("no item named (op://VAULT/ITEM/FIELD)")
        if shutil.which("op") is None:
            raise Unresolved(
                "the 1Password CLI `op` is not installed (not on PATH); install it and sign "
                "in (`op signin`, or OP_SERVICE_ACCOUNT_TOKEN in CI)"
            )
        return run(
            ["op", "read", "--no-newline", "--force", f"op://{ref.body}"],
            ref,
            timeout,
            "`op read`",
        )


PROVIDER = OnePasswordProvider()
