/**
 * Worker versions as Cloudflare makes them from an upload: the multipart form (a `metadata` part,
 * then one part per module), its bindings resolved (`inherit` and `keep_bindings` take the previous
 * version's), its assets from the upload session, and the JSON the API answers about a version.
 */
import { completedAssets } from "./assets.ts";
import type { Api } from "./server.ts";
import { type Binding, type Module, newId, now, type Script, type Version } from "./state.ts";

interface UploadMetadata {
  main_module?: string;
  bindings?: Binding[];
  compatibility_date?: string;
  compatibility_flags?: string[];
  keep_bindings?: string[];
  keep_assets?: boolean;
  annotations?: Record<string, string>;
  assets?: { jwt?: string };
}

/** An upload the API refuses (Cloudflare answers 400 with a code). */
export class UploadRefused extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

/** Makes a version of `script` from an upload form (not deployed: that is a deployment's job). */
export async function versionFromUpload(api: Api, script: Script, form: FormData): Promise<Version> {
  const raw = form.get("metadata");
  if (typeof raw !== "string" && !(raw instanceof Blob))
    throw new UploadRefused(10021, "the upload has no metadata part");
  const metadata = JSON.parse(typeof raw === "string" ? raw : await raw.text()) as UploadMetadata;
  const modules: Module[] = [];
  for (const [name, part] of form.entries()) {
    if (name === "metadata" || typeof part === "string") continue;
    modules.push({ name, contentType: part.type, contents: new Uint8Array(await part.arrayBuffer()) });
  }
  const mainModule = metadata.main_module;
  if (!mainModule || !modules.some((m) => m.name === mainModule))
    throw new UploadRefused(10021, `main_module ${mainModule} is not among the uploaded parts`);
  const previous = script.versions.at(-1);
  const bindings = resolveBindings(api, metadata, previous);
  let assets: Record<string, string> = {};
  if (metadata.assets?.jwt) {
    const done = completedAssets(api, metadata.assets.jwt);
    if (!done) throw new UploadRefused(10202, "the assets upload session is not complete");
    assets = done;
  } else if (metadata.keep_assets && previous) assets = previous.assets;
  const version: Version = {
    id: newId(),
    number: (previous?.number ?? 0) + 1,
    createdOn: now(),
    message: metadata.annotations?.["workers/message"],
    tag: metadata.annotations?.["workers/tag"],
    mainModule,
    compatibilityDate: metadata.compatibility_date ?? "2021-01-01",
    compatibilityFlags: metadata.compatibility_flags ?? [],
    modules,
    bindings,
    assets,
  };
  script.versions.push(version);
  return version;
}

/** A copy of `base` with other bindings (a secret change makes a new version this way). */
export function versionWithBindings(script: Script, base: Version, bindings: Binding[], message: string): Version {
  const version: Version = {
    ...base,
    id: newId(),
    number: (script.versions.at(-1)?.number ?? 0) + 1,
    createdOn: now(),
    message,
    bindings,
  };
  script.versions.push(version);
  return version;
}

function resolveBindings(api: Api, metadata: UploadMetadata, previous: Version | undefined): Binding[] {
  const resolved: Binding[] = [];
  for (const binding of metadata.bindings ?? []) {
    if (binding.type === "inherit") {
      const old = previous?.bindings.find((b) => b.name === binding.name);
      if (!old)
        throw new UploadRefused(10021, `binding ${binding.name} cannot be inherited: the previous version has none`);
      resolved.push(old);
      continue;
    }
    if (binding.type === "kv_namespace" && !api.state.kv.has(String(binding.namespace_id)))
      throw new UploadRefused(10041, `binding ${binding.name}: KV namespace ${binding.namespace_id} does not exist`);
    if (binding.type === "queue" && !api.state.queueByName(String(binding.queue_name)))
      throw new UploadRefused(11000, `binding ${binding.name}: queue ${binding.queue_name} does not exist`);
    if (binding.type === "d1" && !api.state.d1.has(String(binding.id)))
      throw new UploadRefused(10021, `binding ${binding.name} of type d1 must have a valid \`id\` specified`);
    resolved.push(binding);
  }
  const keep = new Set(metadata.keep_bindings ?? []);
  for (const old of previous?.bindings ?? []) {
    if (keep.has(old.type) && !resolved.some((b) => b.name === old.name)) resolved.push(old);
  }
  return resolved;
}

/** A binding as the API shows it: never a secret's value. */
const shown = ({ text, ...rest }: Binding): Binding => (rest.type === "secret_text" ? rest : { ...rest, text });

/** `GET .../versions/:id` (and the version in upload answers). */
export function versionJson(version: Version): Record<string, unknown> {
  return {
    id: version.id,
    number: version.number,
    metadata: {
      created_on: version.createdOn,
      modified_on: version.createdOn,
      source: "wrangler",
      author_email: "deployer@example.com",
      hasPreview: false,
    },
    annotations: {
      ...(version.message !== undefined && { "workers/message": version.message }),
      ...(version.tag !== undefined && { "workers/tag": version.tag }),
    },
    resources: {
      script: { etag: version.id.replaceAll("-", ""), handlers: ["fetch"], last_deployed_from: "wrangler" },
      script_runtime: {
        compatibility_date: version.compatibilityDate,
        compatibility_flags: version.compatibilityFlags,
        usage_model: "standard",
      },
      bindings: version.bindings.map(shown),
    },
    startup_time_ms: 1,
  };
}
