// Comment times in the reader's own time zone. A page is one cached copy for readers in every
// zone, so the server writes each time in the zone its language names (UTC in English, saying so;
// Korea's in Korean) and marks it with that zone (data-tz); this rewrites the times whose zone is
// not the reader's into the reader's, with the zone named. Without it, the server's times stand.
(() => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  let format;
  for (const time of document.querySelectorAll("time[data-tz]")) {
    const when = new Date(time.dateTime);
    if (time.dataset.tz === zone || Number.isNaN(when.getTime())) continue;
    format ??= new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      year: "numeric",
      month: "long",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZoneName: "short",
    });
    time.title = time.textContent;
    time.textContent = format.format(when);
  }
})();
