/**
 * A plain-text e-mail as raw MIME (RFC 5322 headers, RFC 2045 body), what the send_email binding's
 * `EmailMessage` takes. Everything outside ASCII survives: the subject and display name are RFC 2047
 * encoded words (UTF-8, base64), the body is UTF-8 in base64, lines end in CRLF.
 */

import { randomToken } from "../lib/crypto.ts";

const encoder = new TextEncoder();
/** UTF-8 bytes per encoded word: 54 characters with its delimiters, so "Subject: " plus one stays under 78. */
const WORD_BYTES = 30;
const CRLF = "\r\n";

const base64 = (bytes: Uint8Array) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""));

/**
 * `text` as RFC 2047 encoded words, each of WORD_BYTES of UTF-8 at most (a line under 78
 * characters, never a character split between two words), folded onto continuation lines. Short ASCII text stays as it is (never a
 * line break: that is encoded, so text cannot add a header).
 */
export function encodeWords(text: string): string {
  if (/^[\x20-\x7E]{0,60}$/.test(text)) return text;
  const words: number[][] = [];
  const chunk: number[] = [];
  for (const char of text) {
    const bytes = encoder.encode(char);
    if (chunk.length + bytes.length > WORD_BYTES) {
      words.push(chunk.splice(0));
    }
    chunk.push(...bytes);
  }
  if (chunk.length > 0) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${base64(Uint8Array.from(w))}?=`).join(`${CRLF} `);
}

/** `Name <address>`: the name quoted, or encoded when it is not ASCII. */
export function mailbox(name: string, address: string): string {
  const shown = /^[\x20-\x7E]*$/.test(name) ? `"${name.replace(/[\\"]/g, "\\$&")}"` : encodeWords(name);
  return `${shown} <${address}>`;
}

export interface PlainMail {
  from: { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  /** Defaults to now. */
  date?: Date;
}

/** The raw message. */
export function plainTextMime(mail: PlainMail): string {
  const domain = mail.from.address.split("@").pop() || "localhost";
  const date = (mail.date ?? new Date()).toUTCString().replace(/GMT$/, "+0000");
  const body = base64(encoder.encode(mail.text.replace(/\r?\n/g, CRLF)));
  const headers = [
    `From: ${mailbox(mail.from.name, mail.from.address)}`,
    `To: <${mail.to}>`,
    `Subject: ${encodeWords(mail.subject)}`,
    `Date: ${date}`,
    `Message-ID: <${randomToken()}@${domain}>`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=UTF-8",
    "Content-Transfer-Encoding: base64",
    // An automatic message: mail servers send no out-of-office replies to it (RFC 3834).
    "Auto-Submitted: auto-generated",
  ];
  const lines = body.match(/.{1,76}/g) ?? [];
  return [...headers, "", ...lines, ""].join(CRLF);
}
