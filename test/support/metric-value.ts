/** The value of one unlabelled (or exactly labelled) sample in a Prometheus text exposition, or undefined. */
export function metricValue(exposition: string, name: string): number | undefined {
  const line = exposition.split("\n").find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}
