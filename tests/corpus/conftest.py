"""Prints the corpus score at the end of every run that scored it, passing or failing."""


def pytest_terminal_summary(terminalreporter):
    from .test_corpus import REPORT

    if REPORT:
        terminalreporter.section("Neurogebra corpus score")
        for line in REPORT:
            terminalreporter.write_line(line)
