from content.markdown import html_to_text, render_markdown, sanitize_html


def test_render_markdown_keeps_nested_lists_and_emphasis():
    html = render_markdown("- **Monitoring**\n  - Call\n  - Knowledge monitoring\n\n1. First\n2. Second\n")

    assert html == (
        "<ul>\n<li><strong>Monitoring</strong>\n<ul>\n<li>Call</li>\n<li>Knowledge monitoring</li>\n</ul>\n</li>\n"
        "</ul>\n<ol>\n<li>First</li>\n<li>Second</li>\n</ol>"
    )


def test_sanitize_html_drops_scripts_handlers_and_unsafe_links():
    dirty = '<p onclick="x()">Hi<script>alert(1)</script> <a href="javascript:alert(1)">a</a> <a href="https://e.org">b</a></p>'

    assert (
        sanitize_html(dirty)
        == '<p>Hi <a rel="noopener noreferrer">a</a> <a href="https://e.org" rel="noopener noreferrer">b</a></p>'
    )


def test_render_markdown_links_only_to_safe_schemes():
    assert render_markdown("[x](javascript:alert(1)) [y](https://e.org)") == (
        '<p>[x](javascript:alert(1)) <a href="https://e.org" rel="noopener noreferrer">y</a></p>'
    )


def test_html_to_text_keeps_words_and_unescapes_entities():
    assert html_to_text("<ul><li>Q&amp;A</li><li>Second</li></ul>") == "Q&A\nSecond"
