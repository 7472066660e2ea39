/**
 * Dark, light, or whatever the system prefers ("auto", which follows a change of the system
 * setting live). The resolved scheme goes on `<html data-theme>`, where app.css picks the palette.
 */
import { MediaQuery } from "svelte/reactivity";
import type { ThemePreference } from "./view-options.ts";

export class ColorScheme {
  preference: ThemePreference = $state("dark");
  readonly #systemLight = new MediaQuery("(prefers-color-scheme: light)");
  readonly resolved: "dark" | "light" = $derived(
    this.preference === "auto" ? (this.#systemLight.current ? "light" : "dark") : this.preference,
  );

  constructor(preference: ThemePreference) {
    this.preference = preference;
  }

  /** Puts the resolved scheme on `root` for as long as the calling `$effect` runs. */
  apply(root: HTMLElement): () => void {
    root.dataset.theme = this.resolved;
    root.style.colorScheme = this.resolved;
    return () => {
      delete root.dataset.theme;
      root.style.removeProperty("color-scheme");
    };
  }
}
