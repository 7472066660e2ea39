/**
 * Several servers at once: one connection each, each with its own token, and a post that reaches
 * us through two servers (the same `uri`, a different local id on each) counts once.
 */
import { describe, expect, it } from "vitest";
import { craftStatus } from "../../server/demo/crafted-status.ts";
import type { SimulatedMastodon } from "../../server/demo/simulated-mastodon.ts";
import { countsIn, harness, ingestor, simulatedMastodon, tickUntil, waitUntil } from "./ingest-fixture.ts";

/** The same remote post as two servers render it: their own id, the author's uri. */
function federated(server: SimulatedMastodon, localId: string, originId: string, tags: string[]) {
  return craftStatus({ id: localId, acct: "carol@origin.example", originId, serverDomain: server.domain, tags });
}

describe("several Mastodon servers", () => {
  it("follows each with its own token and counts a post seen through both once", async () => {
    const h = await harness();
    const a = await simulatedMastodon({ domain: "a.example" });
    const b = await simulatedMastodon({ domain: "b.example" });
    expect(a.token).not.toBe(b.token);
    const ing = await ingestor([a, b], h.aggregator.intake.port, { statsEveryMs: 50 });
    expect(ing.instances).toEqual(["a.example", "b.example"]);

    a.publish({ event: "update", status: federated(a, "1001", "77", ["fediverse", "rust"]) });
    b.publish({ event: "update", status: federated(b, "5005", "77", ["fediverse", "rust"]) });
    a.publish({ event: "update", status: craftStatus({ id: "1002", acct: "alice", serverDomain: "a.example", tags: ["local"] }) });
    b.publish({ event: "update", status: federated(b, "5006", "78", ["rust"]) });
    a.publish({ event: "update", status: federated(a, "1003", "78", ["rust"]) });
    await waitUntil(() => ing.stats.statuses === 5);

    const snapshot = await tickUntil(h, (s) => s.stats.lines === 3 && s.ingest?.statuses === 5);
    expect(countsIn(snapshot)).toEqual({ rust: 2, fediverse: 1, local: 1 });
    expect(ing.report()).toMatchObject({ statuses: 5, forwarded: 3, duplicates: 2, connected: 2 });
    // The same figures reach the dashboard.
    expect(snapshot.ingest).toMatchObject({ statuses: 5, forwarded: 3, tags: 4, duplicates: 2, connected: 2, queued: 0, reconnects: 0 });
    expect(snapshot.instances).toEqual(["a.example", "b.example"]);
  });

  it("takes a deletion from either server, by that server's own id", async () => {
    const h = await harness();
    const a = await simulatedMastodon({ domain: "a.example" });
    const b = await simulatedMastodon({ domain: "b.example" });
    const ing = await ingestor([a, b], h.aggregator.intake.port);
    a.publish({ event: "update", status: federated(a, "1001", "77", ["gone"]) });
    b.publish({ event: "update", status: federated(b, "5005", "77", ["gone"]) });
    a.publish({ event: "update", status: federated(a, "1002", "79", ["stays"]) });
    await tickUntil(h, (s) => countsIn(s).gone === 1 && countsIn(s).stays === 1);

    b.publish({ event: "delete", status: federated(b, "5005", "77", ["gone"]) });
    a.publish({ event: "delete", status: federated(a, "1001", "77", ["gone"]) });
    await waitUntil(() => ing.stats.deletes === 2);
    const snapshot = await tickUntil(h, (s) => countsIn(s).gone === undefined);
    expect(countsIn(snapshot)).toEqual({ stays: 1 });
    expect(h.aggregator.posts.stats).toMatchObject({ deletes: 1, unknown: 0 });
  });
});
