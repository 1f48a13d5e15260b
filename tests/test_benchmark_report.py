"""BENCHMARKS.md after a partial run (`make bench BENCH_ARGS='--only …'`): each section it
measured replaces the one of the same title, whatever the title ends with."""

from benchmarks.report import Report, Section


def section(title: str, figure: str) -> Section:
    return Section(title=title, method="How.", headers=["what", "figure"], rows=[["x", figure]])


def test_a_partial_run_replaces_its_sections_in_place(tmp_path):
    path = tmp_path / "BENCHMARKS.md"
    full = Report(command="make bench", started="before")
    full.sections = [section("Public pages (anonymous)", "old"), section("Admin", "kept")]
    full.write(path)
    path.write_text(path.read_text() + "\n## Reading this run (notes added by hand after it)\n")

    partial = Report(command="make bench --only pages", started="after")
    partial.sections = [section("Public pages (anonymous)", "new")]
    partial.merge_into(path)

    text = path.read_text()
    assert text.count("## Public pages (anonymous)") == 1
    assert "| x | new |" in text and "| x | old |" not in text
    assert text.index("## Public pages") < text.index("## Admin") < text.index("## Reading")
    assert "| x | kept |" in text
