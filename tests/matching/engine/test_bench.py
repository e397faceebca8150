"""The benchmark script runs and agrees with the naive scorer (tiny sizes; real figures: see bench.py)."""

from matching.engine import bench


def test_bench_runs_small_and_finds_no_mismatch(capsys):
    assert (
        bench.main(
            ["--candidates", "3000", "--vacancies", "30", "--threads", "2", "--naive-pairs", "500", "--check", "3"]
        )
        == 0
    )
    out = capsys.readouterr().out
    for key in (
        "ranking_s",
        "everything_s",
        "floor_s",
        "naive_us_per_pair",
        "ratio_everything_vs_floor",
        "engine_over_floor",
        "engine_over_floor_cpu",
        "peak_rss_mb",
    ):
        assert key in out
