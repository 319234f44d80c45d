"""The generate pipeline: plan (pure) then write (the only place that touches files)."""
