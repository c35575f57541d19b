/** A reason `npm run new` does not create the post; `code` is the exit code (1: it would overwrite, 2: bad input). */
export class NewPostError extends Error {
  readonly code: 1 | 2;
  constructor(message: string, code: 1 | 2) {
    super(message);
    this.name = "NewPostError";
    this.code = code;
  }
}
