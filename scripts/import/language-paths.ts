/**
 * The build refuses an old address that a language's own addresses take once the blog has posts
 * in that language (`/ko`, `/ko/feed.xml`: pipeline/language-lists.ts). The import leaves such an
 * address out of the post's aliases, saying which, so the content folder it leaves always builds.
 */
import { languagePathOf } from "../../pipeline/language-lists.ts";
import { languageOf } from "../../src/articles/translations.ts";
import type { ContentState } from "./content-state.ts";
import { type PlanContext, type PostPlan, render, writes } from "./posts.ts";

/** The plans, each written again without the aliases a language of the content folder takes. */
export function freeLanguagePaths(
  plans: readonly PostPlan[],
  state: ContentState,
  ctx: Pick<PlanContext, "state" | "overwrite" | "report">,
): PostPlan[] {
  const languages = new Set(state.languages);
  for (const plan of plans) if (writes(plan) && plan.meta.lang) languages.add(languageOf(plan.meta.lang));
  return plans.map((plan) => {
    if (!writes(plan)) return plan;
    const aliases = plan.meta.aliases.filter((alias) => {
      const lang = languagePathOf(alias, languages);
      if (lang)
        ctx.report.warn(
          `${plan.label}: old address ${alias} is not kept: the blog answers it with its list of posts in ${lang}`,
        );
      return !lang;
    });
    return aliases.length === plan.meta.aliases.length
      ? plan
      : render({ ...plan, meta: { ...plan.meta, aliases } }, ctx);
  });
}
