"""Demo data for the coalition domain (filled in by the foundation work)."""


def load(stdout) -> None:
    pass
