"""Jinja templates compiled once and kept between runs (mapper.cli.jinja_cache)."""

from __future__ import annotations

import jinja2
import pytest

from mapper.cli import main
from mapper.cli.jinja_cache import templates_compiled_once

SOURCE = "{% for x in items %}<{{ x | upper }}>{% endfor %}"


def _count_parses(monkeypatch) -> list[str]:
    parsed: list[str] = []
    original = jinja2.Environment._parse

    def spy(self, source, name, filename):
        parsed.append(source)
        return original(self, source, name, filename)

    monkeypatch.setattr(jinja2.Environment, "_parse", spy)
    return parsed


def test_a_template_compiled_in_one_run_is_not_compiled_again(tmp_path, monkeypatch):
    parsed = _count_parses(monkeypatch)
    with templates_compiled_once(tmp_path):
        first = jinja2.Template(SOURCE).render(items=["a", "b"])
    assert parsed == [SOURCE]
    with templates_compiled_once(tmp_path):
        again = jinja2.Template(SOURCE).render(items=["a", "b"])
    assert parsed == [SOURCE]  # the second run read the code from the cache
    assert first == again == "<A><B>"


def test_outside_the_block_jinja_compiles_as_before(tmp_path, monkeypatch):
    with templates_compiled_once(tmp_path):
        jinja2.Template(SOURCE)
    parsed = _count_parses(monkeypatch)
    assert jinja2.Template(SOURCE).render(items=["c"]) == "<C>"
    assert parsed == [SOURCE]


def test_the_same_source_in_differently_set_environments_gets_its_own_code(tmp_path):
    source = "{{ x }}|{{ y | shout }}"

    def env(**options):
        e = jinja2.Environment(**options)
        e.filters["shout"] = str.upper
        return e

    def env_with_context_filter():
        e = jinja2.Environment()
        e.filters["shout"] = jinja2.pass_context(lambda ctx, v: f"{v}!{ctx['x']}")
        return e

    values = {"x": "<b>", "y": "hi"}
    with templates_compiled_once(tmp_path):
        plain = env().from_string(source).render(values)
    with templates_compiled_once(tmp_path):
        escaped = env(autoescape=True).from_string(source).render(values)
        with_context = env_with_context_filter().from_string(source).render(values)
    assert (plain, escaped, with_context) == ("<b>|HI", "&lt;b&gt;|HI", "<b>|hi!<b>")


def test_an_unreadable_cache_is_started_afresh_with_a_message(tmp_path, capsys):
    with templates_compiled_once(tmp_path):
        jinja2.Template(SOURCE)
    (cached,) = tmp_path.glob("jinja-*.marshal")
    cached.write_bytes(b"not marshal data")
    with templates_compiled_once(tmp_path):
        assert jinja2.Template(SOURCE).render(items=["d"]) == "<D>"
    assert "rebuilding the compiled page templates" in capsys.readouterr().err
    with templates_compiled_once(tmp_path):  # rewritten whole
        assert jinja2.Template(SOURCE).render(items=["e"]) == "<E>"
    assert capsys.readouterr().err == ""


def test_a_cache_that_cannot_be_written_costs_only_the_compiling(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache directory would be")
    with templates_compiled_once(blocked):
        assert jinja2.Template(SOURCE).render(items=["f"]) == "<F>"
    assert blocked.read_text() == "a file where the cache directory would be"


def test_the_original_compiler_is_back_after_an_error(tmp_path):
    original = jinja2.Environment.compile
    with pytest.raises(jinja2.TemplateSyntaxError), templates_compiled_once(tmp_path):
        jinja2.Template("{% for %}")
    assert jinja2.Environment.compile is original


def test_mapper_map_draws_the_same_page_with_a_cold_and_a_warm_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MAPPER_CACHE_DIR", str(tmp_path / "cache"))
    pages = []
    for run in ("cold", "warm"):
        out = tmp_path / f"{run}.html"
        assert main(["map", "-o", str(out), "--tiles", "none"]) == 0
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]
