/** Every count since start: Spark Structured Streaming's complete output mode. */
import { COMPLETE_WINDOW } from "../../shared/duration.ts";
import { CountArray } from "./count-array.ts";
import type { ClosedBucket } from "./count-bucket.ts";
import { applyBucket, type CountWindow } from "./count-window.ts";

export class CompleteWindow implements CountWindow {
  readonly name = COMPLETE_WINDOW;
  readonly totals = new CountArray();

  advance(bucket: ClosedBucket): void {
    applyBucket(this.totals, bucket, 1);
  }

  holds(): boolean {
    return true;
  }
}
