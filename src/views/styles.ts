/**
 * The whole stylesheet, inlined in every page so an article arrives in one round trip.
 * System fonts, a readable measure, dark mode, visible focus, print without the form.
 */
export const STYLES = `
:root{color-scheme:light dark;--bg:#fdfcfb;--fg:#1d1b20;--muted:#5c5866;--line:#e4e0ea;--accent:#b3127a;--card:#f5f2f8}
@media (prefers-color-scheme:dark){:root{--bg:#151318;--fg:#ece8f0;--muted:#aaa4b4;--line:#332f3a;--accent:#ff7ac8;--card:#1e1b23}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:1.0625rem/1.65 system-ui,-apple-system,"Segoe UI",Roboto,"Apple SD Gothic Neo","Noto Sans KR","Malgun Gothic",sans-serif}
.wrap{max-width:42rem;margin:0 auto;padding:0 1.25rem}
a{color:var(--accent);text-underline-offset:.15em}
a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.site-header{border-bottom:1px solid var(--line)}
.site-header .wrap{display:flex;align-items:baseline;justify-content:space-between;gap:1rem;padding-block:1rem}
.site-name{font-weight:800;letter-spacing:.04em;color:var(--fg);text-decoration:none;font-size:1.25rem}
.site-header nav a{color:var(--muted);font-size:.95rem}
main{padding-block:2rem 3rem}
h1,h2,h3{line-height:1.25;text-wrap:balance}
h1{font-size:clamp(1.75rem,1.2rem + 2.5vw,2.5rem);margin:.25rem 0 .5rem}
h2{font-size:1.45rem;margin-top:2.25rem}
.meta{color:var(--muted);font-size:.9rem;margin:0}
.tags{list-style:none;padding:0;margin:.75rem 0 0;display:flex;flex-wrap:wrap;gap:.5rem}
.tags a{display:inline-block;padding:.1rem .6rem;border:1px solid var(--line);border-radius:1rem;font-size:.85rem;text-decoration:none}
.post-list{list-style:none;padding:0;margin:0}
.post-list>li{padding:1.25rem 0;border-bottom:1px solid var(--line)}
.post-list h2{margin:.25rem 0;font-size:1.35rem}
.post-list h2 a{color:var(--fg);text-decoration:none}
.post-list h2 a:hover{color:var(--accent)}
.post-list p{margin:.4rem 0}
.pager{display:flex;justify-content:space-between;margin-top:2rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.back{display:inline-block;margin-bottom:1rem;font-size:.95rem}
article img{max-width:100%;height:auto}
article pre{overflow-x:auto;background:var(--card);padding:1rem;border-radius:.5rem}
article blockquote{margin:1rem 0;padding-left:1rem;border-left:4px solid var(--line);color:var(--muted)}
.comments{margin-top:3rem;border-top:1px solid var(--line);padding-top:1rem}
.comment-list,.comment-replies{list-style:none;padding:0;margin:0}
.comment-replies{margin-left:1.25rem;padding-left:.75rem;border-left:2px solid var(--line)}
.comment article{padding:.75rem 0}
.comment-body p{margin:.35rem 0;overflow-wrap:anywhere}
.comment-link{color:var(--muted);font-size:.85rem}
.comment-reply{font-size:.85rem}
.held>article{opacity:.8}
.comment-held-note{color:var(--muted);font-size:.85rem;font-style:italic}
.comment-form{margin-top:2rem;padding:1rem 1.25rem;background:var(--card);border-radius:.5rem}
.comment-form h3{margin-top:0}
.comment-form label{display:block;font-weight:600}
.comment-form input,.comment-form textarea{width:100%;font:inherit;padding:.5rem;border:1px solid var(--line);border-radius:.35rem;background:var(--bg);color:var(--fg)}
.comment-form button{font:inherit;padding:.45rem 1.1rem;border:0;border-radius:.35rem;background:var(--accent);color:#fff;cursor:pointer}
.hint{display:block;color:var(--muted);font-size:.85rem}
.field-error,.form-error,.notice{color:#b00020;font-weight:600;margin:.35rem 0}
@media (prefers-color-scheme:dark){.field-error,.form-error,.notice{color:#ff8a80}}
[aria-invalid=true]{border-color:#b00020!important}
.hp{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}
.admin-filters{display:flex;gap:1rem;margin-bottom:1rem}
.site-footer{border-top:1px solid var(--line);color:var(--muted);font-size:.9rem;padding-block:1.5rem}
@media print{.site-header nav,.site-footer,.comment-form{display:none}a{color:inherit}}
`
  .trim()
  .replace(/\n/g, "");
