import { escapeHtml } from './http-counterpart.ts';

/**
 * Headers of a counterpart's pages for people: nothing loads from elsewhere, nothing is cached, and a secret link in
 * the address never leaves as a Referer.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

/**
 * A complete German page without external assets: skip link, landmarks, one `h1`, readable defaults and a visible
 * focus. `title` and `site` are text; `content` is HTML the caller has escaped.
 */
export function germanPage(title: string, content: string, site: string): string {
  return `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – ${escapeHtml(site)}</title>
<style>
body{font-family:system-ui,sans-serif;line-height:1.5;margin:0 auto;max-width:48rem;padding:1rem;color:#1b1b1b;background:#fff}
a{color:#0b4f9c}
a:focus,button:focus{outline:3px solid #b35900;outline-offset:2px}
button{font:inherit;padding:.5rem 1rem;margin:.25rem 0}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.4rem;border-bottom:1px solid #767676;vertical-align:top}
.skip{position:absolute;left:-999px}
.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
.text{white-space:pre-wrap}
</style>
</head>
<body>
<a class="skip" href="#inhalt">Zum Inhalt springen</a>
<header><p>${escapeHtml(site)}</p></header>
<main id="inhalt">
<h1>${escapeHtml(title)}</h1>
${content}
</main>
</body>
</html>`;
}
