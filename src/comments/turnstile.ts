/** Cloudflare Turnstile's server-side check. */
export const TURNSTILE_VERIFY_URL = "https://challenges.cloudflare.com/turnstile/v0/siteverify";

export type TurnstileVerdict = "passed" | "failed" | "unreachable";

/**
 * Asks Turnstile whether `answer` (the widget's `cf-turnstile-response`) is valid. Anything but a
 * clear yes is not a pass: the caller refuses the comment ("failed") or asks for a retry
 * ("unreachable"), never lets it through.
 */
export async function verifyTurnstile(secret: string, answer: string): Promise<TurnstileVerdict> {
  if (answer === "" || answer.length > 2048) return "failed";
  try {
    const res = await fetch(TURNSTILE_VERIFY_URL, {
      method: "POST",
      body: new URLSearchParams({ secret, response: answer }),
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) return "unreachable";
    const data: unknown = await res.json();
    return typeof data === "object" && data !== null && Reflect.get(data, "success") === true ? "passed" : "failed";
  } catch {
    return "unreachable";
  }
}
