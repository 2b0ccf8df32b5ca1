// <rc-avatar>: a person's face where they share a photo, their initials otherwise. Shared
// by both apps; the app that shows photos says how their bytes are fetched (a photo needs
// the signed-in person's token, so a plain <img src> cannot load it).
import { html, nothing } from "lit";

import { colourSlot, initials } from "./initials";
import { LightElement } from "./light-element";
import "./avatar.css";

export type PhotoLoader = (url: string) => Promise<Blob>;

let loader: PhotoLoader | null = null;

/** How photos are fetched; until it is set, every avatar shows initials. */
export function setPhotoLoader(load: PhotoLoader | null): void {
  loader = load;
  loaded.clear();
}

// Object URLs of the photos shown lately, by address: an address names one photo for good,
// so a list scrolled back and forth fetches each once. Bounded, oldest first out.
const MAX_KEPT = 200;
const loaded = new Map<string, Promise<string | null>>();

function objectUrl(url: string): Promise<string | null> {
  const known = loaded.get(url);
  if (known) {
    loaded.delete(url);
    loaded.set(url, known);
    return known;
  }
  const load = loader;
  const fetched = load
    ? load(url).then(
        (blob) => URL.createObjectURL(blob),
        () => {
          loaded.delete(url); // offline, or no longer shared: initials now, another try later
          return null;
        },
      )
    : Promise.resolve(null);
  loaded.set(url, fetched);
  while (loaded.size > MAX_KEPT) {
    const [oldest, value] = loaded.entries().next().value as [string, Promise<string | null>];
    loaded.delete(oldest);
    void value.then((made) => made && URL.revokeObjectURL(made));
  }
  return fetched;
}

export class Avatar extends LightElement {
  static override properties = {
    name: { type: String },
    photo: { type: String },
    size: { type: String, reflect: true },
    shown: { state: true },
  };

  name = "";
  /** The photo's address (one of a card's PhotoLinks), or nothing for initials. */
  photo: string | null = null;
  /** "small" (lists), "medium" (cards), "large" (one's own profile and badge). */
  size: "small" | "medium" | "large" = "medium";
  shown: string | null = null;
  private wanted: string | null = null;

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (!changed.has("photo")) return;
    const url = this.photo || null;
    this.wanted = url;
    this.shown = null;
    if (!url) return;
    void objectUrl(url).then((made) => {
      if (this.wanted === url) this.shown = made;
    });
  }

  protected override render() {
    const name = this.name || "?";
    return html`<span class="avatar avatar-c${colourSlot(name)} ${this.shown ? "has-photo" : ""}" aria-hidden="true"
      >${this.shown ? html`<img src=${this.shown} alt="" decoding="async" />` : nothing}<span class="avatar-initials"
        >${initials(name)}</span
      ></span
    >`;
  }
}
customElements.define("rc-avatar", Avatar);

declare global {
  interface HTMLElementTagNameMap {
    "rc-avatar": Avatar;
  }
}
