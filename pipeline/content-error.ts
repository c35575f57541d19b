/** A mistake in the writer's content: names the file and, when known, the front matter field. */
export class ContentError extends Error {
  readonly file: string;
  readonly field: string | undefined;
  /** The message without the file and field (what a render thread sends back to the build). */
  readonly problem: string;

  constructor(file: string, field: string | undefined, problem: string) {
    super(field ? `${file}: front matter "${field}" ${problem}` : `${file}: ${problem}`);
    this.name = "ContentError";
    this.file = file;
    this.field = field;
    this.problem = problem;
  }
}
