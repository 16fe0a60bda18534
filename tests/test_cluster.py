"""``lagebild analyze --cluster``: the per-article stages on a Dask cluster (real worker
processes) give the picture one process gives, survive a worker killed mid-run, and a rerun adds
and recomputes nothing."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed", reason="--cluster needs dask.distributed (pip install 'lagebild[cluster]')")

from helpers import analyze_report, comparable, run_cli  # noqa: E402
from lagebild import cluster  # noqa: E402
from lagebild.ingest import discover, read_input  # noqa: E402
from lagebild.model import Article  # noqa: E402
from lagebild.store import Store  # noqa: E402


def _on_cluster(tmp_path: Path, inputs, db: Path, address: str, name: str) -> tuple[dict, object]:
    out = tmp_path / f"{name}.json"
    result = run_cli("analyze", *inputs, "--db", db, "--cluster", address, "--json", out)
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8")), result


def _stage_rows(db: str) -> list[tuple]:
    with Store(db) as store:
        return [tuple(row) for row in store.connection.execute("SELECT article_seq, stage, version, result FROM stage_results ORDER BY article_seq, stage")]


def _article_order(db: str) -> list[tuple]:
    with Store(db) as store:
        return [tuple(row) for row in store.connection.execute("SELECT seq, id FROM articles ORDER BY seq")]


@pytest.fixture
def small_partitions(monkeypatch):
    """Two records a partition: the example corpus becomes several partitions, the JSON-lines
    file among them cut in two ranges of lines."""
    monkeypatch.setattr(cluster, "RECORDS_PER_PARTITION", 2)


def test_partitions_cut_json_lines_into_ranges_read_as_the_whole_file_reads_them(tmp_path, examples):
    wire = tmp_path / "wire.jsonl"
    wire.write_text((examples / "wire_english.jsonl").read_text(encoding="utf-8") + "\nnot json\n", encoding="utf-8")
    parts, problems = cluster.partitions([str(wire), str(examples / "faehre"), str(tmp_path / "missing")], records_per_partition=2)
    assert [problem.path for problem in problems] == [str(tmp_path / "missing")]
    assert [[(piece.kind, piece.first, piece.count) for piece in part] for part in parts][:2] == [[("lines", 1, 2)], [("lines", 3, 2)]]
    read = [item for part in parts for piece in part for item in piece.read(1_000_000)]
    whole = [item for location in discover([str(wire), str(examples / "faehre")])[0] for item in read_input(location)]
    assert read == whole and any(not isinstance(item, Article) for item in read)


def _warc(path: Path, pages: int) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=path.suffix == ".gz")
        for number in range(pages):
            body = f"<html><head><title>Meldung {number}</title></head><body><article><p>Die Fähre lief am Morgen auf Grund, meldet die Reederei in Meldung {number}. Alle Passagiere sind an Land.</p></article></body></html>"
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://x.example/{number}", "response", payload=io.BytesIO(body.encode()), http_headers=headers))


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_partitions_cut_warc_archives_into_ranges_of_records(tmp_path, name):
    archive = tmp_path / name
    _warc(archive, 5)
    parts, _ = cluster.partitions([str(archive)], records_per_partition=2)
    assert [[(piece.kind, piece.first, piece.count) for piece in part] for part in parts] == [[("records", 1, 2)], [("records", 3, 2)], [("records", 5, 1)]]
    read = [item for part in parts for piece in part for item in piece.read(1_000_000)]
    assert read == list(read_input(str(archive))) and len(read) == 5 and all(isinstance(item, Article) for item in read)


def test_a_cluster_gives_the_picture_of_one_process_and_a_rerun_adds_and_recomputes_nothing(tmp_path, examples, small_partitions, store_at):
    one, result = analyze_report(tmp_path, examples, db=tmp_path / "one.db")
    assert result.exit_code == 0
    db = store_at()
    first, _ = _on_cluster(tmp_path, [examples], db, "local:2", "first")
    assert comparable(first) == comparable(one) and first["run"] == one["run"]
    assert first["lagebild"]["cluster"]["partitions"] > 2 and first["lagebild"]["cluster"]["analysed"] == 17
    assert _article_order(db) == _article_order(tmp_path / "one.db")  # stored in input order
    rows = _stage_rows(db)
    again, result = _on_cluster(tmp_path, [examples], db, "local:2", "again")
    assert "17 article(s): 0 new, 17 already stored" in result.output
    assert again["lagebild"]["cluster"]["analysed"] == 0 and _stage_rows(db) == rows and len(_article_order(db)) == 17
    assert comparable(again) == comparable(one)


def die_after_a_partition(flag: str) -> None:
    """Run on one worker: its first analysed partition is kept, then its process dies before it
    answers (the scheduler loses the worker and the partition's result, and runs it again)."""
    real = cluster.stage_partition

    def dying(db, stored):
        real(db, stored)
        Path(flag).write_text(str(os.getpid()), encoding="utf-8")
        os._exit(1)

    cluster.stage_partition = dying  # the tasks name the function by module and name: they get this one


def test_a_worker_killed_mid_run_costs_its_partition_only(tmp_path, examples, small_partitions):
    one, _ = analyze_report(tmp_path, examples, db=tmp_path / "one.db")
    flag = tmp_path / "killed"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
        with distributed.Client(local) as client:
            doomed = sorted(client.scheduler_info()["workers"])[0]
            client.run(die_after_a_partition, str(flag), workers=[doomed])
            picture, _ = _on_cluster(tmp_path, [examples], tmp_path / "cluster.db", local.scheduler_address, "killed")
    assert flag.exists()  # a worker did die mid-run
    assert comparable(picture) == comparable(one) and picture["run"] == one["run"]


@pytest.mark.parametrize("address", ["nonsense", "local:0", "tcp://127.0.0.1"])
def test_a_bad_cluster_address_gives_one_line(tmp_path, examples, address):
    result = run_cli("analyze", examples, "--db", tmp_path / "store.db", "--cluster", address, "--quiet")
    assert result.exit_code == 2 and result.output.startswith("error:") and result.output.count("\n") == 1, result.output


def test_an_unreachable_scheduler_gives_one_line(tmp_path, examples, monkeypatch):
    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 1)
    result = run_cli("analyze", examples, "--db", tmp_path / "store.db", "--cluster", "tcp://127.0.0.1:9", "--quiet")
    assert result.exit_code == 2 and result.output.startswith("error: cannot reach") and result.output.count("\n") == 1, result.output


def test_a_cluster_needs_a_store_file(tmp_path, examples):
    result = run_cli("analyze", examples, "--cluster", "local:1", "--quiet")
    assert result.exit_code == 2 and "--db" in result.output and result.output.count("\n") == 1
