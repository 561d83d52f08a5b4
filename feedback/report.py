"""The satisfaction report: the programme's "measure" of this service.

Definitions (also printed in every report):
- An answer rating is 👍 (satisfied) or 👎 (not satisfied); choosing a reason
  implies 👎; a comment without a tap is kept but not counted. CSAT = satisfied / rated answers, in %.
- The end-of-conversation rating is 1-5 stars; "satisfied" = 4 or 5 stars.
- Weeks are ISO weeks (Monday to Sunday, UTC).
Like SIPAS, the government's index of citizens' satisfaction with the service
of administrative bodies (determined and published yearly by the Ministry of
Home Affairs, Nghị định 25/2025/NĐ-CP Điều 2 khoản 10), the measure is the
share of people satisfied, counted on the people's own answers. It differs in
what is measured (one answer of this assistant, or one conversation, not a
public office's service), in how (a one-tap rating right after the answer,
not a survey sample), and in its scale (two levels per answer); the thresholds
of the Ministry's survey method are not applied here.
"""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from feedback.store import FeedbackStore, Reply

DEFINITIONS = [
    "CSAT câu trả lời = số lượt 👍 / số câu trả lời được đánh giá 👍 hoặc 👎 (%); "
    "góp ý không kèm đánh giá không được tính.",
    "CSAT cuối cuộc trò chuyện = tỷ lệ đánh giá 4-5 sao trên thang 1-5 sao.",
    "Tuần theo chuẩn ISO (thứ Hai đến Chủ nhật, giờ UTC); lượt hỏi theo giờ tính theo giờ Việt Nam (UTC+7).",
    "Tỷ lệ tự giải quyết = số cuộc trò chuyện có hỏi, được trợ lý trả lời ít nhất một lần, không xin gặp cán bộ "
    "và không có câu trả lời bị đánh giá 👎 / số cuộc trò chuyện có hỏi (không tính lời chào, cảm ơn).",
    "Loại phản hồi: answered = trả lời từ cơ sở tri thức; clarification = hỏi lại người dùng muốn hỏi nội dung nào; "
    "declined = không đủ tin cậy nên không trả lời; form_started = hỏi tên thủ tục; handoff = chuyển cán bộ; "
    "small_talk = chào hỏi, cảm ơn, ngoài phạm vi; no_words, unknown_choice = tin nhắn không có chữ, nút bấm cũ.",
    "Giống SIPAS: đo tỷ lệ người dân hài lòng, dựa trên ý kiến của chính người dân. Khác SIPAS: đo từng câu trả lời "
    "của trợ lý (không phải sự phục vụ của cơ quan hành chính), lấy ý kiến ngay sau câu trả lời (không phải khảo sát "
    "mẫu), thang hai mức cho mỗi câu trả lời.",
]
LOWEST_MIN_RATINGS = 1
VIETNAM_TIME = dt.timezone(dt.timedelta(hours=7))
# Replies that are not an answer to a question: they do not make a conversation "asking".
NOT_ASKING = frozenset({"small_talk", "no_words", "unknown_choice"})
TOP_QUESTIONS = 50


@dataclass
class Tally:
    rated: int = 0
    satisfied: int = 0

    def add(self, satisfied: bool) -> None:
        self.rated += 1
        self.satisfied += satisfied

    @property
    def csat(self) -> float | None:
        return round(100 * self.satisfied / self.rated, 1) if self.rated else None

    def to_dict(self) -> dict:
        return {"rated": self.rated, "satisfied": self.satisfied, "csat": self.csat}


@dataclass
class Report:
    generated_at: str
    since: str | None
    answers: int
    replies_by_status: dict[str, dict]  # answered / clarification / declined …: count and share
    overall: dict
    by_week: dict[str, dict]
    by_channel: dict[str, dict]
    by_topic: dict[str, dict]
    by_entry: dict[str, dict]
    lowest_rated_entries: list[dict]
    reasons: dict[str, int]
    comments: list[dict]
    conversation_csat: dict
    unanswered: list[dict]
    volume_by_hour: dict[str, list[int]]  # channel -> replies in each hour 0-23, Vietnam time
    resolution: dict
    top_questions: list[dict]
    definitions: list[str] = field(default_factory=lambda: list(DEFINITIONS))

    def to_dict(self) -> dict:
        return asdict(self)


def iso_week(moment: dt.datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def build_report(store: FeedbackStore, since: dt.datetime | None = None) -> Report:
    overall = Tally()
    by_week: dict[str, Tally] = defaultdict(Tally)
    by_channel: dict[str, Tally] = defaultdict(Tally)
    by_topic: dict[str, Tally] = defaultdict(Tally)
    by_entry: dict[str, Tally] = defaultdict(Tally)
    reasons: Counter[str] = Counter()
    comments = []
    disliked: set[str] = set()  # conversations with an answer rated 👎
    for answer, rating in store.rated_answers(since):
        if rating.comment:
            comments.append({"entry_ids": answer.entry_ids, "question": answer.question, "comment": rating.comment})
        if rating.satisfied is None:
            continue
        for tally in (
            overall,
            by_week[iso_week(answer.created_at)],
            by_channel[answer.channel],
            by_topic[answer.topic],
        ):
            tally.add(rating.satisfied)
        for entry_id in answer.entry_ids:
            by_entry[entry_id].add(rating.satisfied)
        if not rating.satisfied:
            disliked.add(answer.conversation)
            if rating.reason:
                reasons[rating.reason] += 1
    stars = [r.stars for r in store.conversation_ratings(since)]
    lowest = sorted(
        (
            {"entry_id": entry_id, **tally.to_dict()}
            for entry_id, tally in by_entry.items()
            if tally.rated >= LOWEST_MIN_RATINGS and tally.satisfied < tally.rated
        ),
        key=lambda row: (row["csat"], -row["rated"], row["entry_id"]),
    )[:10]
    return Report(
        generated_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        since=since.isoformat() if since else None,
        answers=store.answers_count(since),
        replies_by_status=status_shares(store.status_counts(since)),
        overall=overall.to_dict(),
        by_week={week: tally.to_dict() for week, tally in sorted(by_week.items())},
        by_channel={name: tally.to_dict() for name, tally in sorted(by_channel.items())},
        by_topic={name: tally.to_dict() for name, tally in sorted(by_topic.items())},
        by_entry={name: tally.to_dict() for name, tally in sorted(by_entry.items())},
        lowest_rated_entries=lowest,
        reasons=dict(reasons.most_common()),
        comments=comments[-20:],
        conversation_csat={
            "rated": len(stars),
            "average_stars": round(sum(stars) / len(stars), 2) if stars else None,
            "satisfied_pct": round(100 * sum(s >= 4 for s in stars) / len(stars), 1) if stars else None,
            "distribution": {str(n): stars.count(n) for n in range(1, 6)},
        },
        unanswered=[{"question": q, "count": n} for q, n in store.unanswered_counts(since)[:50]],
        **reply_tables(store.replies(since), store.handoff_conversations(since), disliked),
    )


def question_key(text: str) -> str:
    """The same question typed twice: case, spacing and end punctuation aside."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split()).strip(" ?!.,…")


def reply_tables(replies: list[Reply], handed_off: set[str], disliked: set[str]) -> dict[str, Any]:
    """Volume by channel and hour, the bot-only resolution rate and the top questions."""
    volume: dict[str, list[int]] = defaultdict(lambda: [0] * 24)
    statuses: dict[str, set[str]] = defaultdict(set)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    answered: Counter[str] = Counter()
    for reply in replies:
        moment = reply.created_at if reply.created_at.tzinfo else reply.created_at.replace(tzinfo=dt.UTC)
        volume[reply.channel][moment.astimezone(VIETNAM_TIME).hour] += 1
        statuses[reply.conversation].add(reply.status)
        key = question_key(reply.question)
        if reply.status in NOT_ASKING or not key:
            continue
        spellings[key][" ".join(reply.question.split())] += 1
        answered[key] += reply.status == "answered"
    asking = {conversation for conversation, seen in statuses.items() if seen - NOT_ASKING}
    resolved = {
        conversation
        for conversation in asking
        if "answered" in statuses[conversation]
        and "handoff" not in statuses[conversation]
        and conversation not in handed_off
        and conversation not in disliked
    }
    top = sorted(spellings.items(), key=lambda item: (-item[1].total(), item[0]))[:TOP_QUESTIONS]
    return {
        "volume_by_hour": {channel: counts for channel, counts in sorted(volume.items())},
        "resolution": {
            "conversations": len(asking),
            "resolved_by_bot": len(resolved),
            "pct": round(100 * len(resolved) / len(asking), 1) if asking else None,
        },
        "top_questions": [
            {
                "question": counts.most_common(1)[0][0],
                "count": counts.total(),
                "answered_pct": round(100 * answered[key] / counts.total(), 1),
            }
            for key, counts in top
        ],
    }


def status_shares(counts: dict[str, int]) -> dict[str, dict]:
    total = sum(counts.values())
    return {
        status: {"count": count, "pct": round(100 * count / total, 1)}
        for status, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    }


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def to_markdown(report: Report) -> str:
    o = report.overall
    lines = [
        "# Báo cáo mức độ hài lòng",
        "",
        f"Lập lúc {report.generated_at}" + (f", từ {report.since}" if report.since else "") + ".",
        "",
        f"- Câu trả lời đã đưa ra: {report.answers}; được đánh giá: {o['rated']}; CSAT: **{_pct(o['csat'])}**",
        f"- Đánh giá cuối cuộc trò chuyện: {report.conversation_csat['rated']} lượt, "
        f"hài lòng (4-5 sao): {_pct(report.conversation_csat['satisfied_pct'])}",
        f"- Tỷ lệ tự giải quyết: {_pct(report.resolution['pct'])} "
        f"({report.resolution['resolved_by_bot']}/{report.resolution['conversations']} cuộc trò chuyện có hỏi)",
        "",
        "## Loại phản hồi",
        "",
        "| loại | số lượt | tỉ lệ |",
        "| --- | --- | --- |",
        *(f"| {k} | {v['count']} | {_pct(v['pct'])} |" for k, v in report.replies_by_status.items()),
        "",
    ]
    for title, table in (
        ("Theo tuần", report.by_week),
        ("Theo kênh", report.by_channel),
        ("Theo chủ đề", report.by_topic),
    ):
        lines += [f"## {title}", "", "| | đánh giá | hài lòng | CSAT |", "| --- | --- | --- | --- |"]
        lines += [f"| {k} | {v['rated']} | {v['satisfied']} | {_pct(v['csat'])} |" for k, v in table.items()]
        lines.append("")
    lines += ["## Mục kiến thức bị đánh giá thấp nhất", "", "| mục | đánh giá | CSAT |", "| --- | --- | --- |"]
    lines += [f"| {r['entry_id']} | {r['rated']} | {_pct(r['csat'])} |" for r in report.lowest_rated_entries]
    lines += ["", "## Lý do chưa hài lòng", ""]
    lines += [f"- {reason}: {count}" for reason, count in report.reasons.items()] or ["- (chưa có)"]
    lines += ["", "## Câu hỏi nhiều nhất", "", "| câu hỏi | số lần | được trả lời |", "| --- | --- | --- |"]
    lines += [f"| {r['question']} | {r['count']} | {_pct(r['answered_pct'])} |" for r in report.top_questions[:20]]
    lines += ["", "## Câu hỏi chưa trả lời được", "", "| câu hỏi | số lần |", "| --- | --- |"]
    lines += [f"| {row['question']} | {row['count']} |" for row in report.unanswered]
    lines += ["", "## Định nghĩa", ""] + [f"- {d}" for d in report.definitions]
    return "\n".join(lines) + "\n"


def write_csv(report: Report, directory: Path) -> list[Path]:
    """One CSV per table, for spreadsheets."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in (
        ("by_week", report.by_week),
        ("by_channel", report.by_channel),
        ("by_topic", report.by_topic),
        ("by_entry", report.by_entry),
    ):
        path = directory / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([name.removeprefix("by_"), "rated", "satisfied", "csat_pct"])
            for key, row in table.items():
                writer.writerow([key, row["rated"], row["satisfied"], "" if row["csat"] is None else row["csat"]])
        written.append(path)
    path = directory / "unanswered.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["question", "count"])
        writer.writerows([row["question"], row["count"]] for row in report.unanswered)
    written.append(path)
    path = directory / "top_questions.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["question", "count", "answered_pct"])
        writer.writerows([row["question"], row["count"], row["answered_pct"]] for row in report.top_questions)
    written.append(path)
    path = directory / "by_hour.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["channel", *(f"{hour:02d}h" for hour in range(24))])
        writer.writerows([channel, *counts] for channel, counts in report.volume_by_hour.items())
    written.append(path)
    return written


def write_charts(report: Report, directory: Path) -> list[Path]:
    """Weekly CSAT and ratings, and CSAT by channel, as PNG and SVG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    weeks = list(report.by_week)
    figure, axis = plt.subplots(figsize=(8, 4))
    axis.bar(weeks, [report.by_week[w]["rated"] for w in weeks], color="#c7d7ee", label="số đánh giá")
    axis.set_ylabel("số đánh giá")
    twin = axis.twinx()
    twin.plot(weeks, [report.by_week[w]["csat"] for w in weeks], color="#b3261e", marker="o", label="CSAT (%)")
    twin.set_ylim(0, 100)
    twin.set_ylabel("CSAT (%)")
    axis.set_title("Mức độ hài lòng theo tuần")
    figure.autofmt_xdate()
    written += _save(figure, directory / "csat_by_week")
    channels = list(report.by_channel)
    figure, axis = plt.subplots(figsize=(6, 3.5))
    axis.bar(channels, [report.by_channel[c]["csat"] or 0 for c in channels], color="#1b5e9e")
    axis.set_ylim(0, 100)
    axis.set_ylabel("CSAT (%)")
    axis.set_title("Mức độ hài lòng theo kênh")
    written += _save(figure, directory / "csat_by_channel")
    return written


def _save(figure: Any, stem: Path) -> list[Path]:
    """PNG for the weekly e-mail, SVG for the web."""
    import matplotlib.pyplot as plt

    figure.tight_layout()
    paths = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    for path in paths:
        figure.savefig(path)
    plt.close(figure)
    return paths
