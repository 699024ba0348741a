import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A value that must never reach a log, a message or an exception: printing, string-interpolating,
 * JSON-serialising or inspecting it yields "[redacted]". Call {@link Secret.reveal} at the one place that
 * really needs the value.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

/** Removes SAS signatures, bearer tokens and client secrets from free text before it is logged or shown. */
export function redact(text: string): string {
  return text
    .replace(
      /([?&](?:sig|se|sp|sv|skoid|sktid|skt|ske|sks|skv|st|spr|srt|ss|sr|si)=)[^&\s"']*/gi,
      '$1' + REDACTED,
    )
    .replace(/(Bearer\s+)[A-Za-z0-9\-_.~+/]+=*/gi, '$1' + REDACTED)
    .replace(/(AccountKey=)[^;\s"']*/gi, '$1' + REDACTED)
    .replace(/((?:client_secret|client_assertion|access_token)=)[^&\s"']*/gi, '$1' + REDACTED)
    .replace(/("(?:access_token|client_secret|client_assertion)"\s*:\s*")[^"]*/gi, '$1' + REDACTED);
}
