import { html, nothing } from "lit";

import { t } from "../i18n";
import { PasskeyStatusController, passkeyError, unlockNotes } from "../passkeys";
import { LightElement } from "../../kit/light-element";
import "./notes-lock.css";

/**
 * "Notes locked — unlock": shown while the attendee has a passkey this session has not
 * presented. The button runs the passkey ceremony; on success the notes come back.
 * `locked` lets a page that already knows (a contact marked locked) show it before the status loads.
 */
export class NotesLockBanner extends LightElement {
  static override properties = {
    locked: { type: Boolean },
    busy: { state: true },
    error: { state: true },
  };

  locked = false;
  busy = false;
  error = "";
  private readonly passkeys = new PasskeyStatusController(this);

  private async unlock(): Promise<void> {
    this.busy = true;
    this.error = "";
    try {
      await unlockNotes();
      this.emit("notes-unlocked");
    } catch (error) {
      this.error = passkeyError(error);
    } finally {
      this.busy = false;
    }
  }

  protected override render() {
    const locked = this.passkeys.status ? this.passkeys.status.notes_locked : this.locked;
    if (!locked) return nothing;
    return html`<div class="notice info notes-lock" role="region" aria-label=${t("notes.locked.title")}>
        <p><strong>${t("notes.locked.title")}</strong> — ${t("notes.locked.body")}</p>
        <button type="button" class="button primary" ?disabled=${this.busy} @click=${() => void this.unlock()}>
          ${t("notes.locked.unlock")}
        </button>
      </div>
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}`;
  }
}
customElements.define("rc-notes-lock", NotesLockBanner);
