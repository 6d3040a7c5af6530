"""The manual under docs/ reads on its own: every link and image resolves, nothing points outside.

These tests read the Markdown files only (no database, no browser). The screenshots themselves are
made by `make docs-screenshots` (scripts/docs_screenshots.py); here we check that every image a guide
shows was generated, and that every page the script shoots is shown somewhere.
"""

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)|<img [^>]*src=\"([^\"]+)\"")
ROLE_GUIDES = ["经办人", "负责人", "协调组办公室", "验收组复核组成员", "纪工委与领导", "管理员"]
# Written by other engineers in parallel; listed in the index, present after the merge.
PARALLEL_DOCS = {"signing.md", "status-definitions.md", "operations-scale.md", "security.md", "api.md"}


def markdown_files() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def links(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    # Links inside code blocks are examples, not links.
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    return [markdown or html for markdown, html in LINK.findall(text)]


def test_manual_has_index_rules_operations_and_a_guide_per_role():
    for name in ["README.md", "rules.md", "operations.md"]:
        assert (DOCS / name).stat().st_size > 2000, name
    for role in ROLE_GUIDES:
        guide = DOCS / "roles" / f"{role}.md"
        assert guide.exists(), guide
        assert "../images/" in guide.read_text(encoding="utf-8"), f"{guide.name} 没有截图"


def test_index_lists_every_document():
    listed = {unquote(target) for target in links(DOCS / "README.md")}
    expected = {"rules.md", "operations.md", *PARALLEL_DOCS, *(f"roles/{r}.md" for r in ROLE_GUIDES)}
    assert expected <= listed, expected - listed


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_and_image_resolves_inside_the_project(path):
    for target in links(path):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        file_part = unquote(target.split("#")[0])
        if not file_part:
            continue
        resolved = (path.parent / file_part).resolve()
        assert resolved.is_relative_to(ROOT), f"{path.name} 指向项目之外：{target}"
        if resolved.name in PARALLEL_DOCS and resolved.parent == DOCS:
            continue
        assert resolved.exists(), f"{path.name} 的链接不存在：{target}"


def test_nothing_in_the_project_points_to_the_shared_folder():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    texts = {"README.md": readme} | {str(p): p.read_text(encoding="utf-8") for p in markdown_files()}
    for name, text in texts.items():
        assert "../shared" not in text and "/work/shared" not in text, name


def test_every_screenshot_is_shown_and_small():
    images = sorted((DOCS / "images").glob("*.png"))
    assert images, "docs/images/ 为空：运行 make docs-screenshots"
    shown = {
        Path(unquote(target)).name
        for path in markdown_files()
        for target in links(path)
        if target.endswith(".png")
    }
    unused = {image.name for image in images} - shown
    assert not unused, f"未在任何文档中使用的截图：{sorted(unused)}"
    total = sum(image.stat().st_size for image in images)
    assert total < 5 * 1024 * 1024, f"截图共 {total} 字节，超过 5 MB"


def test_the_rules_worked_example_scores_what_the_rules_say():
    """docs/rules.md §8.7 shows a sheet and says it scores 92.25 (§8.4 adds it up): the code agrees."""
    import json

    from scoring.enums import ScorePart
    from scoring.rules import fmt2, score
    from scoring.sheet_json import parse_sheets

    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    example = re.search(r"### 8\.7.*?```json\n(.*?)```", text, flags=re.S).group(1)
    sheets, errors = parse_sheets(json.loads(example))
    assert errors == []
    result = score(sheets[0])
    assert fmt2(result.total) == "92.25"
    assert "**92.25**" in text and '`"92.25"`' in text
    parts = {
        part: fmt2(result.part(ScorePart(part))) for part in ("territorial", "functional", "rectification")
    }
    assert parts == {"territorial": "8.00", "functional": "2.00", "rectification": "20.00"}
