/**
 * The checkout's root: the nearest folder at or above a module that holds package.json. Commands
 * run from their sources (tsx, tests) and compiled into dist/server alike, at different depths, so
 * files such as the built dashboard are found from the root rather than from a module's own place.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export function projectRoot(moduleUrl: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(moduleUrl)}`);
    dir = parent;
  }
  return dir;
}
