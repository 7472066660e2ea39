/** Resident memory of a process and every process it started, read from /proc (Linux). */
import { readdirSync, readFileSync } from "node:fs";

function children(): Map<number, number[]> {
  const byParent = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name is in parentheses and may hold spaces: the parent id follows the last ")".
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      byParent.set(ppid, [...(byParent.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  return byParent;
}

function rssBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Every Node process of the tree under `root` (root included), by pid. */
export function nodeProcesses(root: number): number[] {
  const byParent = children();
  const found: number[] = [];
  const visit = (pid: number): void => {
    const command = (() => {
      try {
        return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      } catch {
        return "";
      }
    })();
    if (command.startsWith("node")) found.push(pid);
    for (const child of byParent.get(pid) ?? []) visit(child);
  };
  visit(root);
  return found;
}

/** Summed RSS of the Node processes under `root`: a command and its loader relay count together. */
export function treeRssBytes(root: number): number {
  return nodeProcesses(root).reduce((sum, pid) => sum + rssBytes(pid), 0);
}
