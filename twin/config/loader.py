"""Load a model or scenario TOML file, validate it once, and report every problem together.

Loading reads TOML (``tomllib``) and CSV only: nothing in a config is ever executed.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import ConfigError, ConfigIssue
from .checks import check_model
from .interventions import INTERVENTION_TYPES, DeclaredIntervention, ScenarioInterventions
from .loaded import LoadedConfig
from .model import LIST_FIELDS, Fragment, ModelConfig, ScenarioInfo

SCENARIO_KEYS = {
    "scenario",
    "run",
    "quality",
    "forcing",
    "forecast",
    "observations",
    "interventions",
}
# Path-valued keys in tables a scenario may override: resolved against the scenario's folder
# before merging, because the model's folder is not where they were written.
_SCENARIO_PATH_KEYS = {("run", "output_dir"), ("forcing", "cache_dir")}
_SCENARIO_PATH_LIST_KEYS = {("forcing", "files"), ("observations", "files")}


# ------------------------------------------------------------------ error formatting
def _all_field_names() -> set[str]:
    names: set[str] = set()
    seen: set[type] = set()

    def walk(cls: type) -> None:
        if cls in seen or not (isinstance(cls, type) and issubclass(cls, BaseModel)):
            return
        seen.add(cls)
        for name, f in cls.model_fields.items():
            names.add(name)
            for sub in _model_types(f.annotation):
                walk(sub)

    walk(ModelConfig)
    walk(ScenarioInfo)
    walk(ScenarioInterventions)
    return names


def _model_types(annotation: Any) -> list[type]:
    out: list[type] = []
    stack = [annotation]
    while stack:
        a = stack.pop()
        if isinstance(a, type) and issubclass(a, BaseModel):
            out.append(a)
        stack.extend(getattr(a, "__args__", ()) or ())
        meta = getattr(a, "__metadata__", None)
        if meta is not None:
            stack.append(getattr(a, "__origin__", None))
    return out


_FIELD_NAMES: set[str] | None = None


def _format_loc(loc: tuple, prefix: str = "") -> str:
    parts = [prefix] if prefix else []
    for i, p in enumerate(loc):
        if isinstance(p, int):
            parts.append(f"[{p}]")
        elif isinstance(p, str):
            # Discriminated unions add the tag ('weir', 'tide') after a list index: drop it.
            if i > 0 and isinstance(loc[i - 1], int) and _is_tag(p):
                continue
            if p.startswith("function-") or p.startswith("json-or-python"):
                continue
            parts.append(("." if parts else "") + p)
    return "".join(parts) or "(top level)"


_TAGS = {
    "rectangular", "trapezoidal", "irregular", "level", "discharge", "tide", "rating",
    "weir", "sluice", "pump", "flap_gate", "culvert", "wwtp", "enterprise", "point",
    *INTERVENTION_TYPES,
}  # fmt: skip


def _is_tag(p: str) -> bool:
    return p in _TAGS


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _issue_from_error(file: Path | None, err: dict, prefix: str = "") -> ConfigIssue:
    global _FIELD_NAMES
    kind = err["type"]
    loc = err["loc"]
    where = _format_loc(loc, prefix)
    msg = err["msg"]
    ctx = err.get("ctx") or {}
    name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    fix = ""
    if kind == "missing":
        msg = "required field is missing"
        fix = f"add '{name}'"
    elif kind == "extra_forbidden":
        if _FIELD_NAMES is None:
            _FIELD_NAMES = _all_field_names()
        msg = f"unknown field '{name}'"
        if len(loc) > 1 and name in ModelConfig.model_fields:
            fix = (
                f"'{name}' is a top-level key: move it above the first [table] header "
                "(TOML puts keys written after a header inside that table)"
            )
        else:
            close = difflib.get_close_matches(name, sorted(_FIELD_NAMES - {name}), n=1)
            fix = f"did you mean '{close[0]}'?" if close else "remove it or check the spelling"
    elif kind in ("literal_error", "union_tag_invalid", "enum"):
        msg = f"{msg} (got {_short(err.get('input'))})"
        expected = ctx.get("expected_tags") or ctx.get("expected")
        fix = f"use one of {expected}" if expected else ""
    elif kind == "union_tag_not_found":
        fix = f"add '{ctx.get('discriminator', 'kind').strip(chr(39))}' naming the variant"
    elif kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        msg = f"{msg} (got {_short(err.get('input'))})"
        fix = "change the value to lie in the allowed range"
    elif kind.endswith("_parsing") or kind.endswith("_type"):
        msg = f"{msg} (got {_short(err.get('input'))})"
        fix = "give a value of the expected type"
    elif kind == "value_error":
        msg = msg.removeprefix("Value error, ")
    elif kind in ("string_pattern_mismatch",):
        fix = "use letters, digits, '_', '-', '.' or Chinese characters, no spaces or '/'"
    elif kind in ("too_short", "too_long"):
        fix = "add or remove entries"
    return ConfigIssue(file, where, msg, fix)


def issues_from_validation(
    file: Path | None, exc: ValidationError, prefix: str = ""
) -> list[ConfigIssue]:
    return [_issue_from_error(file, e, prefix) for e in exc.errors(include_url=False)]


# ------------------------------------------------------------------------- loading
def read_toml(path: Path) -> tuple[dict | None, list[ConfigIssue]]:
    """Parse one TOML file; a syntax error becomes an issue naming the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [ConfigIssue(path, "(file)", "file not found", "check the path")]
    except OSError as exc:
        return None, [ConfigIssue(path, "(file)", f"cannot read: {exc.strerror}", "")]
    except UnicodeDecodeError:
        return None, [ConfigIssue(path, "(file)", "not UTF-8 text", "save the file as UTF-8")]
    try:
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as exc:
        return None, [ConfigIssue(path, "(syntax)", str(exc), "fix the TOML syntax there")]


def _validate(cls: type[BaseModel], data: dict, path: Path, issues: list[ConfigIssue], prefix=""):
    try:
        return cls.model_validate(data, context={"base_dir": path.parent})
    except ValidationError as exc:
        issues.extend(issues_from_validation(path, exc, prefix))
        return None


_PRUNABLE_TABLES = {"run", "forcing", "quality", "forecast"}


@dataclass
class _Pruned:
    """What was dropped to keep checking after schema errors: the kept positions of list
    items per table, the ids declared by dropped items, and dropped top-level tables."""

    kept: dict[str, list[int]] = field(default_factory=dict)
    dropped_ids: dict[str, set] = field(default_factory=dict)
    dropped_tables: set[str] = field(default_factory=set)


def _validate_pruned(cls, data: dict, path: Path, issues: list[ConfigIssue], pruned: _Pruned):
    """Validate ``data``; on schema errors report them all, then drop the offending list
    items (and optional tables) and validate the rest, so that reference checks still run
    on everything that is well formed. Returns None when nothing sensible remains."""
    try:
        obj = cls.model_validate(data, context={"base_dir": path.parent})
        for table in LIST_FIELDS:
            pruned.kept[table] = list(range(len(getattr(obj, table))))
        return obj
    except ValidationError as exc:
        issues.extend(issues_from_validation(path, exc))
        bad_items: dict[str, set[int]] = {}
        for e in exc.errors(include_url=False):
            loc = e["loc"]
            if len(loc) >= 2 and loc[0] in LIST_FIELDS and isinstance(loc[1], int):
                bad_items.setdefault(loc[0], set()).add(loc[1])
            elif loc and loc[0] in _PRUNABLE_TABLES:
                pruned.dropped_tables.add(loc[0])
            else:
                return None
    data = {k: v for k, v in data.items() if k not in pruned.dropped_tables}
    for table, bad in bad_items.items():
        items = data.get(table) or []
        pruned.dropped_ids[table] = {
            it.get("id") for k, it in enumerate(items) if k in bad and isinstance(it, dict)
        }
        data[table] = [it for k, it in enumerate(items) if k not in bad]
    try:
        obj = cls.model_validate(data, context={"base_dir": path.parent})
    except ValidationError:
        return None
    for table in LIST_FIELDS:
        n = len(data.get(table) or [])
        bad = bad_items.get(table, set())
        pruned.kept[table] = [k for k in range(n + len(bad)) if k not in bad][:n]
    return obj


def _deep_merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _deep_merge(out[k], v)
        else:
            out[k] = v
    return out


def _resolve_scenario_paths(data: dict, folder: Path) -> dict:
    data = {k: (dict(v) if isinstance(v, dict) else v) for k, v in data.items()}
    for table, key in _SCENARIO_PATH_KEYS:
        t = data.get(table)
        if isinstance(t, dict) and isinstance(t.get(key), str):
            t[key] = str((folder / t[key]).resolve())
    for table, key in _SCENARIO_PATH_LIST_KEYS:
        t = data.get(table)
        if isinstance(t, dict) and isinstance(t.get(key), list):
            t[key] = [str((folder / p).resolve()) if isinstance(p, str) else p for p in t[key]]
    return data


def _load_fragments(
    includes: list[Path], seen: set[Path], issues: list[ConfigIssue], files: list[Path]
) -> list[tuple[Path, Fragment, _Pruned]]:
    out: list[tuple[Path, Fragment, _Pruned]] = []
    for inc in includes:
        inc = inc.resolve()
        if inc in seen:
            issues.append(
                ConfigIssue(
                    inc, "include", "file is included twice or in a cycle", "include each file once"
                )
            )
            continue
        seen.add(inc)
        files.append(inc)
        data, errs = read_toml(inc)
        issues.extend(errs)
        if data is None:
            continue
        pruned = _Pruned()
        frag = _validate_pruned(Fragment, data, inc, issues, pruned)
        if frag is None:
            continue
        out.append((inc, frag, pruned))
        out.extend(_load_fragments(frag.include, seen, issues, files))
    return out


def load_config(
    path: str | Path, file_checks: Sequence[Callable[[LoadedConfig], list[ConfigIssue]]] = ()
) -> LoadedConfig:
    """Load and validate a scenario or model TOML file.

    ``file_checks`` are further checks of the loaded config, run after the rules of
    ``twin.config.checks``: those of the files a config names, which live in a higher layer
    (``twin.forcing.checks``; ``twin.run.load`` passes them). Raises ConfigError listing every
    problem found (syntax, schema, references, and what ``file_checks`` report).
    """
    path = Path(path).resolve()
    issues: list[ConfigIssue] = []
    files = [path]
    data, errs = read_toml(path)
    if data is None:
        raise ConfigError(errs)

    chain = [path]
    overrides: dict = {}
    interventions: list[DeclaredIntervention] = []
    name = None
    title = ""
    if "scenario" in data:
        # Walk the inheritance chain leaf -> root, then apply overrides root -> leaf.
        docs: list[tuple[Path, dict]] = []
        cur_path, cur = path, data
        model_path = None
        while True:
            unknown = set(cur) - SCENARIO_KEYS
            for k in sorted(unknown):
                close = difflib.get_close_matches(k, sorted(SCENARIO_KEYS), n=1)
                issues.append(
                    ConfigIssue(
                        cur_path,
                        k,
                        f"unknown table '{k}' in a scenario file",
                        f"did you mean '{close[0]}'?"
                        if close
                        else "a scenario holds [scenario], [run], [quality], [forcing], [forecast], [observations], [[interventions]]",
                    )
                )
            docs.append((cur_path, cur))
            info = _validate(ScenarioInfo, cur.get("scenario", {}), cur_path, issues, "scenario")
            if info is None:
                break
            if name is None:
                name, title = info.name, info.title
            elif not title and info.name == name:
                # The same scenario over another period or with other settings: its title.
                title = info.title
            if info.model is not None:
                model_path = info.model.resolve()
                break
            parent = info.inherits.resolve()
            if parent in chain:
                issues.append(
                    ConfigIssue(
                        cur_path,
                        "scenario.inherits",
                        "inheritance forms a cycle",
                        "break the cycle",
                    )
                )
                break
            chain.append(parent)
            files.append(parent)
            pdata, perrs = read_toml(parent)
            if pdata is None:
                issues.extend(
                    ConfigIssue(cur_path, "scenario.inherits", i.message, i.fix) for i in perrs
                )
                break
            if "scenario" not in pdata:
                issues.append(
                    ConfigIssue(
                        cur_path,
                        "scenario.inherits",
                        f"{parent} is not a scenario file",
                        "inherit from a scenario; point 'model' at a model file",
                    )
                )
                break
            cur_path, cur = parent, pdata
        for p, d in reversed(docs):
            over = _resolve_scenario_paths(
                {
                    k: v
                    for k, v in d.items()
                    if k in ("run", "quality", "forcing", "forecast", "observations")
                },
                p.parent,
            )
            overrides = _deep_merge(overrides, over)
            if "interventions" in d and not isinstance(d["interventions"], list):
                issues.append(
                    ConfigIssue(
                        p,
                        "interventions",
                        "interventions must be a list of tables",
                        "write each one as [[interventions]] (double brackets)",
                    )
                )
            elif "interventions" in d:
                block = _validate(
                    ScenarioInterventions, {"interventions": d["interventions"]}, p, issues
                )
                if block is not None:
                    interventions.extend(
                        DeclaredIntervention(p, i, x) for i, x in enumerate(block.interventions)
                    )
        if model_path is None:
            raise ConfigError(issues)
        files.append(model_path)
        mdata, merrs = read_toml(model_path)
        if mdata is None:
            raise ConfigError(
                issues + [ConfigIssue(path, "scenario.model", i.message, i.fix) for i in merrs]
            )
        if "scenario" in mdata:
            raise ConfigError(
                [
                    *issues,
                    ConfigIssue(
                        path,
                        "scenario.model",
                        f"{model_path} is a scenario, not a model",
                        "use 'inherits' for a scenario",
                    ),
                ]
            )
    else:
        model_path, mdata = path, data
        chain = []

    merged = _deep_merge(mdata, overrides)
    n_before = len(issues)
    root_pruned = _Pruned()
    model = _validate_pruned(ModelConfig, merged, model_path, issues, root_pruned)
    # Attribute run/quality/forcing errors to the scenario when it set them.
    issues[n_before:] = [_reattribute(i, overrides, chain) for i in issues[n_before:]]
    if model is None:
        raise ConfigError(issues)
    fragments = _load_fragments(model.include, {model_path}, issues, files)

    origins: dict[str, list[tuple[Path, int]]] = {}
    combined: dict[str, list] = {}
    declared: dict[str, set] = {}
    for table in LIST_FIELDS:
        items = list(getattr(model, table))
        orig = [(model_path, i) for i in root_pruned.kept[table]]
        declared[table] = set(root_pruned.dropped_ids.get(table, set()))
        for fpath, frag, pr in fragments:
            lst = getattr(frag, table)
            items.extend(lst)
            orig.extend((fpath, i) for i in pr.kept[table])
            declared[table] |= pr.dropped_ids.get(table, set())
        combined[table] = items
        origins[table] = orig
    model = model.model_copy(update=combined)

    run_dropped = "run" in root_pruned.dropped_tables
    if model.run is None and not run_dropped:
        issues.append(
            ConfigIssue(
                path,
                "run",
                "no [run] table (start, end, dt_s)",
                "add [run] to the scenario or the model",
            )
        )
    loaded = LoadedConfig(
        name=name or model.model.name,
        title=title,
        path=path,
        model=model,
        run=model.run,
        model_path=model_path,
        scenario_chain=chain,
        interventions=interventions,
        files=files,
        origins=origins,
        declared_ids=declared,
    )
    issues.extend(check_model(loaded))
    for check in file_checks:
        issues.extend(check(loaded))
    if issues:
        raise ConfigError(issues)
    return loaded


def _reattribute(issue: ConfigIssue, overrides: dict, chain: list[Path]) -> ConfigIssue:
    if not chain or issue.field.split(".")[0].split("[")[0] not in overrides:
        return issue
    return ConfigIssue(chain[0], issue.field, issue.message, issue.fix)
