"""Run many scenarios at once on dask and gather what a comparison needs.

Each scenario is one independent task: it loads its config, runs it with
``twin.run.runner.run_scenario`` into its own run folder (``<out>/runs/<scenario name>/``) and
returns a small ``ScenarioOutcome`` (status, error, the assessment and the loads into storage
nodes). The runs write their own files; only the outcomes travel back to the client.

Where the tasks run:

- ``"local"`` (default): a ``dask.distributed.LocalCluster`` on this machine with ``workers``
  single-threaded worker processes;
- ``"tcp://HOST:PORT"``: an existing ``dask.distributed`` scheduler and its workers, possibly
  on other machines. Every worker must import the same version of twin and see the scenario
  files and the output folder under the same paths (a shared file system);
- ``"synchronous"``: one after the other in this process (for debugging: breakpoints and
  tracebacks work as usual).

Reproducibility: a run depends only on its config. The kernels are serial (no ``parallel``
or ``fastmath``), nothing depends on hash order, time or the process, and the workers started
here (and by ``dask worker`` through its nanny) keep numpy's BLAS pools at one thread, so a
scenario gives the same bits alone, on local processes and on a cluster of identical machines.

A scenario that fails (a bad config, a numerical failure, a fault) gives an outcome with its
error; the others go on.
"""

from __future__ import annotations

import logging
import os
import sys
import time
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path

import dask

from ..errors import UserError
from ..io.atomic import safe_name
from .outcome import ScenarioOutcome, failure

log = logging.getLogger("twin")

WORKER_ENV = {
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "NUMBA_NUM_THREADS": "1",
}
"""Environment of worker processes started by ``twin compare``: one thread per pool."""

SCHEDULER_TIMEOUT_S = 20.0


# ------------------------------------------------------------------------ planning
def scenario_description(path: Path) -> str:
    """The ``description`` of the scenario (or model) file, '' when it has none."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return ""
    table = data.get("scenario") or data.get("model") or {}
    return str(table.get("description", "")) if isinstance(table, dict) else ""


def plan(paths: Sequence[str | Path], out_dir: Path) -> list[ScenarioOutcome]:
    """One outcome per scenario file, named from its config (or its file name when it cannot
    be loaded, which fails it at once) with a run folder of its own under ``runs/``."""
    from ..config.scenario import describe
    from ..run.load import load_checked_scenario

    members: list[ScenarioOutcome] = []
    used: set[str] = set()
    for i, p in enumerate(paths):
        path = Path(p).resolve()
        member = ScenarioOutcome(index=i, path=str(path), name=path.stem, folder="")
        try:
            if not path.is_file():
                raise UserError(f"scenario file {p} not found")
            cfg = load_checked_scenario(path)
            member.name = cfg.name
            member.title = cfg.title
            member.language = cfg.model.model.language
            member.model = str(cfg.model_path)
            member.inherits = [str(c) for c in cfg.scenario_chain[1:]]
            member.interventions = describe(cfg)
            member.description = scenario_description(path)
        except UserError as exc:
            member.status, member.error_kind, member.error = "failed", "config", str(exc)
        folder = safe_name(member.name)
        k = 2
        while folder.lower() in used:
            folder = f"{safe_name(member.name)}-{k}"
            k += 1
        used.add(folder.lower())
        member.folder = f"runs/{folder}"
        members.append(member)
    return members


# ------------------------------------------------------------------------ one task
def run_member(path: str, out_dir: str, folder: str) -> ScenarioOutcome:
    """Run one scenario into ``out_dir/folder`` (``out_dir`` absolute); never raises for a
    failed run. Errors name files in the run folder relative to ``out_dir``, so the outcome
    does not depend on where the comparison was written."""
    from ..run.runner import run_scenario

    where = str(Path(out_dir) / folder)
    out = ScenarioOutcome(index=-1, path=path, name=Path(path).stem, folder=folder)
    out.worker = f"{os.uname().nodename}:{os.getpid()}"
    t0 = time.perf_counter()
    try:
        # Reading the forcing goes through dask (xarray). Inside a worker, dask would send
        # those reads to the cluster and free the worker's thread meanwhile, so that every
        # worker took up more runs at once and a run's forcing waited behind other runs:
        # the run's own dask work stays in its own thread.
        with dask.config.set(scheduler="synchronous"):
            result = run_scenario(path, where)
        out.status = "ok"
        out.products = result.products
    except Exception as exc:
        out.status = "failed"
        out.error_kind, out.error = failure(exc, folder)
    out.error = out.error.replace(where, folder)
    out.wall_time_s = time.perf_counter() - t0
    return out


def _merge(member: ScenarioOutcome, result: ScenarioOutcome) -> None:
    for name in ("status", "error", "error_kind", "products", "wall_time_s", "worker"):
        setattr(member, name, getattr(result, name))


# ---------------------------------------------------------------------- executing
def run_all(
    members: list[ScenarioOutcome],
    out_dir: Path,
    scheduler: str = "local",
    workers: int | None = None,
    progress: Callable[[ScenarioOutcome], None] | None = None,
) -> list[ScenarioOutcome]:
    """Run every member not yet failed, on the scheduler chosen; fills in the outcomes."""
    todo = [m for m in members if m.status == "pending"]
    if not todo:
        return members
    report = progress or (lambda m: None)
    if scheduler == "synchronous":
        for m in todo:
            _merge(m, run_member(m.path, str(out_dir), m.folder))
            report(m)
        return members
    if scheduler == "local":
        n = workers or max(1, min(len(todo), os.cpu_count() or 1))
        with _local_client(n) as client:
            _run_on(client, todo, out_dir, report)
    else:
        check_scheduler(scheduler)
        with _remote_client(scheduler) as client:
            _run_on(client, todo, out_dir, report)
    return members


def check_scheduler(scheduler: str) -> None:
    """Raise a UserError unless ``scheduler`` is 'local', 'synchronous' or an address."""
    if scheduler in ("local", "synchronous") or scheduler.startswith(("tcp://", "tls://")):
        return
    raise UserError(
        f"--scheduler {scheduler!r} is not understood -> use 'local', 'synchronous' or "
        "the address of a dask scheduler such as tcp://10.0.0.5:8786"
    )


def _local_client(n_workers: int):
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=n_workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        env=WORKER_ENV,
        silence_logs=logging.ERROR,
    )
    return _ClusterClient(Client(cluster), cluster)


class _ClusterClient:
    """A client that closes its cluster too."""

    def __init__(self, client, cluster=None):
        self.client, self.cluster = client, cluster

    def __enter__(self):
        return self.client

    def __exit__(self, *exc):
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _remote_client(address: str):
    from distributed import Client

    try:
        client = Client(address, timeout=SCHEDULER_TIMEOUT_S)
    except OSError as exc:
        raise UserError(
            f"cannot reach the dask scheduler at {address} ({exc}) -> start one with "
            "`dask scheduler` and workers with `dask worker ADDRESS --nthreads 1`, or run "
            "without --scheduler to use processes on this machine"
        ) from None
    if not client.scheduler_info().get("workers"):
        try:
            client.wait_for_workers(1, timeout=SCHEDULER_TIMEOUT_S)
        except TimeoutError:
            client.close()
            raise UserError(
                f"the dask scheduler at {address} has no workers -> start some with "
                f"`dask worker {address} --nthreads 1`"
            ) from None
    return _ClusterClient(client)


def _run_on(client, todo: list[ScenarioOutcome], out_dir: Path, report) -> None:
    from distributed import as_completed

    futures = {}
    for m in todo:
        fut = client.submit(
            run_member,
            m.path,
            str(out_dir),
            m.folder,
            key=f"twin-run-{m.index}-{m.folder.split('/', 1)[1]}-{time.time_ns()}",
            pure=False,
            retries=0,
        )
        futures[fut] = m
    for fut in as_completed(list(futures)):
        m = futures[fut]
        try:
            _merge(m, fut.result())
        except Exception as exc:  # the worker died, or the task could not be run at all
            m.status, m.error_kind = "failed", "internal"
            m.error = f"the task failed on the cluster: {type(exc).__name__}: {exc}"
        report(m)


# --------------------------------------------------------------------------- entry
def compare(
    scenarios: Sequence[str | Path],
    out_dir: str | Path,
    scheduler: str = "local",
    workers: int | None = None,
    baseline: str | None = None,
    progress: Callable[[ScenarioOutcome], None] | None = None,
    lang: str | None = None,
):
    """Run ``scenarios`` and write the comparison into ``out_dir``: comparison.csv,
    summary.csv, loads.csv, figures/ and report.html (see ``twin.compare.report``).

    ``baseline`` names the scenario changes are measured against (its name or file stem);
    default the scenario named 'baseline', else the first given. Returns the
    ``twin.compare.report.Comparison``.
    """
    from .report import write_comparison
    from .tables import Comparison

    if not scenarios:
        raise UserError("name at least one scenario file")
    if workers is not None and workers < 1:
        raise UserError(f"--workers {workers}: give at least 1")
    check_scheduler(scheduler)
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    members = plan(scenarios, out)
    base = choose_baseline(members, baseline)
    t0 = time.perf_counter()
    run_all(members, out, scheduler, workers, progress)
    comp = Comparison(members, base, scheduler=scheduler, wall_time_s=time.perf_counter() - t0)
    write_comparison(comp, out, lang)
    return comp


def choose_baseline(members: list[ScenarioOutcome], name: str | None) -> int:
    """Index of the baseline: the one named ``name`` (scenario name or file stem), else the
    one named 'baseline', else the first."""
    if name is not None:
        for m in members:
            if name in (m.name, Path(m.path).stem):
                return m.index
        known = ", ".join(m.name for m in members)
        raise UserError(f"--baseline {name!r} is none of the scenarios given ({known})")
    for m in members:
        if m.name == "baseline":
            return m.index
    return 0


def print_progress(m: ScenarioOutcome) -> None:
    """One line per finished scenario on stderr."""
    if m.ok:
        sys.stderr.write(f"  {m.name}: done in {m.wall_time_s:.1f} s\n")
    else:
        first = m.error.splitlines()[0] if m.error else ""
        sys.stderr.write(f"  {m.name}: FAILED ({m.error_kind}): {first}\n")
    sys.stderr.flush()
