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


def test_the_summary_lists_what_the_sections_miss_once_merged(tmp_path):
    path = tmp_path / "BENCHMARKS.md"
    full = Report(command="make bench", started="before")
    full.sections = [section("Burst", "81 s"), section("Admin", "72 ms")]
    full.sections[0].check("absorbed within 66 s", False)
    full.sections[1].check("p50 ≤ 300 ms", True)
    full.write(path)
    assert "- Burst: absorbed within 66 s" in path.read_text()

    partial = Report(command="make bench --only burst", started="after")
    partial.sections = [section("Burst", "60 s"), section("Live", "400 req/s")]
    partial.sections[0].check("absorbed within 66 s", True)
    partial.sections[1].check("≥ 450 req/s", False)
    partial.merge_into(path)

    summary = path.read_text().split("## Summary", 1)[1].split("\n## ", 1)[0]
    assert "- Live: ≥ 450 req/s" in summary
    assert "Burst" not in summary and "Admin" not in summary
