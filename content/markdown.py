"""Markdown to safe HTML, done once when content is saved (never per request)."""

import html

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("js-default")  # CommonMark + tables + strikethrough; raw HTML is escaped

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "u", "s", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td",
    "sub", "sup", "mark",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}


def render_markdown(source: str) -> str:
    """Render Markdown to HTML that holds only the allowed tags, attributes and URL schemes."""
    return sanitize_html(_md.render(source))


def sanitize_html(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


def html_to_text(fragment: str) -> str:
    """The words of an HTML fragment, for search and snippets."""
    text = nh3.clean(fragment.replace("</li>", "</li>\n").replace("</p>", "</p>\n"), tags=set())
    return "\n".join(line.strip() for line in html.unescape(text).splitlines() if line.strip())


def render_text(source: str, text_format: str, *, inline: bool = False) -> str:
    """Render author text in one of the formats questions use: markdown, html or plain.

    `inline` text (an option, a matching side) becomes phrasing content, with no paragraph.
    """
    if not source.strip():
        return ""
    if text_format == "markdown":
        return sanitize_html(_md.renderInline(source)) if inline else render_markdown(source)
    if text_format == "html":
        return sanitize_html(source)
    return html.escape(source).replace("\n", "<br>")
