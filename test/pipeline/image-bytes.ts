/** The first bytes of tiny images of each format: enough for a size reader, not for a viewer. */

const u16be = (n: number) => [n >> 8, n & 255];
const u16le = (n: number) => [n & 255, n >> 8];
const u24le = (n: number) => [n & 255, (n >> 8) & 255, n >> 16];
const u32be = (n: number) => [n >>> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255];
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

export const png = (w: number, h: number) =>
  Uint8Array.from([
    0x89,
    ...ascii("PNG\r\n\x1a\n"),
    ...u32be(13),
    ...ascii("IHDR"),
    ...u32be(w),
    ...u32be(h),
    8,
    6,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
  ]);

export const gif = (w: number, h: number) => Uint8Array.from([...ascii("GIF89a"), ...u16le(w), ...u16le(h), 0, 0, 0]);

/**
 * Baseline JPEG: SOI, a JFIF APP0 segment (or, with `orientation`, an EXIF APP1 segment holding
 * that Orientation tag), then the SOF0 segment carrying the stored size.
 */
export function jpeg(w: number, h: number, orientation?: number): Uint8Array {
  const app0 = [0xff, 0xe0, ...u16be(16), ...ascii("JFIF\0"), 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const tiff = [
    ...ascii("MM"),
    0,
    42,
    ...u32be(8),
    ...u16be(1),
    0x01,
    0x12,
    0,
    3,
    ...u32be(1),
    ...u16be(orientation ?? 1),
    0,
    0,
    ...u32be(0),
  ];
  const app1 = [0xff, 0xe1, ...u16be(2 + 6 + tiff.length), ...ascii("Exif\0\0"), ...tiff];
  const sof0 = [0xff, 0xc0, ...u16be(17), 8, ...u16be(h), ...u16be(w), 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  return Uint8Array.from([0xff, 0xd8, ...(orientation ? app1 : app0), ...sof0, 0xff, 0xd9]);
}

/** Extended WebP (VP8X): the canvas size is stored minus one, 24 bits little-endian. */
export const webp = (w: number, h: number) =>
  Uint8Array.from([
    ...ascii("RIFF"),
    22,
    0,
    0,
    0,
    ...ascii("WEBPVP8X"),
    10,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    ...u24le(w - 1),
    ...u24le(h - 1),
  ]);

/**
 * A whole image of the format, made by sharp (a gradient, so encoders have some work), for code
 * that decodes it: the responsive variants. `orientation` stores the pixels with that EXIF tag.
 */
export async function photo(format: "jpeg" | "png" | "webp", w: number, h: number, orientation?: number) {
  const { default: sharp } = await import("sharp");
  const pixels = Buffer.alloc(w * h * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7 + Math.floor(i / (w * 3)) * 3) & 255;
  let image = sharp(pixels, { raw: { width: w, height: h, channels: 3 } }).toFormat(format);
  if (orientation) image = image.withMetadata({ orientation });
  return new Uint8Array(await image.toBuffer());
}
