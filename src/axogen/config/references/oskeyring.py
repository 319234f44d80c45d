"""`ref+keyring://SERVICE/USERNAME`: a password of the OS keyring (macOS Keychain, the
Secret Service on Linux, Windows Credential Locker), through the `keyring` library.

The first `/` separates the service from the user name; `%XX` escapes are decoded in both
(`%2F` for a `/` in the service). Store one with `keyring set SERVICE USERNAME`. The
backend is keyring's usual choice (`PYTHON_KEYRING_BACKEND` picks another).
"""

from __future__ import annotations

import dataclasses
from urllib.parse import unquote

from axogen.config.references import Reference, Unresolved, within


@dataclasses.dataclass(frozen=True, slots=True)
class KeyringProvider:
    scheme: str = "keyring"

    def resolve(self, ref: Reference, timeout: float) -> str:
        service, slash, user = ref.body.partition("/")
        service, user = unquote(service), unquote(user)
        if not slash or not service or not user:
            raise Unresolved("name the service and the user: ref+keyring://SERVICE/USERNAME")
        try:
            import keyring
            from keyring.errors import KeyringError
        except ImportError:
            raise Unresolved("the keyring library is not installed") from None

        def read() -> str | None:
            return keyring.get_password(service, user)

        try:
            value = within(timeout, "the keyring", read)
        except KeyringError as e:
            raise Unresolved(f"the keyring failed: {type(e).__name__}") from None
        except RuntimeError as e:  # no backend at all
            raise Unresolved(f"no usable keyring: {type(e).__name__}") from None
        if value is None:
            raise Unresolved(f"the keyring holds no password for {user!r} of {service!r}")
        return value


PROVIDER = KeyringProvider()
