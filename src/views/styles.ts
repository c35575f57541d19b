/**
 * The whole stylesheet, inlined in every page so an article arrives in one round trip (keep it
 * small: it counts against the 14 KB budget of `npm run bench:weight`).
 * System fonts; an 18px base with a 1.25 type scale; a measure of about 70 characters; colours
 * that pass WCAG AA in both schemes, and AAA (7:1 text, 3:1 field borders) on the comment form's card
 * (checked by axe in test/e2e); `.nh` keeps a hyphenated word on one line (views/no-break.tsx); dark mode by
 * prefers-color-scheme; a visible focus ring; print without navigation or the comment form.
 * Code colours (classes from pipeline/highlight.ts) pass AA on the code background in both schemes.
 */
export const STYLES = `
:root{color-scheme:light dark;--bg:#fdfcfb;--fg:#1d1b20;--muted:#524c5c;--line:#e2dde8;--field:#7a7386;--accent:#960a66;--error:#a0001c;--card:#f4f0f7;--measure:40rem}
@media (prefers-color-scheme:dark){:root{--bg:#141217;--fg:#ece8f0;--muted:#b0aaba;--line:#36313d;--field:#7e7889;--accent:#ff8fd0;--error:#ff8a80;--card:#1f1c24}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:1.125rem/1.7 system-ui,-apple-system,"Segoe UI",Roboto,"Apple SD Gothic Neo","Noto Sans KR","Malgun Gothic",sans-serif;overflow-wrap:break-word}
:lang(ko){word-break:keep-all}
.wrap{max-width:var(--measure);margin:0 auto;padding-inline:1.25rem}
a{color:var(--accent);text-underline-offset:.2em;text-decoration-thickness:1px}
a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid var(--accent);outline-offset:3px;border-radius:2px}
.skip{position:absolute;left:1rem;top:-4rem;background:var(--bg);padding:.5rem 1rem;z-index:1}
.skip:focus{top:.5rem}
.site-header{border-bottom:1px solid var(--line)}
.site-header .wrap{display:flex;align-items:center;justify-content:space-between;gap:1rem;padding-block:.9rem}
.site-name{display:flex;align-items:center;gap:.6rem;font-weight:800;letter-spacing:.06em;color:var(--fg);text-decoration:none;font-size:1.2rem}
.site-header nav a{color:var(--muted);font-size:.95rem}
main{padding-block:2rem 3.5rem}
h1,h2,h3{line-height:1.25;text-wrap:balance}
.nh{white-space:nowrap}
h1{font-size:clamp(1.85rem,1.4rem + 2vw,2.4rem);letter-spacing:-.01em;margin:.25rem 0 .75rem}
h2{font-size:1.5625em;margin:2.5rem 0 .75rem}
h3{font-size:1.25em;margin:2rem 0 .5rem}
p,ul,ol,blockquote,pre,table{margin:0 0 1.25rem}
.meta{color:var(--muted);font-size:.9rem;margin:0}
.lede{color:var(--muted);font-size:1.25rem;line-height:1.5;margin:0 0 1rem}
.tags{list-style:none;padding:0;margin:.9rem 0 0;display:flex;flex-wrap:wrap;gap:.5rem}
.languages{margin-top:.9rem}
.tags a,.languages>*{display:inline-block;padding:.15rem .7rem;border:1px solid var(--line);border-radius:1rem;font-size:.85rem;text-decoration:none}
.tags a:hover,.languages>:hover{border-color:var(--accent)}
.languages>span{background:var(--accent);border-color:var(--accent);color:var(--bg)}
.post-list{list-style:none;padding:0;margin:0}
.post-list>li{padding:1.5rem 0;border-bottom:1px solid var(--line)}
.post-list>li:last-child{border-bottom:0}
.post-list h2{margin:.2rem 0 .4rem;font-size:1.4rem}
.post-list h2 a{color:var(--fg);text-decoration:none}
.post-list h2 a:hover{color:var(--accent)}
.post-list p{margin:0;line-height:1.55}
.search-form{display:flex;gap:.5rem;margin:0 0 1.5rem}.search-form input{flex:1;min-width:0;font:inherit;padding:.45rem;border:1px solid var(--field);border-radius:.35rem;background:var(--bg);color:var(--fg)}
.result-count{color:var(--muted);font-size:.95rem;margin:0 0 .25rem}.snippet mark{padding:0 .1em;border-radius:.15em}
.pager{display:flex;justify-content:space-between;gap:1rem;margin-top:2rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.back{display:inline-block;margin-bottom:1.25rem;font-size:.95rem}
.reading-on{margin-top:2.5rem;border-top:1px solid var(--line);padding-top:1rem}
.prev-next,.related{list-style:none;padding:0}
.prev-next li,.related li{margin:.4rem 0}
.prev-next .meta{display:block}
main>article>header{margin-bottom:2rem;padding-bottom:1.5rem;border-bottom:1px solid var(--line)}
.content img{max-width:100%;height:auto}
.content li{margin-bottom:.35rem}
.content code{font:.9em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--card);padding:.1em .3em;border-radius:.25rem}
.content pre{overflow-x:auto;background:var(--card);padding:1rem;border-radius:.5rem}
.content pre code{padding:0;background:none}
.code .k{color:#c4162a}.code .s{color:#032f62}.code .n{color:#005cc5}.code .f{color:#6f42c1}.code .c{color:var(--muted)}.code .t{color:#1a7431}.code .v{color:#9a4a00}.code .d{color:#b31d28}
@media (prefers-color-scheme:dark){.code .k{color:#f97583}.code .s{color:#9ecbff}.code .n{color:#79b8ff}.code .f{color:#b392f0}.code .t{color:#85e89d}.code .v{color:#ffab70}.code .d{color:#fdaeb7}}
.anchor{color:inherit;text-decoration:none}
.anchor:hover::after,.anchor:focus-visible::after{content:" #"/"";color:var(--accent)}
.toc{background:var(--card);border-radius:.5rem;padding:.75rem 1.25rem;margin-bottom:2rem}
.toc-title{font-weight:700;margin:0}
.toc ol{margin:0;padding-left:1.25rem}
.content blockquote{margin-inline:0;padding-left:1.25rem;border-left:4px solid var(--accent);color:var(--muted)}
.content hr{border:0;border-top:1px solid var(--line);margin:2.5rem 0}
.content table{border-collapse:collapse;display:block;overflow-x:auto}
.content th,.content td{border:1px solid var(--line);padding:.4rem .7rem}
.comments{margin-top:3rem;border-top:1px solid var(--line);padding-top:1rem}
.comment-list,.comment-replies{list-style:none;padding:0;margin:0}
.comment-replies{margin-left:1.25rem;padding-left:.75rem;border-left:2px solid var(--line)}
.comment{scroll-margin-top:1rem}
.comment article{padding:.75rem 0}
.comment-body p{margin:.35rem 0;overflow-wrap:anywhere}
.comment-link{color:var(--muted);font-size:.85rem}
.comment-reply{font-size:.85rem}
.comment-actions{display:inline-flex;flex-wrap:wrap;align-items:center;gap:.25rem .9rem;margin-left:.9rem;font-size:.85rem}
.comment-like{display:inline}
.comment-like button{background:none;color:var(--fg);border:1px solid var(--line);padding:.1rem .55rem;font-size:.85rem}
.badge{font-size:.75rem;font-weight:700;color:var(--accent);text-transform:uppercase;letter-spacing:.04em}
.held>article,.comment:target>article{border-left:3px dashed var(--muted);padding-left:.75rem}
.comment:target>article{border-left-style:solid;border-color:var(--accent)}
.comment-held-note{color:var(--muted);font-size:.85rem;font-style:italic}
.comment-form{margin-top:2rem;padding:1rem 1.25rem;background:var(--card);border-radius:.5rem}
.comment-form h3{margin-top:0}
.comment-form label{display:block;font-weight:600}
.comment-form input,.comment-form textarea{width:100%;font:inherit;padding:.5rem;border:1px solid var(--field);border-radius:.35rem;background:var(--bg);color:var(--fg)}
button{font:inherit;padding:.45rem 1.1rem;border:0;border-radius:.35rem;background:var(--accent);color:var(--bg);cursor:pointer}
input[type=checkbox]{width:1.5rem;height:1.5rem;margin:0;vertical-align:-.2em;accent-color:var(--accent)}
.field{margin:0 0 1.25rem}
.hint{display:block;color:var(--muted);font-size:.85rem}
.field-error,.form-error,.notice{color:var(--error);font-weight:600;margin:.35rem 0}
.comment-form [aria-invalid=true],[aria-invalid=true]{border-color:var(--error);box-shadow:0 0 0 1px var(--error)}
.hp{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}
.admin-filters,.admin-actions{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;margin-bottom:1rem}
.admin-list .comment{border-top:1px solid var(--line);padding:.75rem 0}
.site-footer{border-top:1px solid var(--line);color:var(--muted);font-size:.9rem;padding-block:1.5rem}
.site-footer a{color:inherit}
@media print{:root{--bg:#fff;--fg:#000;--muted:#333;--accent:#000}body{font-size:11pt}.site-header nav,.site-footer,.skip,.back,.comment-form{display:none}.content a[href^="http"]::after{content:" (" attr(href) ")";font-size:.85em}h2,h3{break-after:avoid}}
`
  .trim()
  .replace(/\n/g, "");
