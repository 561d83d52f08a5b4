"""Index versions built from the entry files, evaluated, published, rolled back.

A draft index is built in ``<work_dir>/draft-index`` (seeded from the live
version, so only changed passages are embedded). Publishing copies that version
into the served index directory, runs the evaluation gate against the live
version and only then moves ``CURRENT`` (knowledge.index.publish, an atomic
rename): the action server's LiveIndex swaps to it without a restart.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from backoffice import audit
from backoffice.content import snapshot
from backoffice.db import Database
from backoffice.evaluation import Evaluation, Verdict, compare, evaluate, questions
from backoffice.models import IndexVersion, utc_now
from backoffice.settings import BackofficeSettings
from knowledge.embedder import Embedder
from knowledge.index import CURRENT, MANIFEST, current_version, publish, read_manifest
from knowledge.live_content import build_live
from knowledge.search import SearchIndex

log = logging.getLogger(__name__)
OUTSIDE = "(ngoài bảng điều khiển)"


class PublishError(RuntimeError):
    pass


@dataclass
class Job:
    """The one publish in progress (or the last one), as the page shows it."""

    started_by: str = ""
    stage: str = "idle"  # idle | building | evaluating | published | refused | unchanged | failed
    message: str = ""
    percent: int = 0
    version: str | None = None
    verdict: dict | None = None
    started_at: float = 0.0
    seconds: float | None = None
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def to_dict(self) -> dict:
        return {
            "stage": self.stage,
            "message": self.message,
            "percent": self.percent,
            "version": self.version,
            "verdict": self.verdict,
            "started_by": self.started_by,
            "seconds": self.seconds,
            "timings": self.timings,
        }


class Publisher:
    def __init__(self, settings: BackofficeSettings, db: Database, embedder: Embedder) -> None:
        self.settings = settings
        self.db = db
        self.embedder = embedder
        self.index_dir = settings.knowledge.index_dir
        self.draft_dir = settings.work_dir / "draft-index"
        self.snapshots = settings.work_dir / "snapshots"
        self.job = Job()
        self._build_lock = threading.Lock()
        self._indexes: OrderedDict[Path, SearchIndex] = OrderedDict()
        self._evaluations: dict[str, Evaluation] = {}
        self._questions = questions()
        self.adopt_live()

    # -- versions --------------------------------------------------------------

    def live_version(self) -> str:
        version = current_version(self.index_dir)
        if version is None:
            raise PublishError(f"no published index in {self.index_dir}: run `python -m knowledge build`")
        return version

    def adopt_live(self) -> None:
        """Record the version served when the back office starts (built by `make`),
        and take the entry files as they are as what it was built from."""
        version = self.live_version()
        with self.db.session() as session, session.begin():
            if session.get(IndexVersion, version) is None:
                session.add(
                    IndexVersion(
                        version=version,
                        built_by=OUTSIDE,
                        status="published",
                        published_by=OUTSIDE,
                        published_at=utc_now(),
                    )
                )
        self.snapshots.mkdir(parents=True, exist_ok=True)
        snapshot(self.settings.knowledge.content_dir, self.snapshots / version)

    def published_snapshot(self) -> Path:
        return self.snapshots / self.live_version()

    def versions(self) -> list[IndexVersion]:
        with self.db.session() as session:
            return list(session.scalars(select(IndexVersion).order_by(IndexVersion.built_at.desc())))

    def available(self, version: str) -> bool:
        return (self.index_dir / version / MANIFEST).exists()

    def index(self, version_dir: Path) -> SearchIndex:
        if version_dir not in self._indexes:
            self._indexes[version_dir] = SearchIndex(version_dir, self.embedder)
            while len(self._indexes) > 4:
                self._indexes.popitem(last=False)
        return self._indexes[version_dir]

    def live_index(self) -> SearchIndex:
        return self.index(self.index_dir / self.live_version())

    # -- the draft -------------------------------------------------------------

    def build_draft(self) -> tuple[str, bool]:
        """Build the entry files as they are now; (version, changed from the live one)."""
        with self._build_lock:
            live = self.live_version()
            self.draft_dir.mkdir(parents=True, exist_ok=True)
            if current_version(self.draft_dir) is None:
                seed = self.draft_dir / live
                if not seed.exists():
                    shutil.copytree(self.index_dir / live, seed)
                (self.draft_dir / CURRENT).write_text(live + "\n", encoding="utf-8")
            report = build_live(self.settings.knowledge, load_embedder=lambda: self.embedder, index_dir=self.draft_dir)
            live_fingerprint = read_manifest(self.index_dir / live)["fingerprint"]
            draft_fingerprint = read_manifest(self.draft_dir / report.version)["fingerprint"]
            return report.version, draft_fingerprint != live_fingerprint

    def draft_index(self) -> SearchIndex:
        version, _ = self.build_draft()
        return self.index(self.draft_dir / version)

    def prepare_draft(self) -> None:
        """Start building the draft after an edit, so that "how would the assistant
        answer" finds it ready instead of waiting for the build; a build already
        running is waited for by the next caller (the build lock), not duplicated."""

        def build() -> None:
            try:
                self.draft_index()
            except Exception:  # the page that needs the draft builds it again and shows the error
                log.exception("draft build after an edit failed")

        threading.Thread(target=build, daemon=True, name="draft").start()

    # -- publishing --------------------------------------------------------------

    def evaluation(self, version_dir: Path, progress=None) -> Evaluation:
        version = version_dir.name
        if version not in self._evaluations:
            self._evaluations[version] = evaluate(self.index(version_dir), self._questions, progress)
        return self._evaluations[version]

    def start(self, actor: str) -> bool:
        """Start a publish in the background; False when one is already running."""
        if not self.job.lock.acquire(blocking=False):
            return False
        self.job = Job(
            started_by=actor,
            stage="building",
            message="Đang dựng phiên bản chỉ mục mới…",
            started_at=time.monotonic(),
            lock=self.job.lock,
        )
        threading.Thread(target=self._run, args=(actor,), daemon=True, name="publish").start()
        return True

    def _run(self, actor: str) -> None:
        job = self.job
        try:
            self._publish_flow(actor, job)
        except Exception as error:  # shown on the page; the live version is untouched
            log.exception("publish failed")
            job.stage, job.message = "failed", f"Lỗi: {error}"
        finally:
            job.seconds = round(time.monotonic() - job.started_at, 1)
            job.lock.release()

    def _publish_flow(self, actor: str, job: Job) -> None:
        clock = time.perf_counter()

        def lap(step: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            job.timings[step] = round(now - clock, 2)
            clock = now

        version, changed = self.build_draft()
        lap("build")
        if not changed:
            job.stage, job.percent = "unchanged", 100
            job.message = "Nội dung không thay đổi so với phiên bản đang phục vụ; không có gì để xuất bản."
            return
        job.version, job.percent = version, 30
        target = self.index_dir / version
        if not target.exists():
            staging = self.index_dir / f".copy-{version}"
            shutil.rmtree(staging, ignore_errors=True)
            shutil.copytree(self.draft_dir / version, staging)
            staging.rename(target)
        lap("copy")
        total = len(self._questions)

        def progress(done: int, _: int, offset: int) -> None:
            job.percent = 30 + int(70 * (offset + done) / (2 * total))

        job.stage, job.message = "evaluating", f"Đang chạy {total} câu hỏi đánh giá trên phiên bản mới…"
        candidate = self.evaluation(target, lambda d, n: progress(d, n, 0))
        lap("evaluate_new")
        live = self.live_version()
        job.message = f"Đang chạy {total} câu hỏi đánh giá trên phiên bản đang phục vụ…"
        baseline = self.evaluation(self.index_dir / live, lambda d, n: progress(d, n, total))
        lap("evaluate_live")
        verdict = compare(candidate, baseline, self.settings.gate_margin)
        job.verdict, job.percent = verdict.to_dict(), 100
        self._record(version, actor, verdict, live)
        if verdict.passed:
            self.publish_version(version, actor, verdict)
            lap("swap")
            job.stage = "published"
            job.message = f"Đã xuất bản phiên bản {version}."
        else:
            job.stage = "refused"
            job.message = (
                "Từ chối xuất bản: chất lượng tìm kiếm giảm quá mức cho phép "
                f"(±{self.settings.gate_margin:.3f}). Chỉ quản trị viên có thể xuất bản bắt buộc, kèm lý do."
            )
            audit.record(self.db, actor, "publish_refused", version, detail=_verdict_text(verdict))

    def _record(self, version: str, actor: str, verdict: Verdict, baseline: str) -> None:
        with self.db.session() as session, session.begin():
            row = session.get(IndexVersion, version) or IndexVersion(
                version=version, built_by=actor, status="candidate"
            )
            row.recall5, row.mrr5 = verdict.recall5, verdict.mrr5
            row.baseline_version = baseline
            row.baseline_recall5, row.baseline_mrr5 = verdict.baseline_recall5, verdict.baseline_mrr5
            row.broken = verdict.broken
            if row.status != "published":
                row.status = "candidate" if verdict.passed else "refused"
            session.add(row)
            live = session.get(IndexVersion, baseline)
            if live is not None and live.recall5 is None:  # the version served before any publish here
                live.recall5, live.mrr5 = verdict.baseline_recall5, verdict.baseline_mrr5

    def publish_version(
        self,
        version: str,
        actor: str,
        verdict: Verdict | None = None,
        reason: str | None = None,
        action: str = "publish",
    ) -> None:
        if not self.available(version):
            raise PublishError(f"phiên bản {version} không còn trong thư mục chỉ mục")
        before = self.live_version()
        if action != "rollback":
            snapshot(self.settings.knowledge.content_dir, self.snapshots / version)
        publish(self.index_dir, version)
        with self.db.session() as session, session.begin():
            row = session.get(IndexVersion, version)
            if row is None:
                row = IndexVersion(version=version, built_by=OUTSIDE, status="published")
                session.add(row)
            row.status, row.published_at, row.published_by = "published", utc_now(), actor
            if reason:
                row.override_reason = reason
        detail = _verdict_text(verdict) if verdict else None
        if reason:
            detail = f"Lý do xuất bản bắt buộc: {reason}" + (f"\n{detail}" if detail else "")
        audit.record(self.db, actor, action, version, before=before, after=version, detail=detail)

    def override(self, version: str, actor: str, reason: str) -> None:
        with self.db.session() as session:
            row = session.get(IndexVersion, version)
        if row is None or row.status != "refused":
            raise PublishError("chỉ có thể xuất bản bắt buộc một phiên bản đã bị cổng đánh giá từ chối")
        self.publish_version(version, actor, reason=reason, action="publish_override")
        if self.job.version == version:
            self.job.stage, self.job.message = "published", f"Đã xuất bản bắt buộc phiên bản {version}."

    def rollback(self, version: str, actor: str) -> None:
        """Back to a version that was published before (never one the gate refused)."""
        with self.db.session() as session:
            row = session.get(IndexVersion, version)
        if row is None or row.status != "published":
            raise PublishError("chỉ có thể quay lại một phiên bản đã từng được xuất bản")
        self.publish_version(version, actor, action="rollback")


def _verdict_text(verdict: Verdict) -> str:
    lines = [
        f"Recall@5 {verdict.recall5:.3f} (đang phục vụ {verdict.baseline_recall5:.3f}), "
        f"MRR@5 {verdict.mrr5:.3f} (đang phục vụ {verdict.baseline_mrr5:.3f})"
    ]
    lines += [
        f"Hỏng: {b['question']} → cần {', '.join(b['expected'])}, nay ra {', '.join(b['now_finds'])}"
        for b in verdict.broken[:50]
    ]
    return "\n".join(lines)
