/** Every count since start: Spark Structured Streaming's complete output mode. */
import { COMPLETE_WINDOW } from "../../../shared/duration.ts";
import type { CountWindow } from "./count-window.ts";

export class CompleteWindow implements CountWindow {
  readonly name = COMPLETE_WINDOW;
  readonly column: number;

  constructor(column: number) {
    this.column = column;
  }

  /** Nothing ever leaves. */
  advance(): void {}

  holds(): boolean {
    return true;
  }
}
