"""Atomic publishing of forecast products: staging, link swaps, latest, clean-up of what
dead cycles leave behind."""

from __future__ import annotations

import os

import pytest

from twin.forecast import publish as pub
from twin.forecast.publish import (
    clean_stale_staging,
    publish,
    published_cycles,
    sha256,
    staging_dir,
)


def _stage(products, cycle, text):
    stage = staging_dir(products, cycle)
    (stage / "summary.json").write_text(text)
    (stage / "forecast.nc").write_bytes(text.encode() * 100)
    return stage


def _read(products, name="latest"):
    return (products / name / "summary.json").read_text()


def test_sha256_matches_a_known_digest(tmp_path):
    p = tmp_path / "f"
    p.write_bytes(b"abc")
    assert sha256(p) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_staging_folder_is_hidden_fresh_and_per_process(tmp_path):
    stage = _stage(tmp_path, "20260620T0000Z", "old")
    assert stage.name == f".staging-20260620T0000Z-{os.getpid()}" and stage.parent == tmp_path
    again = staging_dir(tmp_path, "20260620T0000Z")
    assert again == stage and list(again.iterdir()) == []


def test_publish_renames_the_stage_and_points_links_at_it(tmp_path):
    stage = _stage(tmp_path, "20260620T0000Z", "c1")
    link = publish(stage, tmp_path, "20260620T0000Z")
    assert link == tmp_path / "20260620T0000Z" and link.is_symlink()
    assert os.readlink(link).startswith(".cycles/20260620T0000Z.")
    assert os.readlink(tmp_path / "latest") == "20260620T0000Z"
    assert _read(tmp_path) == "c1" and not stage.exists()
    assert published_cycles(tmp_path) == ["20260620T0000Z"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".staging", ".link"))]


def test_latest_follows_the_newest_cycle_and_never_moves_back(tmp_path):
    for c in ("20260620T0000Z", "20260621T0000Z"):
        publish(_stage(tmp_path, c, c), tmp_path, c)
    assert _read(tmp_path) == "20260621T0000Z"
    publish(_stage(tmp_path, "20260620T0000Z", "c1 again"), tmp_path, "20260620T0000Z")
    assert os.readlink(tmp_path / "latest") == "20260621T0000Z"
    assert _read(tmp_path, "20260620T0000Z") == "c1 again"


def test_republishing_keeps_the_replaced_folder_until_the_next_publication(tmp_path):
    c1, c2 = "20260620T0000Z", "20260621T0000Z"
    publish(_stage(tmp_path, c1, "v1"), tmp_path, c1)
    first = (tmp_path / c1).resolve()
    publish(_stage(tmp_path, c1, "v2"), tmp_path, c1)
    second = (tmp_path / c1).resolve()
    assert second != first and _read(tmp_path) == "v2"
    # a reader that resolved the old folder can still read it
    assert (first / "summary.json").read_text() == "v1"
    publish(_stage(tmp_path, c2, "c2"), tmp_path, c2)
    assert not first.exists() and second.exists()
    assert sorted(p.name for p in (tmp_path / ".cycles").iterdir()) == sorted(
        [second.name, (tmp_path / c2).resolve().name]
    )


def test_clean_stale_staging_removes_what_dead_cycles_left(tmp_path):
    c1 = "20260620T0000Z"
    publish(_stage(tmp_path, c1, "c1"), tmp_path, c1)
    dead = tmp_path / ".staging-20260621T0000Z-99999"
    dead.mkdir()
    (dead / ".forecast.nc.abc.part").write_bytes(b"half")
    os.symlink(".cycles/whatever", tmp_path / ".link-latest-99999")
    before = {p.name: os.readlink(p) for p in tmp_path.iterdir() if p.is_symlink()}
    clean_stale_staging(tmp_path)
    assert not dead.exists() and not (tmp_path / ".link-latest-99999").is_symlink()
    after = {p.name: os.readlink(p) for p in tmp_path.iterdir() if p.is_symlink()}
    assert after == {k: v for k, v in before.items() if not k.startswith(".link")}
    assert _read(tmp_path) == "c1"
    clean_stale_staging(tmp_path / "missing")  # no products folder yet: nothing to do


@pytest.mark.parametrize("crash_at", [1, 2])
def test_a_crash_during_the_link_swaps_leaves_the_previous_products(
    tmp_path, monkeypatch, crash_at
):
    """Die before the cycle's link moves (1) or before latest moves (2): latest still shows
    the previous cycle, complete; publishing again succeeds and the orphan folder goes."""
    c1, c2 = "20260620T0000Z", "20260621T0000Z"
    publish(_stage(tmp_path, c1, "c1"), tmp_path, c1)
    real = pub._swap_link
    calls = []

    def dying(products, name, target):
        calls.append(name)
        if len(calls) == crash_at:
            raise KeyboardInterrupt("killed")
        real(products, name, target)

    monkeypatch.setattr(pub, "_swap_link", dying)
    with pytest.raises(KeyboardInterrupt):
        publish(_stage(tmp_path, c2, "c2"), tmp_path, c2)
    monkeypatch.setattr(pub, "_swap_link", real)
    assert _read(tmp_path) == "c1" and os.readlink(tmp_path / "latest") == c1
    assert published_cycles(tmp_path) == ([c1] if crash_at == 1 else [c1, c2])
    publish(_stage(tmp_path, c2, "c2 rerun"), tmp_path, c2)
    assert _read(tmp_path) == "c2 rerun"
    linked = {(tmp_path / c).resolve().name for c in (c1, c2)}
    kept = {p.name for p in (tmp_path / ".cycles").iterdir()}
    assert linked <= kept and len(kept - linked) == (0 if crash_at == 1 else 1)


def test_a_folder_in_the_way_of_a_link_is_refused(tmp_path):
    (tmp_path / "20260620T0000Z").mkdir(parents=True)
    with pytest.raises(OSError, match="not a link made by twin"):
        publish(_stage(tmp_path, "20260620T0000Z", "x"), tmp_path, "20260620T0000Z")
    assert not (tmp_path / "latest").exists()


def test_published_cycles_are_live_links_only(tmp_path):
    c1 = "20260620T0000Z"
    publish(_stage(tmp_path, c1, "c1"), tmp_path, c1)
    os.symlink(".cycles/gone", tmp_path / "20260619T0000Z")  # dangling
    (tmp_path / "notes").mkdir()
    assert published_cycles(tmp_path) == [c1]
    assert published_cycles(tmp_path / "missing") == []
