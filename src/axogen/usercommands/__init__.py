"""The project's own commands (`axogen run`): declared, offered on the command line, and run."""

# model: the records and factories a config uses (`cmd`, `group`, `arg`, `option`, `parallel`)
# click_tree: the click commands built from them (help, parsing, completion, listings)
# project: the loaded config a run works on (env-file values, secrets to mask)
# execute: one run (dependencies, typed values, shell strings, callables, exit codes)
# session: the child processes (`live_exec`, `exec`, parallel runs, signals, masked echoes)
#
# Nothing is imported here: `axogen.cli` loads click_tree on every start, and a config loads
# model; neither should pay for the rest. Nothing here imports axogen.cli or axogen.commands.
