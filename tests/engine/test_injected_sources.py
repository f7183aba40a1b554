"""The preview's caches are passed in, not patched in: ``load_layout(read=...)`` reads every file of
the ``extends`` chain through the given reader, and ``Resolver(patterns=...)`` draws every guilloche
through the given pattern source, with the same scene as the defaults."""

from __future__ import annotations

from pathlib import Path

from faceprint import resolve, security
from faceprint.layout_file import loader
from faceprint.layout_file.loader import load_layout
from faceprint.layout_file.model import GuillocheElement
from faceprint.records import load_record
from faceprint.resolve import Resolver
from faceprint.scene import Box, PathItem

ROOT = Path(__file__).resolve().parents[2]
LAYOUT = ROOT / "layouts" / "next-gen-2024" / "card.yaml"  # extends next-gen, which draws two guilloches
PARENT = ROOT / "layouts" / "next-gen" / "card.yaml"
RECORD = ROOT / "samples" / "records" / "01-short-name.json"


def test_every_file_of_the_chain_goes_through_the_given_reader() -> None:
    seen: list[Path] = []

    def read(path: Path) -> loader.SrcDict:
        seen.append(path)
        return loader._read_yaml(path)

    loaded = load_layout(LAYOUT, read=read)
    assert seen == [LAYOUT.resolve(), PARENT.resolve()]
    assert loaded.layout == load_layout(LAYOUT).layout


def test_every_guilloche_is_drawn_by_the_given_pattern_source() -> None:
    calls: list[tuple[str, str | None]] = []

    def patterns(el: GuillocheElement, box: Box, layer: str, modulation: str | None) -> list[PathItem]:
        calls.append((el.id, modulation))
        return security.guilloche_paths(el, box, layer, modulation)

    record = load_record(RECORD)
    ctx = record.template_context(derive_romaji=False)
    loaded = load_layout(LAYOUT)
    scene = Resolver(loaded, patterns=patterns).resolve(ctx, record_id=record.id)
    assert len(calls) == 2 and len({el_id for el_id, _ in calls}) == 2
    assert scene == Resolver(loaded).resolve(ctx, record_id=record.id)
    guilloche_ids = {el_id for el_id, _ in calls}
    assert guilloche_ids <= {item.element_id for face in scene.faces for item in face.items}
    bare = Resolver(loaded, patterns=lambda el, box, layer, modulation: []).resolve(ctx, record_id=record.id)
    assert not any(item.element_id in guilloche_ids for face in bare.faces for item in face.items)


def test_the_preview_leaves_the_engine_functions_alone() -> None:
    from faceprint.preview.session import PatternCache, TreeCache

    read_before, paths_before = loader._read_yaml, resolve.guilloche_paths
    trees, patterns = TreeCache(), PatternCache()
    loaded = trees.load(LAYOUT)
    record = load_record(RECORD)
    patterns.resolve(Resolver(loaded, patterns=patterns.paths), record)
    assert loader._read_yaml is read_before and resolve.guilloche_paths is paths_before
