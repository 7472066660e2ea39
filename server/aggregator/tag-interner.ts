/**
 * Maps each distinct tag name to a small integer id, once, so that every window counts in typed
 * arrays indexed by id instead of in string-keyed maps.
 */
export class TagInterner {
  readonly #ids = new Map<string, number>();
  readonly #names: string[] = [];

  /** The id of `name`, assigning the next one on first sight. */
  intern(name: string): number {
    let id = this.#ids.get(name);
    if (id === undefined) {
      id = this.#names.length;
      this.#ids.set(name, id);
      this.#names.push(name);
    }
    return id;
  }

  /** The id of `name` if it was ever seen. */
  lookup(name: string): number | undefined {
    return this.#ids.get(name);
  }

  name(id: number): string {
    const name = this.#names[id];
    if (name === undefined) throw new RangeError(`unknown tag id ${id}`);
    return name;
  }

  get size(): number {
    return this.#names.length;
  }
}
