/**
 * A grouped bar chart of each region's p95 time to first byte per case on the simulated network
 * (the reader's round trip plus the data center's wait on KV and D1: what the design costs,
 * without this machine's processing), as a standalone SVG.
 */
import type { RegionsReport } from "./report.ts";

const CASES = [
  { key: "floor", label: "static CDN floor", color: "#9e9e9e" },
  { key: "hit", label: "cache hit", color: "#2e7d32" },
  { key: "miss", label: "miss, all", color: "#1565c0" },
  { key: "missWarm", label: "miss, warm", color: "#64b5f6" },
  { key: "nextLoad", label: "poster's next load", color: "#6a1b9a" },
  { key: "singleOrigin", label: "single origin", color: "#ef6c00" },
  { key: "ssrD1", label: "SSR + D1 every view", color: "#c62828" },
] as const;

const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

export function chart(report: RegionsReport): string {
  const width = 760;
  const height = 360;
  const left = 50;
  const top = 40;
  const bottom = 60;
  const plotH = height - top - bottom;
  const values = report.regions.flatMap((g) => CASES.map((c) => g.network[c.key].p95)).filter(Number.isFinite);
  const max = Math.max(100, ...values);
  const step = max > 1000 ? 250 : 100;
  const top$ = Math.ceil(max / step) * step;
  const y = (v: number) => top + plotH - (v / top$) * plotH;
  const groupW = (width - left - 10) / Math.max(1, report.regions.length);
  const barW = (groupW - 12) / CASES.length;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>p95 time to first byte per region on the simulated network (ms), npm run bench:regions</title>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${left}" y="16" font-size="13">p95 time to first byte on the simulated network, ms (reader round trip 20 ms + waits on KV and D1)</text>`,
  ];
  for (let v = 0; v <= top$; v += step)
    parts.push(
      `<line x1="${left}" x2="${width - 10}" y1="${y(v)}" y2="${y(v)}" stroke="#e0e0e0"/>`,
      `<text x="${left - 4}" y="${y(v) + 4}" text-anchor="end">${v}</text>`,
    );
  report.regions.forEach((g, i) => {
    const x0 = left + i * groupW + 6;
    CASES.forEach((c, j) => {
      const v = g.network[c.key].p95;
      if (!Number.isFinite(v)) return;
      parts.push(
        `<rect x="${(x0 + j * barW).toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${(top + plotH - y(v)).toFixed(1)}" fill="${c.color}"><title>${escapeXml(g.name)}, ${c.label}: ${Math.round(v)} ms</title></rect>`,
      );
    });
    parts.push(
      `<text x="${x0 + (groupW - 12) / 2}" y="${top + plotH + 14}" text-anchor="middle">${escapeXml(g.name)}</text>`,
    );
  });
  CASES.forEach((c, j) => {
    const lx = left + (j % 4) * 175;
    const ly = height - 28 + Math.floor(j / 4) * 14;
    parts.push(
      `<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${c.color}"/>`,
      `<text x="${lx + 14}" y="${ly}">${c.label}</text>`,
    );
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
