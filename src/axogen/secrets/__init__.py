"""Secret safety: detection (pure: `detect`, `tokens`, `words`, `mask`) and the git-aware guard.

Import the module you need; this package imports nothing, so that loading one part (the
`.gitignore` adapter, say) does not compile every detection rule.
"""
