import { html } from "lit";

import { LightElement } from "../../kit/light-element";
import { t } from "../i18n";
import "./who-to-meet-fields.css";

export interface WhoToMeet {
  offers: string[];
  seeks: string[];
  open_to_chat: boolean;
  directory_opt_in: boolean;
}

export const LINES = 3;

/** The lines as the API takes them: trimmed, blank ones dropped. */
export function cleanLines(lines: string[]): string[] {
  return lines.map((line) => line.trim().replace(/\s+/g, " ")).filter(Boolean);
}

/**
 * The profile's who-to-meet part: what I offer, what I seek (three lines each), "open to
 * chat now" and the directory opt-in. Edits `value` and fires `who-to-meet-change` with the new one;
 * the page saves it with the rest of the profile.
 */
export class WhoToMeetFields extends LightElement {
  static override properties = { value: { attribute: false }, errors: { attribute: false } };

  value: WhoToMeet = { offers: [], seeks: [], open_to_chat: false, directory_opt_in: false };
  errors: Record<string, string> = {};

  private update_(change: Partial<WhoToMeet>): void {
    this.value = { ...this.value, ...change };
    this.dispatchEvent(new CustomEvent<WhoToMeet>("who-to-meet-change", { detail: this.value, bubbles: true }));
  }

  private lines(key: "offers" | "seeks") {
    const lines = [...this.value[key]];
    while (lines.length < LINES) lines.push("");
    const error = this.errors[key];
    return html`<fieldset class="gives-asks">
      <legend>${t(`profile.${key}`)}</legend>
      <span class="field-hint" id=${`${key}-hint`}>${t(`profile.${key}.hint`)}</span>
      ${lines.slice(0, LINES).map(
        (line, i) => html`<input
          id=${`profile-${key}-${i}`}
          name=${`${key}-${i}`}
          maxlength="80"
          aria-label=${`${t(`profile.${key}`)} — ${t("profile.line", { n: i + 1 })}`}
          aria-describedby=${`${key}-hint`}
          .value=${line}
          @input=${(e: Event) => {
            const next = [...lines];
            next[i] = (e.target as HTMLInputElement).value;
            this.update_({ [key]: next });
          }}
        />`,
      )}
      ${error ? html`<span class="field-error">${error}</span>` : ""}
    </fieldset>`;
  }

  protected override render() {
    return html`<section class="who-to-meet" aria-labelledby="who-to-meet-title">
      <h2 id="who-to-meet-title">${t("profile.whoToMeet")}</h2>
      ${this.lines("offers")} ${this.lines("seeks")}
      <label class="switch-row">
        <input
          type="checkbox"
          role="switch"
          name="open_to_chat"
          .checked=${this.value.open_to_chat}
          @change=${(e: Event) => this.update_({ open_to_chat: (e.target as HTMLInputElement).checked })}
        />
        <span><strong>${t("profile.openToChat")}</strong><span class="field-hint">${t("profile.openToChat.hint")}</span></span>
      </label>
      <label class="switch-row">
        <input
          type="checkbox"
          role="switch"
          name="directory_opt_in"
          .checked=${this.value.directory_opt_in}
          @change=${(e: Event) => this.update_({ directory_opt_in: (e.target as HTMLInputElement).checked })}
        />
        <span><strong>${t("profile.directory")}</strong><span class="field-hint">${t("profile.directory.hint")}</span></span>
      </label>
    </section>`;
  }
}
customElements.define("rc-who-to-meet-fields", WhoToMeetFields);
