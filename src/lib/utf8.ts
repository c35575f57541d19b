/**
 * Which fields of a request body are not valid UTF-8, read from the raw bytes. The platform's
 * decoders (`Request.formData()`, `.text()`, `.json()`, so Hono's `parseBody` and validators)
 * turn bad bytes into U+FFFD without a word, so the check has to look before them.
 * Pure functions over bytes; one pass each.
 */

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder("utf-8");

/** True when the bytes are well-formed UTF-8. */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

const hexValue = (byte: number | undefined): number => {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
};

/** `application/x-www-form-urlencoded` percent-decoding, to bytes (as the URL standard's parser does). */
function percentDecode(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] ?? 0;
    const high = byte === 0x25 ? hexValue(bytes[i + 1]) : -1;
    const low = high >= 0 ? hexValue(bytes[i + 2]) : -1;
    if (low >= 0) {
      out[n++] = high * 16 + low;
      i += 2;
    } else out[n++] = byte === 0x2b ? 0x20 : byte;
  }
  return out.subarray(0, n);
}

/** The name and value bytes of each `name=value` pair of a urlencoded body. */
function urlencodedFields(bytes: Uint8Array): [Uint8Array, Uint8Array][] {
  const fields: [Uint8Array, Uint8Array][] = [];
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x26, start);
    if (end === -1) end = bytes.length;
    const pair = bytes.subarray(start, end);
    if (pair.length > 0) {
      const equals = pair.indexOf(0x3d);
      fields.push(
        equals === -1
          ? [percentDecode(pair), new Uint8Array(0)]
          : [percentDecode(pair.subarray(0, equals)), percentDecode(pair.subarray(equals + 1))],
      );
    }
    start = end + 1;
  }
  return fields;
}

/** Each byte as one UTF-16 unit, so string offsets are byte offsets. */
function binaryString(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return text;
}

/** The name and value bytes of each text part of a multipart/form-data body (file parts are skipped). */
function multipartFields(bytes: Uint8Array, boundary: string): [Uint8Array, Uint8Array][] {
  const fields: [Uint8Array, Uint8Array][] = [];
  const text = binaryString(bytes);
  const delimiter = `--${boundary}`;
  let at = text.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    const next = text.indexOf(`\r\n${delimiter}`, start);
    if (next === -1) break;
    const headerEnd = text.indexOf("\r\n\r\n", start);
    if (headerEnd !== -1 && headerEnd < next) {
      const headers = text.slice(start, headerEnd);
      const name = /;\s*name="([^"]*)"/i.exec(headers)?.[1];
      if (name !== undefined && !/;\s*filename\*?=/i.test(headers))
        fields.push([Uint8Array.from(name, (ch) => ch.charCodeAt(0)), bytes.subarray(headerEnd + 4, next)]);
    }
    at = next + 2;
  }
  return fields;
}

/**
 * The names of the fields whose text is not valid Unicode: bytes that are not UTF-8 (in a form
 * or JSON body) or, in JSON, an escaped lone surrogate (`"\ud800"`). `""` stands for a part of
 * the body no field can be named for. A JSON body is checked whole; its bad fields are those whose
 * lenient decoding (`parsed`) holds U+FFFD, so a valid U+FFFD elsewhere in a bad body is named too.
 */
export function invalidTextFields(body: ArrayBuffer, contentType: string, parsed: unknown): string[] {
  const bytes = new Uint8Array(body);
  const media = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (media === "application/x-www-form-urlencoded" || media === "multipart/form-data") {
    const boundary = /;\s*boundary="?([^";]+)"?/i.exec(contentType)?.[1];
    const fields =
      media === "multipart/form-data" ? (boundary ? multipartFields(bytes, boundary) : []) : urlencodedFields(bytes);
    return fields.filter(([name, value]) => !isUtf8(name) || !isUtf8(value)).map(([name]) => lenient.decode(name));
  }
  const values = typeof parsed === "object" && parsed !== null ? Object.entries(parsed) : [];
  const malformed = values.filter(([, value]) => typeof value === "string" && !value.isWellFormed()).map(([k]) => k);
  if (isUtf8(bytes)) return malformed;
  const replaced = values.filter(([, value]) => typeof value === "string" && value.includes("\uFFFD")).map(([k]) => k);
  const named = [...new Set([...malformed, ...replaced])];
  return named.length > 0 ? named : [""];
}
