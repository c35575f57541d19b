/** Videos of known hosts, as the iframe the build passes through. Any other embed stays a link. */

const attr = (value: string): string => value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/** The iframe that plays `url`, when it is a video of a known host (YouTube, Vimeo, Naver TV, Kakao TV, Dailymotion). */
export function videoEmbed(url: string): string | undefined {
  const src = playerUrl(url.trim());
  if (!src) return undefined;
  return `<iframe src="${attr(src)}" title="Video" width="560" height="315" loading="lazy" allowfullscreen></iframe>`;
}

/** Whether an iframe's `src` is a known host's player (kept as it is). */
export function isKnownPlayer(src: string): boolean {
  const url = URL.parse(src.startsWith("//") ? `https:${src}` : src);
  return url !== null && /^https?:$/.test(url.protocol) && PLAYER_HOSTS.test(url.hostname);
}

const PLAYER_HOSTS =
  /(^|\.)(youtube\.com|youtube-nocookie\.com|player\.vimeo\.com|tv\.naver\.com|tv\.kakao\.com|play-tv\.kakao\.com|dailymotion\.com|w\.soundcloud\.com|open\.spotify\.com)$/;

function playerUrl(raw: string): string | undefined {
  const url = URL.parse(raw.startsWith("//") ? `https:${raw}` : raw);
  if (!url || !/^https?:$/.test(url.protocol)) return undefined;
  const host = url.hostname.replace(/^(www|m)\./, "");
  const youtube = (id: string | null | undefined) =>
    id && /^[\w-]{6,}$/.test(id) ? `https://www.youtube-nocookie.com/embed/${id}` : undefined;
  if (host === "youtu.be") return youtube(url.pathname.slice(1));
  if (host === "youtube.com" || host === "youtube-nocookie.com") {
    if (url.pathname === "/watch") return youtube(url.searchParams.get("v"));
    const embed = /^\/(?:embed|shorts|v)\/([\w-]+)/.exec(url.pathname);
    return youtube(embed?.[1]);
  }
  if (host === "vimeo.com") {
    const id = /^\/(\d+)/.exec(url.pathname)?.[1];
    return id ? `https://player.vimeo.com/video/${id}` : undefined;
  }
  if (isKnownPlayer(url.href) && url.pathname.length > 1) return url.href;
  return undefined;
}
