"""The action server pairs each replier with the very index object it answers from."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from actions import services
from core.settings import contact
from knowledge.catalog import Catalog

pytestmark = pytest.mark.unit


class SwappingLiveIndex:
    """A live index that is published anew between any two calls."""

    def __init__(self) -> None:
        self.versions = [SimpleNamespace(version=f"v{n}", catalog=Catalog([])) for n in range(4)]
        self.calls = 0

    def current(self) -> SimpleNamespace:
        index = self.versions[min(self.calls, len(self.versions) - 1)]
        self.calls += 1
        return index

    @property
    def version(self) -> str:
        return self.current().version


def test_a_publish_between_two_calls_never_pairs_a_replier_with_another_index(monkeypatch: pytest.MonkeyPatch) -> None:
    live = SwappingLiveIndex()
    monkeypatch.setattr(services, "live_index", lambda: live)
    services._repliers.cache_clear()
    monkeypatch.setattr(services, "settings", lambda: SimpleNamespace(min_confidence=0.5))
    seen = []
    for _ in range(3):
        replier = services.replier()
        seen.append(replier.index)
        assert replier.index is live.versions[live.calls - 1], "the index this call was served"
    assert [index.version for index in seen] == ["v0", "v1", "v2"]
    services._repliers.cache_clear()


def test_the_same_index_keeps_its_replier() -> None:
    repliers = services.ReplierForIndex(0.5, contact())
    index = SimpleNamespace(version="v1", catalog=Catalog([]))
    assert repliers(index) is repliers(index)
