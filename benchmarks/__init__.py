"""`make bench`: measurements of the portal on this machine, written to BENCHMARKS.md."""
