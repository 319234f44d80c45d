"""Config records, the config-file loader and the environment loader."""
