"""The measured sections, one module each, called in order by phases.Bench.run; each adds its rows to a
report.Section."""
