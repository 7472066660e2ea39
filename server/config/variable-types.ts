/** The kinds of value a configuration variable holds, as zod schemas with the messages users see. */
import { z } from "zod";
import { parseDuration } from "../../shared/duration.ts";

export const wholeNumber = (min: number, max: number) =>
  z.coerce.number({ error: `must be a whole number from ${min} to ${max}` }).int({ error: `must be a whole number from ${min} to ${max}` }).min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` });
export const port = (fallback: number) => wholeNumber(0, 65535).default(fallback);
export const positiveInt = (fallback: number, max: number) => wholeNumber(1, max).default(fallback);

export const duration = (name: string, bounds?: { readonly min: number; readonly max: number; readonly text: string }) =>
  z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      ctx.addIssue({ code: "custom", message: `${name}: "${text}" is not a duration (e.g. "10 seconds", "500ms", "2s", "1 minute")` });
      return z.NEVER;
    }
    if (bounds !== undefined && (ms < bounds.min || ms > bounds.max)) {
      ctx.addIssue({ code: "custom", message: `${name} must be between ${bounds.text}` });
      return z.NEVER;
    }
    return ms;
  }).meta({ format: "duration" });

/** A variable whose parser pushes its own problems, each reported as written. */
export const checked = <T>(parse: (text: string, problems: string[]) => T) =>
  z.string().transform((text, ctx) => {
    const problems: string[] = [];
    const value = parse(text, problems);
    for (const message of problems) ctx.addIssue({ code: "custom", message });
    return problems.length > 0 ? z.NEVER : value;
  });

const BYTE_UNITS: Readonly<Record<string, number>> = { "": 1, b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** A size in bytes: a whole number, or one with a binary unit (`512KiB`, `64MiB`, `1 GiB`). */
export const byteSize = (name: string, bounds: { readonly min: number; readonly max: number; readonly text: string }) =>
  z.string().transform((text, ctx) => {
    const match = /^(\d+(?:\.\d+)?) *([a-z]*)$/i.exec(text.trim());
    const unit = BYTE_UNITS[(match?.[2] ?? "").toLowerCase()];
    if (match === null || unit === undefined) {
      ctx.addIssue({ code: "custom", message: `${name}: "${text}" is not a size (e.g. "64MiB", "512KiB", "1048576")` });
      return z.NEVER;
    }
    const bytes = Math.round(Number(match[1]) * unit);
    if (bytes < bounds.min || bytes > bounds.max) {
      ctx.addIssue({ code: "custom", message: `${name} must be between ${bounds.text}` });
      return z.NEVER;
    }
    return bytes;
  }).meta({ format: "bytes" });
