/**
 * Translation groups (Polylang's `post_translations`): every imported post of a group gets the
 * group's name as its `translationKey`, and its `lang`. The build refuses a key no other post has
 * and two posts of one key in one language (pipeline/translations.ts), so a member that would make
 * either is imported without the key, and the report says why: an import never leaves a content
 * folder the build refuses.
 */
import { languageOf } from "../../src/articles/translations.ts";
import type { SourcePost } from "./model.ts";
import { type PlanContext, type PostPlan, render, writes } from "./posts.ts";

/**
 * The plans with each linked member written again with its `translationKey` and `lang`. A set is
 * the group's members the import writes, and the posts of the content folder that keep the same
 * key (a post edited since an earlier import, which the import leaves as it is).
 * @param all every post of the export, those not imported too (to say why a member is alone)
 */
export function linkTranslations(
  plans: readonly PostPlan[],
  all: readonly SourcePost[],
  ctx: Pick<PlanContext, "state" | "overwrite" | "report">,
): PostPlan[] {
  const groups = new Map<string, PostPlan[]>();
  for (const plan of plans) {
    const group = plan.source.translationGroup;
    if (group && writes(plan)) groups.set(group, [...(groups.get(group) ?? []), plan]);
  }
  const written = new Set(plans.filter(writes).map((p) => p.slug));
  const linked = new Map<PostPlan, PostPlan>();
  let sets = 0;
  for (const [key, members] of groups) {
    const taken = new Map<string, string>();
    for (const other of ctx.state.translated)
      if (other.key === key && !written.has(other.slug)) taken.set(languageOf(other.lang), `posts/${other.slug}`);
    const kept = members.filter((member) => {
      const same = taken.get(languageOf(member.lang));
      if (same)
        ctx.report.warn(
          `${member.label}: imported without translationKey: ${same}, of the same translation group "${key}", is also in ${member.lang} (a set has one post per language)`,
        );
      else taken.set(languageOf(member.lang), member.label);
      return !same;
    });
    if (taken.size < 2) {
      for (const member of kept)
        ctx.report.warn(`${member.label}: imported without translationKey: ${alone(key, member, plans, all)}`);
      continue;
    }
    sets++;
    for (const m of kept) linked.set(m, render({ ...m, meta: { ...m.meta, lang: m.lang, translationKey: key } }, ctx));
  }
  const out = plans.map((p) => linked.get(p) ?? p);
  if (groups.size > 0 || all.some((p) => p.translationGroup))
    ctx.report.translations = { sets, posts: linked.size, unlinked: [...groups.values()].flat().length - linked.size };
  return out;
}

/** Why `member` is the only post of its group the content folder will have. */
function alone(key: string, member: PostPlan, plans: readonly PostPlan[], all: readonly SourcePost[]): string {
  const others = all.filter((p) => p.translationGroup === key && p !== member.source);
  if (others.length === 0) return `no other post of the export is in its translation group "${key}"`;
  const why = others.map((other) => {
    const plan = plans.find((p) => p.source === other);
    const what = !plan
      ? `is ${other.status}, not imported`
      : plan.action === "invalid"
        ? "is not imported (see its warning)"
        : plan.action === "edited"
          ? "was edited since the last import (kept as it is, outside this set)"
          : `is also in ${plan.lang}`;
    return `${other.kind} ${other.sourceId} "${other.title}" ${what}`;
  });
  return `of its translation group "${key}", ${why.join("; ")}; a translation set needs two posts in different languages`;
}
