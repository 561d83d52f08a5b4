"""A second test corpus for the search: the legal texts kept in the repository, one entry per article.

Its titles are "<law> Điều N", which say nothing about what an article is
about, unlike the knowledge base whose titles are the questions people ask: a
fusion that leans on titles is caught out here. Built only from
knowledge/sources/legal/ (see its README), indexed with the project's own
builder into var/bench/legal_index.

Run: .venv/bin/python -m bench.legal_corpus   (prints the articles, builds the index)
Questions: bench/data/legal_tuning_questions.txt and legal_eval_questions.txt
(entry ids are the article ids this module gives, e.g. "luat-ho-tich-dieu-16").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from knowledge.embedder import Embedder
from knowledge.entries import Audience, Entry, EntryType, Source
from knowledge.index import BuildReport, build_entries
from knowledge.lexicon import load_synonyms
from knowledge.settings import REPO_ROOT, KnowledgeSettings
from knowledge.text import fold_accents

SOURCES = REPO_ROOT / "knowledge" / "sources" / "legal"
INDEX_DIR = REPO_ROOT / "var" / "bench" / "legal_index"
REVIEWED = dt.date(2026, 11, 29)
# Short names of the documents people call by name; the others by type and number.
SHORT_NAMES = {
    "60/2014/QH13": "Luật Hộ tịch",
    "80/2025/QH15": "Luật Cán bộ, công chức",
}
# Pháp điển pages: an article header "Điều 15.3.LQ.16. Name" (sometimes glued to
# the end of the previous article's last sentence), then the line naming the
# document it comes from: "(Điều 16 Luật số 60/2014/QH13 Hộ tịch ...".
_CODE_HEADER = re.compile(r"Điều \d+\.\d+\.[A-ZĐ]+\.[\d.]*\d\.\s*")
_CODE_SOURCE = re.compile(
    r"^\(Điều (?P<article>\d+[a-z]?) (?P<kind>Luật|Nghị định|Thông tư liên tịch|Thông tư) số (?P<number>[^\s,)]+)"
)
_CODE_NOISE = re.compile(r"^(\((Điều|Chương|Mục) này có nội dung|#+\s*\d+$|Chương [IVXLC]+$|Mục \d+$)")
# Full texts: "**Điều 5. Name**" or "#### Điều 3. Name".
_TEXT_HEADER = re.compile(r"^(?:\*\*|#+\s*)Điều (?P<article>\d+)\.\s*(?P<name>.+?)\s*(?:\*\*)?\s*$")
_TEXT_END = re.compile(r"^(\*\*Chương|\*\*Mục|\*\*CHƯƠNG|\*Luật này được|\*\*Nơi nhận|Nơi nhận)")
FULL_TEXTS = {
    "Luat_80-2025-QH15_Can_bo_cong_chuc.md": ("Luật", "80/2025/QH15"),
    "ND_25-2025-ND-CP_chuc_nang_Bo_Noi_vu.md": ("Nghị định", "25/2025/NĐ-CP"),
}


@dataclass(frozen=True)
class Article:
    kind: str  # Luật, Nghị định, Thông tư, Thông tư liên tịch
    number: str  # 60/2014/QH13
    article: str  # 16
    name: str  # Thẩm quyền đăng ký khai sinh
    text: str

    @property
    def law(self) -> str:
        return SHORT_NAMES.get(self.number, f"{self.kind} {self.number}")

    @property
    def entry_id(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", fold_accents(self.law)).strip("-")
        return f"{slug}-dieu-{self.article}"

    def entry(self) -> Entry:
        return Entry(
            id=self.entry_id,
            title=f"{self.law} Điều {self.article}",
            type=EntryType.faq,
            audience=Audience.both,
            source=Source(document=f"{self.kind} số {self.number}", section=f"Điều {self.article}"),
            last_reviewed=REVIEWED,
            body=f"## Điều {self.article}. {self.name}\n\n{self.text}",
        )


def _clean(lines: list[str]) -> str:
    kept = [line.strip() for line in lines if line.strip() and not _CODE_NOISE.match(line.strip())]
    # chapter titles in capitals ("NHỮNG QUY ĐỊNH CHUNG") belong to no article
    kept = [line for line in kept if not (line.upper() == line and len(line) > 3 and not line[0].isdigit())]
    return "\n\n".join(kept)


def code_articles(path: Path) -> list[Article]:
    """Articles of a Pháp điển page, named by the document they come from."""
    lines = path.read_text(encoding="utf-8").split("\n")
    starts = [i for i, line in enumerate(lines) if _CODE_SOURCE.match(line)]
    headers = []  # (line of the header, its name, the text before it on that line)
    for i in starts:
        h = i - 1
        while h > 0 and not lines[h].strip():
            h -= 1
        match = next(reversed(list(_CODE_HEADER.finditer(lines[h]))), None)  # the last header on the line
        if match is None:
            headers.append(None)
            continue
        headers.append((h, lines[h][match.end() :].strip(), lines[h][: match.start()]))
    articles = []
    for n, start in enumerate(starts):
        if headers[n] is None:
            continue
        source = _CODE_SOURCE.match(lines[start])
        assert source is not None
        end = len(lines)
        tail: list[str] = []
        if n + 1 < len(starts) and headers[n + 1] is not None:
            end, _, before = headers[n + 1]
            tail = [before]
        body = lines[start + 1 : end] + tail
        # a later article without a source line ends this one too
        for k, line in enumerate(body):
            if _CODE_HEADER.match(line.strip()) or line.startswith("## "):
                body = body[:k]
                break
        text = _clean(body)
        if len(text) >= 20:
            articles.append(Article(source["kind"], source["number"], source["article"], headers[n][1], text))
    return articles


def text_articles(path: Path, kind: str, number: str) -> list[Article]:
    """Articles of a full legal text with bold or heading article titles."""
    articles = []
    current: tuple[str, str] | None = None
    body: list[str] = []

    def flush() -> None:
        if current is not None and len(text := _clean(body)) >= 20:
            articles.append(Article(kind, number, current[0], current[1].rstrip("* "), text))

    for line in path.read_text(encoding="utf-8").splitlines():
        header = _TEXT_HEADER.match(line.strip())
        if header:
            flush()
            current, body = (header["article"], header["name"]), []
        elif _TEXT_END.match(line.strip()):
            flush()
            current, body = None, []
        else:
            body.append(line.replace("**", ""))
    flush()
    return articles


def load_articles(sources: Path = SOURCES) -> list[Article]:
    """Every article once (the first copy when a page quotes one twice)."""
    articles: dict[str, Article] = {}
    for name, (kind, number) in FULL_TEXTS.items():
        for article in text_articles(sources / name, kind, number):
            articles.setdefault(article.entry_id, article)
    for path in sorted(sources.glob("phapdien__*.md")):
        for article in code_articles(path):
            articles.setdefault(article.entry_id, article)
    return list(articles.values())


def load_legal_entries(sources: Path = SOURCES) -> list[Entry]:
    return [article.entry() for article in load_articles(sources)]


def build_legal_index(
    settings: KnowledgeSettings, embedder: Embedder | None = None, index_dir: Path = INDEX_DIR
) -> BuildReport:
    """Index the articles with the project's builder (a no-op when unchanged)."""
    return build_entries(
        load_legal_entries(),
        load_synonyms(settings.content_dir),
        index_dir,
        settings.embedding_model,
        load_embedder=(lambda: embedder) if embedder is not None else None,
    )


def main() -> None:
    articles = load_articles()
    for article in articles:
        print(f"{article.entry_id}\t{article.law} Điều {article.article}\t{article.name}\t{len(article.text)}")
    report = build_legal_index(KnowledgeSettings.from_env())
    print(f"{len(articles)} articles; index {report.version}: {report.passages} passages, {report.embedded} embedded")


if __name__ == "__main__":
    main()
