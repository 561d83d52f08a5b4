"""Import the whole national catalogue: every portal record as an entry, or a reason why not.

``python -m knowledge import-catalogue`` reads the repository's copy of the records
(``knowledge/sources/procedures/national-all.jsonl.gz``), renders each with the same
renderer as the curated entries, and writes the entry files into a generated folder
(``var/catalogue/procedures/`` by default), not into ``knowledge/content``. Each record
ends up in exactly one of three states:

- curated: its code is in ``selection.yml``; the hand-written entry (title, aliases) wins;
- rejected: with a reason (no steps, no documents, no channel table, a fact of the entry
  not found in the record, …): never dropped silently, never half-rendered;
- imported: plain title and aliases generated (``knowledge.ingest.names``), audience from
  the record's subjects, and every core faithfulness check passed.

Re-importing refreshes: the folder keeps a state file (code → entry id and the record's
field hashes), so ids stay stable, a changed record updates its entry and the report says
what changed (field, before, after), and the entry of a record that disappeared (or is now
curated or rejected) leaves the live folder for ``<target>-withdrawn/``, reported on every
import until someone removes it there.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
from pydantic import ValidationError

from knowledge.entries import Audience, Entry, load_entries
from knowledge.ingest import faithfulness
from knowledge.ingest.dichvucong import known, parse_channels, parse_documents
from knowledge.ingest.names import AliasRule, catalogue_names, load_alias_rules, slug
from knowledge.ingest.procedures import SOURCES, load_overrides, load_selection
from knowledge.ingest.render import MINISTRIES, Selection, render_procedure
from knowledge.legal.citations import check_entries
from knowledge.legal.registry import load_registry
from knowledge.settings import REPO_ROOT

CATALOGUE_RECORDS = SOURCES / "national-all.jsonl.gz"
DEFAULT_TARGET = REPO_ROOT / "var" / "catalogue" / "procedures"
REPORT_JSON = REPO_ROOT / "bench" / "results" / "catalogue_import.json"
REPORT_MD = REPO_ROOT / "bench" / "results" / "catalogue_import.md"
STATE_FILE = "catalogue-state.json"
CODE = re.compile(r"^\d+\.\d+$")

# Who a record is for, from its "Đối tượng thực hiện" (a comma-separated list of subjects).
PEOPLE = ("Công dân Việt Nam", "Người Việt Nam định cư ở nước ngoài", "Người nước ngoài")
ORGANISATIONS = ("Doanh nghiệp", "Tổ chức", "Hợp tác xã")
CIVIL_SERVANTS = ("Cán bộ, công chức, viên chức", "Đảng viên")

# Reasons a record is rejected before rendering (the faithfulness reasons are faithfulness.CORE_CHECKS).
NO_NAME = "empty name"
BAD_CODE = "code not of the form N.NNNNNN"
DUPLICATE = "duplicate code"
UNKNOWN_MINISTRY = "unknown ministry folder"
NO_STEPS = "no procedure steps"
NO_DOCUMENTS = "no documents"
NO_CHANNELS = "channel table not parsed (how to apply, time limit, fee)"
RENDER_ERROR = "renderer error"
INVALID_ENTRY = "entry does not validate"
CITES_REPLACED = "cites a replaced legal document"
# What was found behind each reason when the 2,642 records of 2026 were imported (for the report).
REASON_NOTES = {
    NO_DOCUMENTS: "the record's document list is empty or only a dash",
    NO_CHANNELS: "the channel table's time cell holds a sentence, not a time "
    '("Trực tuyếnKhông phải trả kết quả…"), so its rows cannot be split into channel, time and fee',
    "document number not in the record": 'a code written with a space ("39/2026/NĐ -CP") is completed '
    'from the record\'s other numbers and then shows the issuer twice ("39/2026/NĐ-CP-CP"), or a quantity '
    'glued to a code ("13/2016/TT-BNNPTNT1 bản chính"): a number the record does not have',
    "free although the record charges": 'the fee cell says "Miễn phí" while its note states amounts '
    '("Cấp lại do bị mất, rách, hỏng: 5.000.000 đồng"): the summary would say free',
    "requires the abolished household book (sổ hộ khẩu)": "the document list still asks for the sổ hộ "
    "khẩu, valid only until 31/12/2022 (Luật Cư trú 2020): the record is outdated",
    CITES_REPLACED: "its legal basis cites a document that a legal text kept in the repository says was "
    "replaced (knowledge/legal/registry.yml, with the quote): the record may state what no longer applies",
    "fee reduction misstated (expired shown, or current left out)": "a table without a fee column "
    '("Hình thức nộpThời gianMô tả"): a reduction still in force is not carried into the summary',
}
# The entry fields an admin reviews when a record changes, besides the body's sections.
REVIEWED_FIELDS = ("title", "aliases", "audience", "level", "ministry", "source")


def read_records(path: Path) -> list[dict]:
    """The records of a JSON Lines file, gzipped or not (the crawl's raw page text dropped)."""
    opener = gzip.open if path.suffix == ".gz" else open
    records = []
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                record.pop("raw_text", None)
                records.append(record)
    return records


def audience_of(record: dict) -> Audience:
    """citizen (people only), business (enterprises and organisations only), civil_servant
    (officials only), both (more than one of these, or none named)."""
    subjects = known(record.get("doi_tuong_thuc_hien")) or ""
    for name in CIVIL_SERVANTS:  # "Cán bộ, công chức, viên chức" holds commas of its own
        subjects = subjects.replace(name, "@civil")
    kinds = set()
    for subject in (part.strip() for part in subjects.split(",")):
        if subject == "@civil":
            kinds.add(Audience.civil_servant)
        elif subject.startswith(PEOPLE):
            kinds.add(Audience.citizen)
        elif subject.startswith(ORGANISATIONS) or subject.endswith("HTX)"):
            kinds.add(Audience.business)
    return kinds.pop() if len(kinds) == 1 else Audience.both


def structural_reason(record: dict) -> str | None:
    """Why the record cannot be rendered into the standard sections, or None."""
    if not known(record.get("ten_thu_tuc")):
        return NO_NAME
    if not CODE.match(str(record.get("ma_thu_tuc", ""))):
        return BAD_CODE
    if record.get("ministry_dir") not in MINISTRIES:
        return UNKNOWN_MINISTRY
    if not known(record.get("trinh_tu_thuc_hien")):
        return NO_STEPS
    if not parse_documents(record.get("thanh_phan_ho_so") or ""):
        return NO_DOCUMENTS
    if not parse_channels(record.get("cach_thuc_thuc_hien") or ""):
        return NO_CHANNELS
    return None


def _field_hashes(record: dict) -> dict[str, str]:
    return {
        key: hashlib.sha1(json.dumps(value, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:12]
        for key, value in sorted(record.items())
    }


def parse_entry(text: str, path: str = "") -> Entry:
    post = frontmatter.loads(text)
    return Entry.model_validate({**post.metadata, "body": post.content, "path": path})


def sections(body: str) -> dict[str, str]:
    parts = re.split(r"^## (.+)$", body, flags=re.M)
    return {title.strip(): text.strip() for title, text in zip(parts[1::2], parts[2::2], strict=True)}


def entry_changes(before: Entry, after: Entry) -> list[dict]:
    """What an admin reviews: each front-matter field and body section that differs, before and after."""
    changes = []
    for name in REVIEWED_FIELDS:
        old, new = getattr(before, name), getattr(after, name)
        old = old.model_dump(exclude_none=True) if hasattr(old, "model_dump") else old
        new = new.model_dump(exclude_none=True) if hasattr(new, "model_dump") else new
        old = old.value if isinstance(old, Audience) else old
        new = new.value if isinstance(new, Audience) else new
        if old != new:
            changes.append({"field": name, "before": old, "after": new})
    old_sections, new_sections = sections(before.body), sections(after.body)
    for title in dict.fromkeys([*old_sections, *new_sections]):
        if old_sections.get(title) != new_sections.get(title):
            changes.append(
                {"field": f"section: {title}", "before": old_sections.get(title), "after": new_sections.get(title)}
            )
    return changes


def _without_review_date(text: str) -> str:
    return re.sub(r"^last_reviewed: .*$", "", text, count=1, flags=re.M)


@dataclass
class Candidate:
    record: dict
    title: str
    aliases: list[str]
    entry_id: str = ""


@dataclass
class ImportReport:
    records: int = 0
    source: str = ""
    target: str = ""
    imported: list[str] = field(default_factory=list)
    curated: list[str] = field(default_factory=list)
    rejected: dict[str, list[dict]] = field(default_factory=dict)  # reason -> [{code, detail}]
    new: list[str] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)  # {code, id, record_fields, entry}
    unchanged: int = 0
    disappeared: list[dict] = field(default_factory=list)  # {code, id, file}
    withdrawn: list[dict] = field(default_factory=list)  # imported before, now curated or rejected
    warnings: dict[str, list[str]] = field(default_factory=dict)  # crawl debris shown -> codes
    by_ministry: dict[str, int] = field(default_factory=dict)
    by_audience: dict[str, int] = field(default_factory=dict)
    by_level: dict[str, int] = field(default_factory=dict)
    names: dict = field(default_factory=dict)  # the generated names on the curated records

    def reject(self, code: str, reason: str, detail: str = "") -> None:
        self.rejected.setdefault(reason, []).append({"code": code, "detail": detail[:300]})

    @property
    def rejected_count(self) -> int:
        return sum(len(items) for items in self.rejected.values())

    def summary(self) -> dict:
        return {
            "records": self.records,
            "imported": len(self.imported),
            "curated": len(self.curated),
            "rejected": self.rejected_count,
            "rejected_by_reason": {reason: len(items) for reason, items in sorted(self.rejected.items())},
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": self.unchanged,
            "disappeared": len(self.disappeared),
            "withdrawn": len(self.withdrawn),
            "warnings": {kind: len(codes) for kind, codes in sorted(self.warnings.items())},
        }

    def to_dict(self) -> dict:
        return {
            "summary": self.summary(),
            "source": self.source,
            "target": self.target,
            "by_ministry": self.by_ministry,
            "by_audience": self.by_audience,
            "by_level": self.by_level,
            "rejected": self.rejected,
            "changed": self.changed,
            "disappeared": self.disappeared,
            "withdrawn": self.withdrawn,
            "warnings": self.warnings,
            "names_on_curated": self.names,
        }


def _read_state(target: Path) -> dict[str, dict]:
    path = target / STATE_FILE
    return json.loads(path.read_text("utf-8"))["records"] if path.exists() else {}


def _reserved_ids(content_dir: Path | None) -> set[str]:
    """Ids of the hand-written content (every entry type): an imported id never takes one."""
    if content_dir is None or not content_dir.exists():
        return set()
    return {entry.id for entry in load_entries(content_dir)}


def assign_ids(candidates: list[Candidate], state: dict[str, dict], reserved: set[str]) -> None:
    """A record keeps the id it had; a new one gets the slug of its plain title, with its code
    added when another record or entry has the same slug (every holder of a shared slug gets
    the code, so no id depends on the order of the records)."""
    taken = set(reserved) | {item["id"] for item in state.values()}
    fresh = [c for c in candidates if c.record["ma_thu_tuc"] not in state]
    counts = Counter(slug(c.title) for c in fresh)
    for candidate in candidates:
        code = candidate.record["ma_thu_tuc"]
        if code in state:
            candidate.entry_id = state[code]["id"]
            continue
        base = slug(candidate.title)
        entry_id = base if counts[base] == 1 and base not in taken else f"{base}-{code.replace('.', '-')}"
        taken.add(entry_id)
        candidate.entry_id = entry_id


def import_catalogue(
    records_path: Path = CATALOGUE_RECORDS,
    target: Path = DEFAULT_TARGET,
    reviewed: dt.date | None = None,
    selection: list[Selection] | None = None,
    rules: list[AliasRule] | None = None,
    content_dir: Path | None = REPO_ROOT / "knowledge" / "content",
) -> ImportReport:
    reviewed = reviewed or dt.date.today()
    selection = load_selection() if selection is None else selection
    rules = load_alias_rules() if rules is None else rules
    curated = {item.code: item for item in selection}
    overrides = load_overrides()
    registry = load_registry()
    records = read_records(records_path)
    report = ImportReport(records=len(records), source=str(records_path), target=str(target))
    state = _read_state(target)

    # 1. Records that cannot be used as they are.
    by_code: dict[str, list[dict]] = {}
    for record in records:
        by_code.setdefault(str(record.get("ma_thu_tuc", "")), []).append(record)
    candidates: list[Candidate] = []
    for record in records:
        code = str(record.get("ma_thu_tuc", ""))
        same = by_code[code]
        if len(same) > 1:
            identical = all(json.dumps(r, sort_keys=True) == json.dumps(same[0], sort_keys=True) for r in same)
            if not identical or record is not same[0]:
                detail = "the same record again" if identical else f"{len(same)} different records with this code"
                report.reject(code, DUPLICATE, detail)
                continue
        if code in curated:
            report.curated.append(code)
            continue
        reason = structural_reason(record)
        if reason:
            report.reject(code, reason, known(record.get("ten_thu_tuc")) or "")
            continue
        candidates.append(Candidate(record, "", []))
    names = catalogue_names(records, rules)
    for candidate in candidates:
        candidate.title, candidate.aliases = names[candidate.record["ma_thu_tuc"]]

    # 2. Ids, then render and check each entry against its record.
    assign_ids(candidates, state, _reserved_ids(content_dir))
    target.mkdir(parents=True, exist_ok=True)
    new_state: dict[str, dict] = {}
    for candidate in candidates:
        record, code = candidate.record, candidate.record["ma_thu_tuc"]
        choice = Selection(code=code, id=candidate.entry_id, title=candidate.title, aliases=candidate.aliases)
        try:
            text = render_procedure(record, choice, reviewed, overrides.get(code), audience_of(record).value)
            entry = parse_entry(text, f"{candidate.entry_id}.md")
        except ValidationError as exc:
            report.reject(code, INVALID_ENTRY, str(exc).splitlines()[0])
            continue
        except Exception as exc:
            report.reject(code, RENDER_ERROR, f"{type(exc).__name__}: {exc}")
            continue
        problems = faithfulness.problems(entry, record, overrides.get(code))
        if problems:
            name, found = next(iter(problems.items()))
            report.reject(code, name, "; ".join(found))
            continue
        _, replaced = check_entries([entry], registry)
        if replaced:
            report.reject(code, CITES_REPLACED, "; ".join(f"{f.number}: {f.message}" for f in replaced))
            continue
        for kind in faithfulness.presentation_problems(entry):
            report.warnings.setdefault(kind, []).append(code)
        _write(report, target, entry, text, record, state.get(code))
        new_state[code] = {"id": entry.id, "fields": _field_hashes(record)}
        report.imported.append(code)
        report.by_ministry[record["ministry_dir"]] = report.by_ministry.get(record["ministry_dir"], 0) + 1
        report.by_audience[entry.audience.value] = report.by_audience.get(entry.audience.value, 0) + 1
        report.by_level[entry.level or "?"] = report.by_level.get(entry.level or "?", 0) + 1

    # 3. What was imported before and is not now: its entry leaves the live folder for
    # the review folder (never served, never deleted silently) and is reported until an
    # admin removes it there.
    present = {str(record.get("ma_thu_tuc", "")) for record in records}
    rejected = {item["code"]: reason for reason, items in report.rejected.items() for item in items}
    review = review_folder(target)
    for code, item in sorted(state.items()):
        if code in new_state:
            continue
        live, held = target / f"{item['id']}.md", review / f"{item['id']}.md"
        if live.exists():
            review.mkdir(parents=True, exist_ok=True)
            os.replace(live, held)
        if not held.exists():
            continue  # removed by an admin after an earlier report: nothing left to say
        if code not in present:
            report.disappeared.append({"code": code, "id": item["id"], "file": str(held)})
        else:
            why = "curated" if code in curated else rejected.get(code, "?")
            report.withdrawn.append({"code": code, "id": item["id"], "file": str(held), "why": why})
        new_state[code] = {**item, "gone": True}
    state_text = json.dumps({"records": dict(sorted(new_state.items()))}, ensure_ascii=False, indent=0)
    (target / STATE_FILE).write_text(state_text + "\n", encoding="utf-8")
    report.by_ministry = dict(sorted(report.by_ministry.items()))
    report.by_audience = dict(sorted(report.by_audience.items()))
    report.by_level = dict(sorted(report.by_level.items(), key=lambda item: -item[1]))
    return report


def review_folder(target: Path) -> Path:
    """Where entries of records no longer imported wait for an admin, outside the live folder."""
    return target.parent / f"{target.name}-withdrawn"


def _write(report: ImportReport, target: Path, entry: Entry, text: str, record: dict, before: dict | None) -> None:
    path = target / f"{entry.id}.md"
    code = entry.procedure_code or ""
    if before is None or not path.exists():
        report.new.append(code)
        path.write_text(text, encoding="utf-8")
        return
    old_text = path.read_text(encoding="utf-8")
    if _without_review_date(old_text) == _without_review_date(text):
        report.unchanged += 1  # the file (and its review date) stays as it was
        return
    old_hashes, new_hashes = before.get("fields", {}), _field_hashes(record)
    fields = sorted(key for key in {*old_hashes, *new_hashes} if old_hashes.get(key) != new_hashes.get(key))
    report.changed.append(
        {
            "code": code,
            "id": entry.id,
            "record_fields": fields,
            "entry": entry_changes(parse_entry(old_text), entry),
        }
    )
    path.write_text(text, encoding="utf-8")


def summary_lines(report: ImportReport) -> list[str]:
    counts = report.summary()
    lines = [
        f"{counts['records']} records: {counts['imported']} imported, {counts['curated']} curated "
        f"(hand-written entries kept), {counts['rejected']} rejected",
    ]
    lines += [f"  rejected, {reason}: {number}" for reason, number in counts["rejected_by_reason"].items()]
    lines += [f"  warning, {kind}: {number} entries" for kind, number in counts["warnings"].items()]
    lines.append(
        f"refresh: {counts['new']} new, {counts['changed']} changed, {counts['unchanged']} unchanged, "
        f"{counts['disappeared']} disappeared, {counts['withdrawn']} withdrawn (entries moved to the review folder)"
    )
    return lines


def write_report(report: ImportReport, json_path: Path = REPORT_JSON, md_path: Path = REPORT_MD) -> None:
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    md_path.write_text(markdown(report), encoding="utf-8")


def _table(rows: Iterable[tuple], header: tuple[str, ...]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def markdown(report: ImportReport) -> str:
    counts = report.summary()
    lines = [
        "# The national catalogue import",
        "",
        "Generated by `python -m knowledge import-catalogue` from "
        "`knowledge/sources/procedures/national-all.jsonl.gz` (do not edit).",
        "",
        *_table(
            [
                ("records", counts["records"]),
                ("imported", counts["imported"]),
                ("curated (hand-written entry kept)", counts["curated"]),
                ("rejected", counts["rejected"]),
            ],
            ("", "count"),
        ),
        "",
        "## Rejected, by reason",
        "",
        *_table(
            [
                (reason, len(items), ", ".join(item["code"] for item in items[:8]) + (" …" if len(items) > 8 else ""))
                for reason, items in sorted(report.rejected.items(), key=lambda kv: -len(kv[1]))
            ],
            ("reason", "records", "codes"),
        ),
        "",
        "Each rejected code and what was found is in `catalogue_import.json` (`rejected`). What lies behind",
        "each reason:",
        "",
        *[f"- {reason}: {note}." for reason, note in REASON_NOTES.items() if reason in report.rejected],
        "",
        "## Imported with crawl debris still shown (warnings, not wrong facts)",
        "",
        *_table(
            [
                (kind, len(codes), ", ".join(codes[:6]) + (" …" if len(codes) > 6 else ""))
                for kind, codes in sorted(report.warnings.items())
            ],
            ("warning", "entries", "codes"),
        ),
        "",
        "## Imported, by ministry, audience and level",
        "",
        *_table([(MINISTRIES[key], number) for key, number in report.by_ministry.items()], ("ministry", "imported")),
        "",
        *_table(list(report.by_audience.items()), ("audience", "imported")),
        "",
        *_table(list(report.by_level.items()), ("level", "imported")),
        "",
        "## Refresh",
        "",
        f"{counts['new']} new, {counts['changed']} changed, {counts['unchanged']} unchanged, "
        f"{counts['disappeared']} disappeared, {counts['withdrawn']} withdrawn "
        "(changes with before/after in the JSON report).",
        "",
    ]
    if report.names:
        lines += names_markdown(report.names)
    return "\n".join(lines)


def names_markdown(names: dict) -> list[str]:
    rows = [
        (label, f"{value['found']}/{value['total']} ({value['share']:.0%})")
        for label, value in names["figures"].items()
    ]
    return [
        "## Generated names on the 50 curated records",
        "",
        "The plain title and aliases generated from each curated record's official name (as if it were",
        "not curated), compared with the hand-written title and aliases (`selection.yml`), through",
        "`knowledge.catalog`'s name matching (accent-folded syllables, abbreviations expanded, leading",
        "verbs dropped). With and without the alias rules (`alias_rules.yml`).",
        "",
        *_table(rows, ("figure", "found")),
        "",
        *names.get("notes", []),
        "",
    ]


def _share(found: int, total: int) -> dict:
    return {"found": found, "total": total, "share": round(found / total, 4) if total else 0.0}


def names_on_curated(
    records: list[dict], selection: list[Selection], rules: list[AliasRule], synonyms: dict[str, str]
) -> dict:
    """How the generated names do on the curated records, against the hand-written ones."""
    from knowledge.catalog import Catalog, CatalogEntry

    by_code = {str(record.get("ma_thu_tuc")): record for record in records}
    chosen = [item for item in selection if item.code in by_code]
    live = Catalog([CatalogEntry(item.id, item.title, "procedure", tuple(item.aliases)) for item in chosen], synonyms)
    figures: dict[str, dict] = {}
    misses: dict[str, list[str]] = {}
    for label, rule_set in (("with rules", rules), ("without rules", [])):
        generated = catalogue_names(records, rule_set)
        full = Catalog(
            [CatalogEntry(code, title, "procedure", tuple(aliases)) for code, (title, aliases) in generated.items()],
            synonyms,
        )
        title_hits = sum(live.find_in(generated[item.code][0]) == item.id for item in chosen)
        any_hits = sum(
            any(live.find_in(name) == item.id for name in (generated[item.code][0], *generated[item.code][1]))
            for item in chosen
        )
        hand = [(item, name) for item in chosen for name in (item.title, *item.aliases)]
        found = [(item, name) for item, name in hand if full.find_in(name) == item.code]
        # The same plain title at another level (1.014061 and 1.001247, "Cấp thẻ căn cước cho người
        # từ đủ 14 tuổi trở lên"): the right member of the family is the next part's work.
        family = [
            (item, name)
            for item, name in hand
            if (got := full.find_in(name)) and generated[got][0] == generated[item.code][0]
        ]
        misses[label] = [f"{name} ({item.id})" for item, name in hand if (item, name) not in family]
        covered = total = 0
        for item in chosen:
            words = {w for name in (generated[item.code][0], *generated[item.code][1]) for w in full.key(name)}
            for alias in item.aliases:
                alias_words = full.key(alias)
                total += len(alias_words)
                covered += sum(word in words for word in alias_words)
        figures[f"generated title finds the curated entry among the 50 ({label})"] = _share(title_hits, len(chosen))
        figures[f"a generated name finds the curated entry among the 50 ({label})"] = _share(any_hits, len(chosen))
        figures[f"hand-written names that find their record among all {len(generated)} ({label})"] = _share(
            len(found), len(hand)
        )
        figures[f"hand-written names that find their record or its variant at another level ({label})"] = _share(
            len(family), len(hand)
        )
        figures[f"words of hand-written aliases in the generated names ({label})"] = _share(covered, total)
    return {
        "figures": figures,
        "misses_with_rules": misses["with rules"],
        "notes": [
            "Hand-written names that find neither their record nor its variant at another level, with the rules: "
            + "; ".join(misses["with rules"])
            + "."
        ],
    }
