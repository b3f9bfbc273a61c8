"""Demo data: the ``seed_demo`` command, the builders it calls and their data files."""
