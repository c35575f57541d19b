/**
 * Front matter in the forms writers actually use, read without the `yaml` package: one
 * `key: value` a line, where a value is a plain scalar, a "double-quoted" or 'single-quoted'
 * string, or a flow list (`[k-pop, 케이팝]`, `["a", "b"]`), with `# comments`. It gives exactly
 * what `yaml.parse` gives for those lines (YAML 1.2 core schema: `true`, `null`, `12`, `0x1F`,
 * `1.5` are resolved as YAML does), and `undefined` for anything it is not sure of (nesting,
 * block lists, anchors, tags, multi-line or unusual characters, a repeated key...): the caller
 * then asks the `yaml` package, which also reports the errors. It exists because loading `yaml`
 * and parsing with it costs more than reading and hashing a post.
 *
 * test/pipeline/simple-yaml.test.ts checks it against `yaml.parse` on hand-written and random input.
 */

/** What is not sure: `undefined` is returned for the whole text. */
const UNSURE = Symbol("unsure");
type Value = string | number | boolean | null | Value[];

/** Tabs, carriage returns, control, special and non-printable characters: left to the yaml package. */
const UNUSUAL = /(?!\n)\p{Cc}|[\u2028\u2029\ufeff\ufffe\uffff]/u;
const LINE = /^([a-z]+):(?: +(.*))?$/;
/** A plain scalar here starts with a letter, a digit or a slash (no YAML indicator). */
const PLAIN_START = /^[\p{L}\p{N}/]/u;

/**
 * The fields of a front matter block, or `undefined` when it is not in the simple forms.
 * Only the field names in `keys` are read; any other name is left to the yaml package.
 */
export function simpleYaml(text: string, keys: ReadonlySet<string>): Record<string, Value> | undefined {
  if (UNUSUAL.test(text)) return undefined;
  const fields: Record<string, Value> = {};
  let empty = true;
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = LINE.exec(line);
    const key = match?.[1];
    if (key === undefined || !keys.has(key) || Object.hasOwn(fields, key)) return undefined;
    const value = scalarOrList((match?.[2] ?? "").replace(/ +$/, ""));
    if (value === UNSURE) return undefined;
    fields[key] = value;
    empty = false;
  }
  return empty ? undefined : fields;
}

function scalarOrList(text: string): Value | typeof UNSURE {
  if (text === "" || text.startsWith("#")) return null;
  if (text.startsWith('"')) return doubleQuoted(text);
  if (text.startsWith("'")) {
    const match = /^'((?:[^']|'')*)'$/.exec(text);
    return match ? (match[1] ?? "").replaceAll("''", "'") : UNSURE;
  }
  if (text.startsWith("[")) return flowList(text);
  const hash = text.indexOf(" #");
  return plain(hash < 0 ? text : text.slice(0, hash).replace(/ +$/, ""), false);
}

/** JSON's string escapes are YAML's too, with the same meaning. */
function doubleQuoted(text: string): string | typeof UNSURE {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "string" ? value : UNSURE;
  } catch {
    return UNSURE;
  }
}

function flowList(text: string): Value[] | typeof UNSURE {
  if (/["']/.test(text)) {
    // Quoted items: only a JSON array of strings, numbers and booleans (no comment after it).
    try {
      const value: unknown = JSON.parse(text);
      const simple = (item: unknown) => ["string", "number", "boolean"].includes(typeof item);
      return Array.isArray(value) && value.every(simple) ? value : UNSURE;
    } catch {
      return UNSURE;
    }
  }
  const close = text.indexOf("]");
  const rest = text.slice(close + 1);
  if (close < 0 || (rest !== "" && !/^ +#/.test(rest))) return UNSURE;
  const inner = text.slice(1, close);
  if (/^ *$/.test(inner)) return [];
  const items: Value[] = [];
  for (const item of inner.split(",")) {
    const value = plain(item.replace(/^ +| +$/g, ""), true);
    if (value === UNSURE) return UNSURE;
    items.push(value);
  }
  return items;
}

/** A plain scalar, resolved as YAML 1.2's core schema does (the yaml package's default). */
function plain(text: string, inList: boolean): Value | typeof UNSURE {
  if (!PLAIN_START.test(text) || text.includes(": ") || text.endsWith(":")) return UNSURE;
  if (inList ? /[[\]{},:#]/.test(text) : /[[\]{}]/.test(text)) return UNSURE;
  if (/^(?:[Nn]ull|NULL)$/.test(text)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(text)) return text[0] === "t" || text[0] === "T";
  if (/^0o[0-7]+$/.test(text)) return Number.parseInt(text.slice(2), 8);
  if (/^[0-9]+$/.test(text)) return Number.parseInt(text, 10);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return Number.parseInt(text.slice(2), 16);
  if (/^[0-9]+(?:\.[0-9]*)?[eE][-+]?[0-9]+$/.test(text) || /^[0-9]+\.[0-9]*$/.test(text)) {
    return Number.parseFloat(text);
  }
  return text;
}
