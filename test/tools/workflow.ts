/**
 * The deploy step of .github/workflows/deploy.yml, as GitHub Actions would run it: its `run:` line
 * with the `${{ }}` expression evaluated for the inputs of a push (no inputs) or of "Run workflow".
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";

const root = resolve(import.meta.dirname, "..", "..");

interface Workflow {
  jobs: Record<string, { env?: Record<string, string>; steps: { name?: string; run?: string }[] }>;
}

/** The command line of the workflow's "Deploy" step, for `inputs.environment` (undefined on a push). */
export function workflowDeployCommand(environment: string | undefined): string {
  const workflow = parse(readFileSync(join(root, ".github", "workflows", "deploy.yml"), "utf8")) as Workflow;
  const step = workflow.jobs.deploy?.steps.find((s) => s.name === "Deploy");
  if (!step?.run) throw new Error("deploy.yml has no deploy job with a step named Deploy");
  return step.run.replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) => evaluate(expression.trim(), environment));
}

/**
 * Evaluates the one expression shape the step uses, `inputs.environment == 'x' && 'a' || 'b'`;
 * any other shape throws, so a changed workflow is looked at rather than guessed at.
 */
function evaluate(expression: string, environment: string | undefined): string {
  const match = /^inputs\.environment == '([^']*)' && '([^']*)' \|\| '([^']*)'$/.exec(expression);
  if (!match) throw new Error(`the test does not know how to evaluate \${{ ${expression} }}`);
  const [, wanted, then, otherwise] = match;
  // `a && b || c` in GitHub's expressions: b when a is true and b is truthy, else c.
  return environment === wanted && then ? (then ?? "") : (otherwise ?? "");
}
