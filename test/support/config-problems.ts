import { ConfigError, loadConfig } from "../../server/config/config.ts";

/** The problems `loadConfig` reports for `sources`, in order; none when it accepts them. */
export function configProblems(sources: Parameters<typeof loadConfig>[0]): readonly string[] {
  try {
    loadConfig(sources);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
