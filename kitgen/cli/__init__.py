"""The command line: click commands (parse, call one job, print) and how their results are shown."""
