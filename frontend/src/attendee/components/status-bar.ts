import { html, nothing } from "lit";

import { plural, t } from "../i18n";
import { dismissRejected } from "../offline/outbox";
import { refreshOutboxCounts, StoreController, syncOutbox } from "../state";
import { LightElement } from "../../kit/light-element";
import "./status-bar.css";

/** The network, the scans waiting to be sent, the scans the server refused, a waiting update. */
export class StatusBar extends LightElement {
  private readonly store = new StoreController(this);

  protected override render() {
    const { online, pending, rejected, syncing, updateReady, session } = this.store.value;
    if (!session) return nothing;
    // Scans recorded without their note (the contact's note was full) are listed with the note.
    const refused = rejected.filter((item) => !item.note_full);
    const unsaved = rejected.filter((item) => item.note_full);
    return html`
      <div class="status-stack" role="status" aria-live="polite">
        ${!online ? html`<p class="status offline"><span class="dot" aria-hidden="true"></span>${t("status.offline")}</p>` : nothing}
        ${pending > 0
          ? html`<p class="status pending">
              <span class="pending-count" data-pending=${pending}>${plural(pending, "status.pending.one", "status.pending.many")}</span>
              ${online
                ? html`<button type="button" class="link-button" ?disabled=${syncing} @click=${() => void syncOutbox()}>${t("status.sync")}</button>`
                : nothing}
            </p>`
          : nothing}
        ${refused.length || unsaved.length
          ? html`<div class="status refused">
              ${refused.length
                ? html`<p>${plural(refused.length, "status.rejected.one", "status.rejected.many")}</p>
                    <ul>${refused.map((item) => html`<li><strong>${item.name || t("card.unknown")}</strong> — ${item.detail}</li>`)}</ul>`
                : nothing}
              ${unsaved.length
                ? html`<p>${plural(unsaved.length, "status.noteFull.one", "status.noteFull.many")}</p>
                    <ul class="unsaved-notes">${unsaved.map((item) => html`<li><strong>${item.name || t("card.unknown")}</strong> — ${item.note}</li>`)}</ul>`
                : nothing}
              <button type="button" class="link-button" @click=${async () => { await dismissRejected(); await refreshOutboxCounts(); }}>
                ${t("status.rejected.dismiss")}
              </button>
            </div>`
          : nothing}
        ${updateReady
          ? html`<p class="status update">${t("status.update")}
              <button type="button" class="link-button" @click=${() => updateReady()}>${t("status.update.reload")}</button></p>`
          : nothing}
      </div>
    `;
  }
}
customElements.define("rc-status-bar", StatusBar);
